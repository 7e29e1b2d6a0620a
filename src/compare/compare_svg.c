/* compare_svg.c - the comparison plot as SVG (see compare_svg.h).  Plain
 * SVG 1.1 text: no scripts, no external fonts or files. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare/compare_svg.h"

/* Geometry in SVG user units (pixels). */
enum {
    SVG_W = 1290,
    SVG_H = 540,
    PANEL_X0 = 80,   /* left edge of the first plot area */
    PANEL_W = 330,   /* width of one plot area */
    PANEL_GAP = 90,  /* from one plot area to the next */
    PLOT_Y0 = 96,    /* top of the plot areas */
    PLOT_H = 330,    /* height of the plot areas */
    MAX_POINTS = 800 /* points per curve; longer curves are thinned */
};

/* Colour-blind-safe palette (Okabe and Ito 2008). */
static const char *const palette[] = { "#0072b2", "#d55e00", "#009e73",
                                       "#cc79a7", "#e69f00", "#56b4e9",
                                       "#000000", "#f0e442" };

const char *compare_svg_color(size_t i)
{
    return palette[i % (sizeof palette / sizeof palette[0])];
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* control characters are not allowed in XML 1.0 */
            fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
        }
}

/* A tick step of 1, 2 or 5 times a power of ten, about range/target. */
static double nice_step(double range, int target)
{
    double raw = range / target, mag, r;
    if (!(raw > 0))
        return 1.0;
    mag = pow(10.0, floor(log10(raw)));
    r = raw / mag;
    return (r < 1.5 ? 1.0 : r < 3.5 ? 2.0 : r < 7.5 ? 5.0 : 10.0) * mag;
}

typedef struct {
    double xmin, xmax, ymin, ymax;
    double px, py; /* top-left of the plot area */
} Frame;

static double fx(const Frame *fr, double x)
{
    return fr->px + (x - fr->xmin) / (fr->xmax - fr->xmin) * PANEL_W;
}

static double fy(const Frame *fr, double y)
{
    if (y < fr->ymin)
        y = fr->ymin;
    if (y > fr->ymax)
        y = fr->ymax;
    return fr->py + PLOT_H - (y - fr->ymin) / (fr->ymax - fr->ymin) * PLOT_H;
}

/* The y range shared by the three panels: every mean and what is drawn
 * around it (the band's ends, or each run's curve below
 * COMPARE_BAND_MIN_SEEDS seeds), widened a little, clipped to [0,1] (rewards are accuracies). */
static void y_range(const Comparison *c, double *lo, double *hi)
{
    double a = 1.0, b = 0.0, pad;
    for (size_t g = 0; g < c->ngroup; g++)
        for (int m = 0; m < COMPARE_NMETRICS; m++)
            for (size_t i = 0; i < c->budget; i++) {
                const CompareGroup *gr = &c->group[g];
                const StatsSummary *s = &gr->curve[m][i];
                CompareBand band = compare_band(s);
                a = fmin(a, s->mean);
                b = fmax(b, s->mean);
                if (gr->nsearch >= COMPARE_BAND_MIN_SEEDS) {
                    a = fmin(a, band.lo);
                    b = fmax(b, band.hi);
                } else
                    for (size_t k = 0; k < gr->nsearch; k++) {
                        a = fmin(a, gr->search[k].curve[m][i]);
                        b = fmax(b, gr->search[k].curve[m][i]);
                    }
            }
    if (a > b) {
        a = 0;
        b = 1;
    }
    pad = fmax(0.02, (b - a) * 0.05);
    a = fmax(0.0, a - pad);
    b = fmin(1.0, b + pad);
    if (b - a < 0.02) {
        a = fmax(0.0, b - 0.02);
        b = a + 0.02;
    }
    *lo = a;
    *hi = b;
}

/* Which steps to draw: all of them up to MAX_POINTS, else every stride-th
 * and always the last. */
static size_t next_step(size_t i, size_t n)
{
    size_t stride = n > MAX_POINTS ? (n + MAX_POINTS - 1) / MAX_POINTS : 1;
    if (i + 1 == n)
        return n;
    return i + stride < n ? i + stride : n - 1;
}

static void draw_axes(FILE *f, const Frame *fr, const char *title,
                      const char *xlabel)
{
    double xs = fmax(1.0, nice_step(fr->xmax - fr->xmin, 5)); /* whole units */
    double ys = nice_step(fr->ymax - fr->ymin, 6);
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
            "fill=\"#ffffff\" stroke=\"#444444\"/>\n",
            fr->px, fr->py, PANEL_W, PLOT_H);
    for (double y = ceil(fr->ymin / ys - 1e-9) * ys; y <= fr->ymax + 1e-9;
         y += ys) {
        double py = fy(fr, y);
        if (fabs(y) < ys * 1e-6) /* print 0, not -0.00 */
            y = 0.0;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#e4e4e4\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n",
                fr->px, py, fr->px + PANEL_W, py, fr->px - 6, py + 4,
                ys < 0.01 ? 3 : 2, y);
    }
    for (double x = ceil(fr->xmin / xs - 1e-9) * xs; x <= fr->xmax + 1e-9;
         x += xs) {
        double px = fx(fr, x);
        double label = fabs(x) < xs * 1e-6 ? 0.0 : x; /* 0, not -0 */
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#444444\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                px, fr->py + PLOT_H, px, fr->py + PLOT_H + 5, px,
                fr->py + PLOT_H + 19, label);
    }
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
            "font-weight=\"bold\">",
            fr->px + PANEL_W / 2.0, fr->py - 10);
    xml_text(f, title);
    fprintf(f,
            "</text>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
            fr->px + PANEL_W / 2.0, fr->py + PLOT_H + 38);
    xml_text(f, xlabel);
    fputs("</text>\n", f);
    fprintf(f,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" "
            "text-anchor=\"middle\">validation accuracy (0-1)</text>\n",
            fr->px - 48, fr->py + PLOT_H / 2.0);
}

/* One value of a step curve: held from sample idx[j] until the next drawn
 * sample, where it jumps (a value exists only after whole samples, so
 * lines between them would invent values). */
static void step_points(FILE *f, const Frame *fr, const size_t *idx, size_t m,
                        const StatsSummary *s, const StatsSummary *xs,
                        int which, int backward)
{
#define VAL(i) (which == 0 ? s[i].mean : which < 0 ? compare_band(&s[i]).lo \
                                                  : compare_band(&s[i]).hi)
    for (size_t t = 0; t < m; t++) {
        size_t j = backward ? m - 1 - t : t;
        double x = fx(fr, xs ? xs[idx[j]].mean : (double)(idx[j] + 1));
        if (!backward) {
            if (j > 0)
                fprintf(f, "%.1f,%.1f ", x, fy(fr, VAL(idx[j - 1])));
            fprintf(f, "%.1f,%.1f ", x, fy(fr, VAL(idx[j])));
        } else {
            fprintf(f, "%.1f,%.1f ", x, fy(fr, VAL(idx[j])));
            if (j > 0)
                fprintf(f, "%.1f,%.1f ", x, fy(fr, VAL(idx[j - 1])));
        }
    }
#undef VAL
}

/* One run's curve, thin: a step line through its values v[0..n-1]. */
static void draw_run(FILE *f, const Frame *fr, const size_t *idx, size_t m,
                     const double *v, const char *color)
{
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"0.8\" "
               "stroke-opacity=\"0.7\" stroke-dasharray=\"3,2\" points=\"",
            color);
    for (size_t j = 0; j < m; j++) {
        double x = fx(fr, (double)(idx[j] + 1));
        if (j > 0)
            fprintf(f, "%.1f,%.1f ", x, fy(fr, v[idx[j - 1]]));
        fprintf(f, "%.1f,%.1f ", x, fy(fr, v[idx[j]]));
    }
    fputs("\"/>\n", f);
}

/* A group on metric mt: the band with COMPARE_BAND_MIN_SEEDS seeds or
 * more, else every run's curve thin; then the mean line.  x is the sample
 * count, or with xs the mean CPU-seconds xs[i] spent by sample i+1 (the
 * runs are not drawn there: each has its own cost). */
static void draw_group(FILE *f, const Frame *fr, const CompareGroup *gr,
                       CompareMetric mt, const StatsSummary *xs, size_t n,
                       const char *color)
{
    const StatsSummary *s = gr->curve[mt];
    size_t idx[MAX_POINTS + 2], m = 0; /* the steps drawn */
    for (size_t i = 0; i < n && m < MAX_POINTS + 2; i = next_step(i, n))
        idx[m++] = i;
    if (!xs && gr->nsearch < COMPARE_BAND_MIN_SEEDS && gr->nsearch >= 2)
        for (size_t k = 0; k < gr->nsearch; k++)
            draw_run(f, fr, idx, m, gr->search[k].curve[mt], color);
    if (gr->nsearch >= COMPARE_BAND_MIN_SEEDS && s[n - 1].n >= 2) {
        /* the band: lo forward, hi backward */
        fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" "
                   "points=\"",
                color);
        step_points(f, fr, idx, m, s, xs, -1, 0);
        step_points(f, fr, idx, m, s, xs, 1, 1);
        fputs("\"/>\n", f);
    }
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
               "points=\"",
            color);
    step_points(f, fr, idx, m, s, xs, 0, 0);
    fputs("\"/>\n", f);
    if (n <= 40)
        for (size_t i = 0; i < n; i++)
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n",
                    fx(fr, xs ? xs[i].mean : (double)(i + 1)),
                    fy(fr, s[i].mean), color);
}

NvStatus compare_svg_write(FILE *f, const char *what, const Comparison *c,
                           NvError *err)
{
    static const char *const titles[COMPARE_NMETRICS] = {
        "best so far", "mean of the top 5 so far", "mean of the top 25 so far"
    };
    double ylo, yhi;
    size_t nsearch = 0;
    int npanel = COMPARE_NMETRICS + (c->has_cost && c->budget > 0);
    int W = npanel > COMPARE_NMETRICS
                ? PANEL_X0 + npanel * (PANEL_W + PANEL_GAP) - PANEL_GAP + 60
                : SVG_W;

    y_range(c, &ylo, &yhi);
    for (size_t g = 0; g < c->ngroup; g++)
        nsearch += c->group[g].nsearch;

    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "font-family=\"sans-serif\" font-size=\"13\">\n"
            "<title>nasview compare: reward vs samples per strategy</title>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
            W, SVG_H, W, SVG_H);
    fprintf(f,
            "<text x=\"%d\" y=\"30\" text-anchor=\"middle\" font-size=\"17\" "
            "font-weight=\"bold\">Reward vs number of architectures sampled, "
            "per strategy</text>\n"
            "<text x=\"%d\" y=\"52\" text-anchor=\"middle\">%zu searches, "
            "budget %zu samples each. Line: mean across seeds; band: 95%% "
            "Student t interval cut to [0,1] (from %d seeds; with fewer, "
            "each run dashed).</text>\n",
            W / 2, W / 2, nsearch, c->budget, COMPARE_BAND_MIN_SEEDS);

    for (int m = 0; m < COMPARE_NMETRICS; m++) {
        Frame fr = { .xmin = 1, .xmax = (double)c->budget, .ymin = ylo,
                     .ymax = yhi, .px = PANEL_X0 + m * (PANEL_W + PANEL_GAP),
                     .py = PLOT_Y0 };
        if (c->budget < 2) {
            fr.xmin = 0;
            fr.xmax = 2;
        }
        draw_axes(f, &fr, titles[m], "samples (architectures sampled)");
        for (size_t g = 0; g < c->ngroup; g++)
            if (c->budget > 0)
                draw_group(f, &fr, &c->group[g], (CompareMetric)m, NULL,
                           c->budget,
                           compare_svg_color(g));
    }
    /* The cost axis: best so far against the CPU-seconds spent, the mean
     * across seeds of both at each sample count. */
    if (npanel > COMPARE_NMETRICS) {
        double xmax = 0;
        Frame fr = { .xmin = 0, .ymin = ylo, .ymax = yhi,
                     .px = PANEL_X0 + COMPARE_NMETRICS * (PANEL_W + PANEL_GAP),
                     .py = PLOT_Y0 };
        for (size_t g = 0; g < c->ngroup; g++)
            xmax = fmax(xmax, c->group[g].cpu[c->budget - 1].mean);
        fr.xmax = xmax > 0 ? xmax * 1.02 : 1.0;
        draw_axes(f, &fr, "best so far vs cost",
                  "CPU-seconds spent (mean across seeds)");
        for (size_t g = 0; g < c->ngroup; g++)
            draw_group(f, &fr, &c->group[g], COMPARE_BEST, c->group[g].cpu,
                       c->budget, compare_svg_color(g));
    }

    /* legend: one swatch and name per strategy, with n */
    {
        double x = PANEL_X0, y = PLOT_Y0 + PLOT_H + 70;
        for (size_t g = 0; g < c->ngroup; g++) {
            const CompareGroup *gr = &c->group[g];
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"26\" height=\"12\" "
                    "fill=\"%s\" fill-opacity=\"0.18\"/>\n"
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>\n"
                    "<text x=\"%.1f\" y=\"%.1f\">",
                    x, y - 10, compare_svg_color(g), x, y - 4, x + 26, y - 4,
                    compare_svg_color(g), x + 32, y);
            xml_text(f, gr->strategy);
            fprintf(f, " (n = %zu seed%s)</text>\n", gr->nsearch,
                    gr->nsearch == 1 ? "" : "s");
            x += 60 + 8.0 * (double)strlen(gr->strategy) + 80;
        }
    }
    fputs("</svg>\n", f);
    if (ferror(f))
        return nv_error_set(err, NV_ERR_IO, "cannot write the SVG to %s: %s",
                            what, strerror(errno));
    return NV_OK;
}

NvStatus compare_svg_save(const char *path, const Comparison *c, NvError *err)
{
    FILE *f;
    NvStatus st;
    if (strcmp(path, "-") == 0) {
        st = compare_svg_write(stdout, "standard output", c, err);
        if (st == NV_OK && fflush(stdout) != 0)
            st = nv_error_set(err, NV_ERR_IO, "cannot write to standard "
                                              "output: %s", strerror(errno));
        return st;
    }
    f = fopen(path, "w");
    if (!f)
        return nv_error_set(err, NV_ERR_IO, "cannot create %s: %s", path,
                            strerror(errno));
    st = compare_svg_write(f, path, c, err);
    if (fclose(f) != 0 && st == NV_OK)
        st = nv_error_set(err, NV_ERR_IO, "cannot write %s: %s", path,
                          strerror(errno));
    return st;
}
