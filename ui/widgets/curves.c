/* curves.c - mean lines with bands for several series (see curves.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/curves.h"

/* Dot layers: for every dot, 1 + the index of the series whose line (or
 * band) lights it, 0 for none. */
typedef struct {
    int dw, dh;
    unsigned short *line, *band;
} Dots;

static void dot_set(unsigned short *layer, const Dots *d, int px, int py,
                    size_t series)
{
    if (px >= 0 && px < d->dw && py >= 0 && py < d->dh)
        layer[(size_t)py * (size_t)d->dw + (size_t)px] =
            (unsigned short)(series + 1);
}

static int to_dot(double v, double lo, double hi, int dh)
{
    double f = (v - lo) / (hi - lo);
    int py = (int)lround((1.0 - f) * (dh - 1));
    return py < 0 ? 0 : py >= dh ? dh - 1 : py;
}

/* The value of a[n] at dot column px of dw (nearest sample). */
static double at(const double *a, size_t n, int px, int dw, size_t nmax)
{
    double pos = dw > 1 ? (double)px * (double)(nmax - 1) / (dw - 1) : 0;
    size_t i = (size_t)lround(pos);
    return i < n ? a[i] : NAN;
}

static void rasterize(const Dots *d, const CurveSeries *s, size_t k,
                      size_t nmax, double lo, double hi)
{
    int prev = -1;
    for (int px = 0; px < d->dw; px++) {
        double m = at(s->mean, s->n, px, d->dw, nmax);
        if (!isfinite(m)) {
            prev = -1;
            continue;
        }
        if (s->lo && s->hi) {
            double a = at(s->lo, s->n, px, d->dw, nmax);
            double b = at(s->hi, s->n, px, d->dw, nmax);
            if (isfinite(a) && isfinite(b)) {
                int top = to_dot(b, lo, hi, d->dh), bot = to_dot(a, lo, hi, d->dh);
                for (int py = top; py <= bot; py++)
                    if ((px % 2 == 0 && py % 2 == 0) || py == top || py == bot)
                        dot_set(d->band, d, px, py, k);
            }
        }
        int py = to_dot(m, lo, hi, d->dh);
        int from = prev < 0 ? py : prev;
        int a = from < py ? from : py, b = from < py ? py : from;
        for (int q = a; q <= b; q++)
            dot_set(d->line, d, px, q, k);
        prev = py;
    }
}

static void range_of(const CurveSeries *s, size_t ns, double *lo, double *hi,
                     size_t *nmax)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    *nmax = 0;
    for (size_t k = 0; k < ns; k++) {
        if (s[k].n > *nmax)
            *nmax = s[k].n;
        const double *arr[3] = { s[k].mean, s[k].lo, s[k].hi };
        for (int j = 0; j < 3; j++)
            for (size_t i = 0; arr[j] && i < s[k].n; i++)
                if (isfinite(arr[j][i])) {
                    if (arr[j][i] < *lo)
                        *lo = arr[j][i];
                    if (arr[j][i] > *hi)
                        *hi = arr[j][i];
                }
    }
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    plot_nice_range(lo, hi);
}

static void draw_axes(UiGrid *g, int x, int y, int pw, int ph, int label_w,
                      double lo, double hi, size_t nmax, const char *x_unit,
                      int ascii)
{
    char buf[64];
    for (int r = 0; r < ph; r++)
        ui_grid_put(g, x + label_w, y + r, ascii ? '|' : 0x2502, UI_ROLE_AXIS);
    ui_grid_put(g, x + label_w, y + ph, ascii ? '+' : 0x2514, UI_ROLE_AXIS);
    for (int c = 0; c < pw; c++)
        ui_grid_put(g, x + label_w + 1 + c, y + ph, ascii ? '-' : 0x2500,
                    UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%.3f", hi);
    ui_grid_text(g, x, y, buf, UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%.3f", lo);
    ui_grid_text(g, x, y + ph - 1, buf, UI_ROLE_AXIS);
    int px = x + label_w + 1;
    ui_grid_text(g, px, y + ph + 1, "1", UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%zu", nmax);
    int len = (int)strlen(buf);
    ui_grid_text(g, px + pw - len, y + ph + 1, buf, UI_ROLE_AXIS);
    if (x_unit) {
        int ul = ui_utf8_width(x_unit);
        if (pw > ul + 2 * len + 4)
            ui_grid_text(g, px + (pw - ul) / 2, y + ph + 1, x_unit, UI_ROLE_AXIS);
    }
}

void curves_draw(UiGrid *g, int x, int y, int w, int h, const CurveSeries *s,
                 size_t ns, PlotMode mode, const char *x_unit)
{
    if (w < 16 || h < 4)
        return;
    const int label_w = 6;
    int pw = w - label_w - 1, ph = h - 2, sx, sy;
    plot_mode_dots(mode, &sx, &sy);
    double lo, hi;
    size_t nmax;
    range_of(s, ns, &lo, &hi, &nmax);
    draw_axes(g, x, y, pw, ph, label_w, lo, hi, nmax, x_unit, mode == PLOT_ASCII);
    if (nmax == 0)
        return;
    Dots d = { pw * sx, ph * sy, NULL, NULL };
    size_t nd = (size_t)d.dw * (size_t)d.dh;
    d.line = calloc(nd, sizeof *d.line);
    d.band = calloc(nd, sizeof *d.band);
    if (!d.line || !d.band) {
        free(d.line);
        free(d.band);
        return;
    }
    for (size_t k = 0; k < ns; k++)
        rasterize(&d, &s[k], k, nmax, lo, hi);
    /* Compose each character: the last series with a line dot in it owns
     * it (its line and band dots), else the last with a band dot. */
    for (int cy = 0; cy < ph; cy++)
        for (int cx = 0; cx < pw; cx++) {
            unsigned owner = 0, band_owner = 0;
            for (int dy = 0; dy < sy; dy++)
                for (int dx = 0; dx < sx; dx++) {
                    size_t i = (size_t)(cy * sy + dy) * (size_t)d.dw +
                               (size_t)(cx * sx + dx);
                    if (d.line[i] > owner)
                        owner = d.line[i];
                    if (d.band[i] > band_owner)
                        band_owner = d.band[i];
                }
            int line_owned = owner != 0;
            if (!owner)
                owner = band_owner;
            if (!owner)
                continue;
            uint8_t on[8] = { 0 };
            for (int dy = 0; dy < sy; dy++)
                for (int dx = 0; dx < sx; dx++) {
                    size_t i = (size_t)(cy * sy + dy) * (size_t)d.dw +
                               (size_t)(cx * sx + dx);
                    /* A character the line passes shows the line alone,
                     * so it stands out of its band. */
                    on[dy * sx + dx] = d.line[i] == owner ||
                                       (d.band[i] == owner && !line_owned);
                }
            ui_grid_put(g, x + label_w + 1 + cx, y + cy, plot_encode(mode, on),
                        s[owner - 1].role);
        }
    free(d.line);
    free(d.band);
}
