/* plot.c - braille/block/ASCII reward chart (see plot.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/plot.h"

void plot_mode_dots(PlotMode mode, int *sx, int *sy)
{
    switch (mode) {
    case PLOT_BRAILLE: *sx = 2; *sy = 4; break;
    case PLOT_BLOCK: *sx = 2; *sy = 2; break;
    default: *sx = 1; *sy = 2; break;
    }
}

unsigned plot_braille_bit(int dx, int dy)
{
    /* Unicode braille: dots 1-3 and 7 down the left column, 4-6 and 8
     * down the right; dot k is bit k-1. */
    static const unsigned bits[4][2] = {
        { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
    };
    return bits[dy & 3][dx & 1];
}

uint32_t plot_encode(PlotMode mode, const uint8_t *on)
{
    if (mode == PLOT_BRAILLE) {
        unsigned bits = 0;
        for (int dy = 0; dy < 4; dy++)
            for (int dx = 0; dx < 2; dx++)
                if (on[dy * 2 + dx])
                    bits |= plot_braille_bit(dx, dy);
        return bits ? 0x2800 + bits : ' ';
    }
    if (mode == PLOT_BLOCK) {
        /* Quadrants: bit 0 upper left, 1 upper right, 2 lower left, 3 lower
         * right. */
        static const uint32_t quad[16] = {
            ' ',    0x2598, 0x259d, 0x2580, 0x2596, 0x258c, 0x259e, 0x259b,
            0x2597, 0x259a, 0x2590, 0x259c, 0x2584, 0x2599, 0x259f, 0x2588
        };
        unsigned q = (on[0] ? 1u : 0) | (on[1] ? 2u : 0) | (on[2] ? 4u : 0) |
                     (on[3] ? 8u : 0);
        return quad[q];
    }
    if (on[0] && on[1])
        return ':';
    if (on[0])
        return '\'';
    if (on[1])
        return '.';
    return ' ';
}

void reward_series_init(RewardSeries *s, int window)
{
    memset(s, 0, sizeof *s);
    s->window = window < 1 ? 1 : window;
}

int reward_series_push(RewardSeries *s, double reward)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        double *r = realloc(s->reward, cap * sizeof *r);
        if (!r)
            return -1;
        s->reward = r;
        double *b = realloc(s->best, cap * sizeof *b);
        if (!b)
            return -1;
        s->best = b;
        double *a = realloc(s->avg, cap * sizeof *a);
        if (!a)
            return -1;
        s->avg = a;
        s->cap = cap;
    }
    size_t i = s->n;
    s->reward[i] = reward;
    s->best[i] = (i == 0 || reward > s->best[i - 1]) ? reward : s->best[i - 1];
    s->window_sum += reward;
    if (i >= (size_t)s->window)
        s->window_sum -= s->reward[i - (size_t)s->window];
    size_t count = i + 1 < (size_t)s->window ? i + 1 : (size_t)s->window;
    s->avg[i] = s->window_sum / (double)count;
    s->n++;
    return 0;
}

void reward_series_clear(RewardSeries *s)
{
    s->n = 0;
    s->window_sum = 0;
}

void reward_series_done(RewardSeries *s)
{
    free(s->reward);
    free(s->best);
    free(s->avg);
    int w = s->window;
    memset(s, 0, sizeof *s);
    s->window = w;
}

void plot_nice_range(double *lo, double *hi)
{
    static const double steps[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5,
                                    10, 20, 50, 100 };
    double a = *lo, b = *hi;
    if (!(b > a)) {
        a -= 0.01;
        b += 0.01;
    }
    double step = steps[sizeof steps / sizeof steps[0] - 1];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if ((b - a) / steps[i] <= 10) {
            step = steps[i];
            break;
        }
    *lo = floor(a / step + 1e-9) * step;
    *hi = ceil(b / step - 1e-9) * step;
    if (!(*hi > *lo))
        *hi = *lo + step;
}

/* A dot raster: dw x dh dots, each holding the highest role drawn on it. */
typedef struct {
    int dw, dh;
    uint8_t *dot;
} Raster;

static void raster_set(Raster *r, int x, int y, uint8_t role)
{
    if (x < 0 || y < 0 || x >= r->dw || y >= r->dh)
        return;
    uint8_t *d = &r->dot[y * r->dw + x];
    if (role > *d)
        *d = role;
}

static void raster_line(Raster *r, int x0, int y0, int x1, int y1, uint8_t role)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        raster_set(r, x0, y0, role);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

/* Raster priorities, mapped back to UiRoles when encoding. */
enum { DOT_NONE = 0, DOT_SCATTER, DOT_AVG, DOT_BEST };

static UiRole dot_role(uint8_t d)
{
    switch (d) {
    case DOT_BEST: return UI_ROLE_BEST;
    case DOT_AVG: return UI_ROLE_AVG;
    default: return UI_ROLE_SCATTER;
    }
}

static void fmt_value(char *buf, size_t n, double v)
{
    snprintf(buf, n, fabs(v) < 10 ? "%5.3f" : "%5.1f", v);
}

void plot_draw(UiGrid *g, int x, int y, int w, int h, const RewardSeries *s,
               const PlotOptions *opt)
{
    if (w < 16 || h < 4)
        return;
    const int label_w = 6;                  /* "0.935 " */
    int px = x + label_w + 1, pw = w - label_w - 1; /* after the y axis */
    int ph = h - 2;                         /* x axis line and labels below */
    int sx, sy;
    plot_mode_dots(opt->mode, &sx, &sy);
    int ascii = opt->mode == PLOT_ASCII;

    /* Axes. */
    for (int r = 0; r < ph; r++)
        ui_grid_put(g, x + label_w, y + r, ascii ? '|' : 0x2502, UI_ROLE_AXIS);
    ui_grid_put(g, x + label_w, y + ph, ascii ? '+' : 0x2514, UI_ROLE_AXIS);
    for (int c = 0; c < pw; c++)
        ui_grid_put(g, px + c, y + ph, ascii ? '-' : 0x2500, UI_ROLE_AXIS);

    size_t from = opt->from, to = opt->to > s->n ? s->n : opt->to;
    char buf[64];
    if (from >= to) {
        const char *msg = "no samples yet";
        int len = (int)strlen(msg);
        ui_grid_text(g, px + (pw - len) / 2 > px ? px + (pw - len) / 2 : px,
                     y + ph / 2, msg, UI_ROLE_DIM);
        snprintf(buf, sizeof buf, "0 %s", opt->x_unit ? opt->x_unit : "");
        ui_grid_text(g, px, y + ph + 1, buf, UI_ROLE_AXIS);
        return;
    }

    double lo = s->reward[from], hi = lo;
    for (size_t i = from; i < to; i++) {
        double v[3] = { s->reward[i], opt->hide_avg ? s->reward[i] : s->avg[i],
                        opt->hide_best ? s->reward[i] : s->best[i] };
        for (int k = 0; k < 3; k++) {
            if (!isfinite(v[k]))
                continue;
            if (v[k] < lo)
                lo = v[k];
            if (v[k] > hi)
                hi = v[k];
        }
    }
    plot_nice_range(&lo, &hi);

    Raster r = { pw * sx, ph * sy, calloc((size_t)pw * sx * ph * sy, 1) };
    if (!r.dot)
        return;
    size_t span = to - from;
#define DX(i) ((int)(span > 1 ? (double)((i) - from) * (r.dw - 1) / (double)(span - 1) : 0))
#define DY(v) ((int)lround((hi - (isfinite(v) ? (v) : lo)) / (hi - lo) * (r.dh - 1)))
    for (size_t i = from; i < to; i++) {
        raster_set(&r, DX(i), DY(s->reward[i]), DOT_SCATTER);
        size_t p = i > from ? i - 1 : i;
        if (!opt->hide_avg)
            raster_line(&r, DX(p), DY(s->avg[p]), DX(i), DY(s->avg[i]), DOT_AVG);
        if (!opt->hide_best)
            raster_line(&r, DX(p), DY(s->best[p]), DX(i), DY(s->best[i]),
                        DOT_BEST);
    }
    uint8_t on[8];
    for (int cy = 0; cy < ph; cy++)
        for (int cx = 0; cx < pw; cx++) {
            uint8_t top = 0;
            for (int dy = 0; dy < sy; dy++)
                for (int dx = 0; dx < sx; dx++) {
                    uint8_t d = r.dot[(cy * sy + dy) * r.dw + cx * sx + dx];
                    on[dy * sx + dx] = d != 0;
                    if (d > top)
                        top = d;
                }
            if (top)
                ui_grid_put(g, px + cx, y + cy, plot_encode(opt->mode, on),
                            dot_role(top));
        }
    int mark = opt->mark;
    if (mark < 0 && opt->mark_label && span == 1)
        mark = (int)from; /* a lone sample is always shown with its value */
    if (mark >= (int)from && (size_t)mark < to) {
        int mc = DX((size_t)mark) / sx;
        ui_grid_put(g, px + mc, y + ph, ascii ? '^' : 0x253c, UI_ROLE_CHOSEN);
        if (opt->mark_label) {
            /* The marker is a character of its own (not only a colour), so
             * NO_COLOR and ASCII terminals see it too. */
            int mr = DY(s->reward[mark]) / sy;
            ui_grid_put(g, px + mc, y + mr, ascii ? 'O' : 0x25c6, UI_ROLE_CHOSEN);
            char lab[96];
            snprintf(lab, sizeof lab, "%s%s%.4f", opt->mark_label,
                     opt->mark_label[0] ? " " : "", s->reward[mark]);
            int len = (int)strlen(lab);
            int lx = px + pw - len > px ? px + pw - len : px;
            ui_grid_text_clip(g, lx, y, px + pw, lab, UI_ROLE_CHOSEN);
        }
    }
#undef DX
#undef DY
    free(r.dot);

    /* Labels: top, middle and bottom of the y range; first and last sample
     * (1-based, as people count) and the unit on the x axis. */
    fmt_value(buf, sizeof buf, hi);
    ui_grid_text(g, x, y, buf, UI_ROLE_AXIS);
    fmt_value(buf, sizeof buf, lo);
    ui_grid_text(g, x, y + ph - 1, buf, UI_ROLE_AXIS);
    if (ph >= 5) {
        fmt_value(buf, sizeof buf, (hi + lo) / 2);
        ui_grid_text(g, x, y + (ph - 1) / 2, buf, UI_ROLE_AXIS);
    }
    int own_x = opt->x_first != 0 || opt->x_last != 0;
    if (own_x)
        snprintf(buf, sizeof buf, "%lld", opt->x_first);
    else
        snprintf(buf, sizeof buf, "%zu", from + 1);
    ui_grid_text(g, px, y + ph + 1, buf, UI_ROLE_AXIS);
    if (opt->x_unit) {
        int len = (int)strlen(opt->x_unit);
        ui_grid_text(g, px + (pw - len) / 2, y + ph + 1, opt->x_unit,
                     UI_ROLE_AXIS);
    }
    if (own_x)
        snprintf(buf, sizeof buf, "%lld", opt->x_last);
    else
        snprintf(buf, sizeof buf, "%zu", to);
    ui_grid_text(g, px + pw - (int)strlen(buf), y + ph + 1, buf, UI_ROLE_AXIS);
    if (opt->y_unit) {
        snprintf(buf, sizeof buf, "%.*s", label_w, opt->y_unit);
        ui_grid_text(g, x, y + ph, buf, UI_ROLE_AXIS);
    }
}
