/* curves.c - mean lines with bands or runs for several series (see
 * curves.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/curves.h"

/* Dot layers, highest priority first: for every dot, 1 + the index of the
 * (last) series that lights it in that layer, 0 for none; the stipple
 * layer holds a bit per series (the first 16) so overlaps are seen. */
enum { L_LINE = 0, L_RUN, L_EDGE, L_STIPPLE, L_COUNT };

typedef struct {
    int dw, dh;
    unsigned short *layer[L_COUNT];
} Dots;

static void dot_set(const Dots *d, int l, int px, int py, size_t series)
{
    if (px >= 0 && px < d->dw && py >= 0 && py < d->dh)
        d->layer[l][(size_t)py * (size_t)d->dw + (size_t)px] =
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

/* A connected line through a[] into layer l; with sparse, only every
 * other dot column and no vertical joins (a thin, dotted line). */
static void trace(const Dots *d, int l, const double *a, size_t n, size_t k,
                  size_t nmax, double lo, double hi, int sparse)
{
    int prev = -1;
    for (int px = 0; px < d->dw; px++) {
        double m = at(a, n, px, d->dw, nmax);
        if (!isfinite(m)) {
            prev = -1;
            continue;
        }
        int py = to_dot(m, lo, hi, d->dh);
        if (sparse) {
            if (px % 2 == 0)
                dot_set(d, l, px, py, k);
            continue;
        }
        int from = prev < 0 ? py : prev;
        int a0 = from < py ? from : py, b0 = from < py ? py : from;
        for (int q = a0; q <= b0; q++)
            dot_set(d, l, px, q, k);
        prev = py;
    }
}

static void stipple_set(const Dots *d, int px, int py, size_t series)
{
    if (px >= 0 && px < d->dw && py >= 0 && py < d->dh && series < 16)
        d->layer[L_STIPPLE][(size_t)py * (size_t)d->dw + (size_t)px] |=
            (unsigned short)(1u << series);
}

static void rasterize(const Dots *d, const CurveSeries *s, size_t k,
                      size_t nmax, double lo, double hi)
{
    if (s->lo && s->hi)
        for (int px = 0; px < d->dw; px++) {
            double a = at(s->lo, s->n, px, d->dw, nmax);
            double b = at(s->hi, s->n, px, d->dw, nmax);
            if (!isfinite(a) || !isfinite(b))
                continue;
            int top = to_dot(b, lo, hi, d->dh), bot = to_dot(a, lo, hi, d->dh);
            for (int py = top; py <= bot; py++)
                if (py == top || py == bot)
                    dot_set(d, L_EDGE, px, py, k);
                else if (px % 2 == 0 && py % 2 == 0)
                    stipple_set(d, px, py, k);
        }
    for (size_t r = 0; s->run && r < s->nrun; r++)
        if (s->run[r])
            trace(d, L_RUN, s->run[r], s->n, k, nmax, lo, hi, 1);
    trace(d, L_LINE, s->mean, s->n, k, nmax, lo, hi, 0);
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
        for (size_t j = 0; j < 3 + s[k].nrun; j++) {
            const double *v = j < 3 ? arr[j] : s[k].run ? s[k].run[j - 3] : NULL;
            for (size_t i = 0; v && i < s[k].n; i++)
                if (isfinite(v[i])) {
                    if (v[i] < *lo)
                        *lo = v[i];
                    if (v[i] > *hi)
                        *hi = v[i];
                }
        }
    }
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    plot_nice_range(lo, hi);
}

/* The tick step: the smallest of 1, 2, 5 x 10^k that leaves at most
 * max_ticks intervals in [lo, hi]. */
static double tick_step(double lo, double hi, int max_ticks)
{
    static const double m[] = { 1, 2, 5 };
    if (max_ticks < 1)
        max_ticks = 1;
    for (double p = 0.001; p < 1e6; p *= 10)
        for (int i = 0; i < 3; i++)
            if ((hi - lo) / (m[i] * p) <= max_ticks + 1e-9)
                return m[i] * p;
    return hi - lo;
}

static void draw_axes(UiGrid *g, int x, int y, int pw, int ph, int label_w,
                      double lo, double hi, size_t nmax, const char *x_unit,
                      int ascii, int sy)
{
    char buf[64];
    for (int r = 0; r < ph; r++)
        ui_grid_put(g, x + label_w, y + r, ascii ? '|' : 0x2502, UI_ROLE_AXIS);
    ui_grid_put(g, x + label_w, y + ph, ascii ? '+' : 0x2514, UI_ROLE_AXIS);
    for (int c = 0; c < pw; c++)
        ui_grid_put(g, x + label_w + 1 + c, y + ph, ascii ? '-' : 0x2500,
                    UI_ROLE_AXIS);
    /* y ticks: about one every third row, labelled, marked on the axis */
    double step = tick_step(lo, hi, ph / 3 > 1 ? ph / 3 : 1);
    int decimals = step >= 0.01 - 1e-12 ? 2 : 3;
    int last_row = ph + 1; /* rows go up as values grow */
    int first_row = -1;    /* the lowest tick's row */
    for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-6;
         v += step) {
        int row = to_dot(v, lo, hi, ph * sy) / sy;
        if (row >= last_row)
            continue;
        last_row = row;
        if (first_row < 0)
            first_row = row;
        snprintf(buf, sizeof buf, "%*.*f", label_w - 1, decimals,
                 fabs(v) < step * 1e-6 ? 0.0 : v);
        ui_grid_text(g, x, y + row, buf, UI_ROLE_AXIS);
        ui_grid_put(g, x + label_w, y + row, ascii ? '+' : 0x2524, UI_ROLE_AXIS);
    }
    /* the ends of the range are labelled too when no tick is near them */
    int bottom = ph - 1;
    int labelled_low = first_row >= 0 && first_row >= bottom - 1;
    int labelled_high = first_row >= 0 && last_row <= 1;
    if (!labelled_high) {
        snprintf(buf, sizeof buf, "%*.*f", label_w - 1, decimals, hi);
        ui_grid_text(g, x, y, buf, UI_ROLE_AXIS);
    }
    if (!labelled_low && bottom > 0) {
        snprintf(buf, sizeof buf, "%*.*f", label_w - 1, decimals, lo);
        ui_grid_text(g, x, y + bottom, buf, UI_ROLE_AXIS);
    }
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

/* The owner of one character at level l: the last series lighting a dot
 * of it in that layer (1 + its index), 0 for none; for the stipple layer
 * 0 also when more than one band covers the character. */
static unsigned cell_owner(const Dots *d, int l, int cx, int cy, int sx,
                           int sy)
{
    unsigned owner = 0, mask = 0;
    for (int dy = 0; dy < sy; dy++)
        for (int dx = 0; dx < sx; dx++) {
            size_t i = (size_t)(cy * sy + dy) * (size_t)d->dw +
                       (size_t)(cx * sx + dx);
            unsigned v = d->layer[l][i];
            if (l == L_STIPPLE)
                mask |= v;
            else if (v > owner)
                owner = v;
        }
    if (l != L_STIPPLE)
        return owner;
    if (!mask || (mask & (mask - 1)))
        return 0; /* none, or two bands: only their edges are drawn */
    while (!(mask & (1u << owner)))
        owner++;
    return owner + 1;
}

/* Whether the dot at i belongs to owner in layer l. */
static int dot_of(const Dots *d, int l, size_t i, unsigned owner)
{
    if (l == L_STIPPLE)
        return (d->layer[l][i] >> (owner - 1)) & 1u;
    return d->layer[l][i] == owner;
}

void curves_draw(UiGrid *g, int x, int y, int w, int h, const CurveSeries *s,
                 size_t ns, PlotMode mode, const char *x_unit,
                 const char *y_title)
{
    if (w < 16 || h < 5)
        return;
    const int label_w = 6;
    if (y_title)
        ui_grid_text_clip(g, x, y, x + w, y_title, UI_ROLE_AXIS);
    y++;
    h--;
    int pw = w - label_w - 1, ph = h - 2, sx, sy;
    plot_mode_dots(mode, &sx, &sy);
    double lo, hi;
    size_t nmax;
    range_of(s, ns, &lo, &hi, &nmax);
    draw_axes(g, x, y, pw, ph, label_w, lo, hi, nmax, x_unit,
              mode == PLOT_ASCII, sy);
    if (nmax == 0)
        return;
    Dots d = { pw * sx, ph * sy, { NULL } };
    size_t nd = (size_t)d.dw * (size_t)d.dh;
    int ok = 1;
    for (int l = 0; l < L_COUNT; l++)
        ok &= (d.layer[l] = calloc(nd, sizeof *d.layer[l])) != NULL;
    if (ok)
        for (size_t k = 0; k < ns; k++)
            rasterize(&d, &s[k], k, nmax, lo, hi);
    /* Compose each character from the highest layer present in it: its
     * owner's dots of that layer alone, so a line stands out of its band;
     * stipple only where a single band covers the character. */
    for (int cy = 0; ok && cy < ph; cy++)
        for (int cx = 0; cx < pw; cx++) {
            int level = -1;
            unsigned owner = 0;
            for (int l = 0; l < L_COUNT && !owner; l++) {
                owner = cell_owner(&d, l, cx, cy, sx, sy);
                level = l;
            }
            if (!owner)
                continue;
            uint8_t on[8] = { 0 };
            for (int dy = 0; dy < sy; dy++)
                for (int dx = 0; dx < sx; dx++) {
                    size_t i = (size_t)(cy * sy + dy) * (size_t)d.dw +
                               (size_t)(cx * sx + dx);
                    on[dy * sx + dx] = dot_of(&d, level, i, owner);
                }
            ui_grid_put(g, x + label_w + 1 + cx, y + cy, plot_encode(mode, on),
                        s[owner - 1].role);
        }
    /* Markers on each mean line, every 12 columns (offset per series so
     * they do not fall on each other) and at its end. */
    for (size_t k = 0; ok && k < ns; k++) {
        if (!s[k].mark || s[k].n == 0)
            continue;
        int last = s[k].n > 1 ? (int)((double)(s[k].n - 1) * (d.dw - 1) /
                                      (double)(nmax > 1 ? nmax - 1 : 1))
                              : 0;
        for (int cx = 2 + (int)(k % 4) * 3;; cx += 12) {
            int px = cx >= pw || cx * sx > last ? last : cx * sx;
            double m = at(s[k].mean, s[k].n, px, d.dw, nmax);
            if (isfinite(m))
                ui_grid_put(g, x + label_w + 1 + px / sx,
                            y + to_dot(m, lo, hi, d.dh) / sy, s[k].mark,
                            s[k].role);
            if (px == last)
                break;
        }
    }
    for (int l = 0; l < L_COUNT; l++)
        free(d.layer[l]);
}
