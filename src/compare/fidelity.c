/* fidelity.c - the fidelity report (see fidelity.h): correlations of
 * every cheap level with the reference, and the table, JSON, CSV and SVG
 * that show them. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/text.h"
#include "compare/fidelity.h"

static double at(const double *m, const FidelityInput *in, size_t i,
                 size_t l)
{
    return m[i * in->levels + l];
}

NvStatus fidelity_analyse(const FidelityInput *in, FidelityRow *rows,
                          NvError *err)
{
    NvStatus st = NV_OK;
    double *x = malloc(2 * (in->members ? in->members : 1) * sizeof *x);
    if (!x)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory analysing a panel of %zu",
                            in->members);
    double *y = x + in->members;
    double ref_secs = NAN;
    for (size_t l = 0; l < in->levels && st == NV_OK; l++) {
        FidelityRow *r = &rows[l];
        memset(r, 0, sizeof *r);
        double secs = 0;
        for (size_t i = 0; i < in->members; i++) {
            if (isnan(at(in->score, in, i, l)))
                continue;
            r->results++;
            secs += at(in->seconds, in, i, l);
        }
        r->seconds = r->results ? secs / (double)r->results : NAN;
        if (l == in->ref)
            ref_secs = r->seconds;
    }
    for (size_t l = 0; l < in->levels && st == NV_OK; l++) {
        FidelityRow *r = &rows[l];
        r->cost_ratio = ref_secs > 0 && !isnan(r->seconds)
                            ? r->seconds / ref_secs
                            : NAN;
        if (l == in->ref) {
            r->n = r->results;
            r->cost_ratio = r->results ? 1.0 : NAN;
            continue;
        }
        for (size_t i = 0; i < in->members; i++) {
            double a = at(in->score, in, i, l);
            double b = at(in->score, in, i, in->ref);
            if (isnan(a) || isnan(b))
                continue;
            x[r->n] = a;
            y[r->n++] = b;
        }
        uint64_t seed = in->seed * 1000003u + l;
        if ((st = rank_bootstrap(x, y, r->n, RANK_SPEARMAN, in->reps, seed,
                                 &r->rho, err)) ||
            (st = rank_bootstrap(x, y, r->n, RANK_KENDALL, in->reps, seed,
                                 &r->tau, err)) ||
            (st = rank_topk_overlap(x, y, r->n, in->top_k, &r->overlap, &r->k,
                                    err)))
            break;
    }
    free(x);
    return st;
}

/* ---- table ------------------------------------------------------------- */

static void put_coef(FILE *f, const RankInterval *ri)
{
    if (!ri->defined)
        fprintf(f, "  %-6s  %-16s", "-", "");
    else
        fprintf(f, "  %6.3f  [%6.3f, %6.3f]", ri->value, ri->lo, ri->hi);
}

static void put_padded(FILE *f, const char *s, int width)
{
    char buf[256];
    text_clean(s, buf, sizeof buf);
    fprintf(f, "%-*s", width, buf);
}

/* A member's score as text: "-" when missing; params and mult-adds as
 * integers. */
static void fmt_score(char *buf, size_t n, const char *kind, double v)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (isinf(v))
        snprintf(buf, n, "%s", v < 0 ? "-inf" : "inf");
    else if (strcmp(kind, "val_acc") == 0)
        snprintf(buf, n, "%.4f", v);
    else if (strcmp(kind, "naswot") == 0 || strcmp(kind, "synflow") == 0)
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "%.0f", v);
}

void fidelity_print_table(FILE *f, const FidelityInput *in,
                          const FidelityRow *rows, int members)
{
    size_t have = 0, nrand = 0, nname = 0;
    int wname = 8;
    for (size_t l = 0; l < in->levels; l++) {
        have += rows[l].results;
        int len = (int)strlen(in->level[l].name);
        if (len > wname)
            wname = len;
    }
    for (size_t i = 0; i < in->members; i++) {
        if (strncmp(in->member[i].source, "random:", 7) == 0)
            nrand++;
        else if (strcmp(in->member[i].source, "nasnet-a") == 0)
            nname++;
    }
    fputs("panel        ", f);
    text_put(f, in->panel);
    fprintf(f, " (seed %llu): %zu architecture%s (%zu random, %zu nasnet-a, "
               "%zu from searches)\n",
            (unsigned long long)in->seed, in->members,
            in->members == 1 ? "" : "s", nrand, nname,
            in->members - nrand - nname);
    fputs("reference    ", f);
    text_put(f, in->level[in->ref].name);
    fputs(" (", f);
    text_put(f, in->level[in->ref].score);
    fputs(")\n", f);
    fprintf(f, "intervals    95%% bootstrap percentile, %d resamples of the "
               "architectures\n\n",
            in->reps);
    char topk[32];
    snprintf(topk, sizeof topk, "top-%zu", in->top_k);
    fprintf(f, "%-*s  %-9s  %4s  %-6s  %-16s  %-6s  %-16s  %6s  %8s  %6s\n",
            wname, "fidelity", "score", "n", "rho", "95% interval", "tau",
            "95% interval", topk, "s/child", "cost");
    for (size_t l = 0; l < in->levels; l++) {
        const FidelityRow *r = &rows[l];
        put_padded(f, in->level[l].name, wname);
        fputs("  ", f);
        put_padded(f, in->level[l].score, 9);
        fprintf(f, "  %4zu", r->n);
        if (l == in->ref) {
            fprintf(f, "  %-6s  %-16s  %-6s  %-16s  %6s", "ref", "", "", "",
                    "");
        } else {
            put_coef(f, &r->rho);
            put_coef(f, &r->tau);
            char ov[32];
            snprintf(ov, sizeof ov, "%zu/%zu", r->overlap, r->k);
            fprintf(f, "  %6s", ov);
        }
        if (isnan(r->seconds))
            fprintf(f, "  %8s  %6s\n", "-", "-");
        else
            fprintf(f, "  %8.2f  %6.3f\n", r->seconds, r->cost_ratio);
    }
    fputc('\n', f);
    for (size_t l = 0; l < in->levels; l++) {
        put_padded(f, in->level[l].name, wname);
        fputs("  ", f);
        text_put(f, in->level[l].spec);
        fputc('\n', f);
    }
    size_t want = in->members * in->levels;
    if (have < want)
        fprintf(f, "\nmissing      %zu of %zu scores: run the panel again to "
                   "compute them\n",
                want - have, want);
    if (!members)
        return;
    fprintf(f, "\n%4s  %-18s", "#", "source");
    for (size_t l = 0; l < in->levels; l++) {
        fputs("  ", f);
        put_padded(f, in->level[l].name, 10);
    }
    fputs("  genotype\n", f);
    for (size_t i = 0; i < in->members; i++) {
        fprintf(f, "%4zu  ", i);
        put_padded(f, in->member[i].source, 18);
        for (size_t l = 0; l < in->levels; l++) {
            char buf[32];
            fmt_score(buf, sizeof buf, in->level[l].score,
                      at(in->score, in, i, l));
            fprintf(f, "  %-10s", buf);
        }
        fputs("  ", f);
        text_put(f, in->member[i].genotype);
        fputc('\n', f);
    }
}

/* ---- JSON and CSV -------------------------------------------------------- */

static void json_interval(FILE *f, const RankInterval *ri)
{
    if (!ri->defined) {
        fputs("null", f);
        return;
    }
    fputs("{\"value\":", f);
    json_number(f, ri->value);
    fputs(",\"lo\":", f);
    json_number(f, ri->lo);
    fputs(",\"hi\":", f);
    json_number(f, ri->hi);
    fprintf(f, ",\"resamples\":%d}", ri->used);
}

void fidelity_print_json(FILE *f, const FidelityInput *in,
                         const FidelityRow *rows)
{
    fputs("{\"panel\":", f);
    json_string(f, in->panel);
    fprintf(f, ",\"seed\":%llu,\"architectures\":%zu,\"reference\":",
            (unsigned long long)in->seed, in->members);
    json_string(f, in->level[in->ref].name);
    fprintf(f, ",\"top_k\":%zu,\"bootstrap\":%d,\"fidelities\":[", in->top_k,
            in->reps);
    for (size_t l = 0; l < in->levels; l++) {
        const FidelityRow *r = &rows[l];
        fputs(l ? ",{\"name\":" : "{\"name\":", f);
        json_string(f, in->level[l].name);
        fputs(",\"score\":", f);
        json_string(f, in->level[l].score);
        fputs(",\"spec\":", f);
        json_string(f, in->level[l].spec);
        fprintf(f, ",\"reference\":%s,\"results\":%zu,\"n\":%zu",
                l == in->ref ? "true" : "false", r->results, r->n);
        if (l != in->ref) {
            fputs(",\"spearman\":", f);
            json_interval(f, &r->rho);
            fputs(",\"kendall\":", f);
            json_interval(f, &r->tau);
            fprintf(f, ",\"top_k_overlap\":%zu,\"k\":%zu", r->overlap, r->k);
        }
        fputs(",\"seconds_per_child\":", f);
        json_number(f, r->seconds);
        fputs(",\"cost_ratio\":", f);
        json_number(f, r->cost_ratio);
        fputc('}', f);
    }
    fputs("],\"members\":[", f);
    for (size_t i = 0; i < in->members; i++) {
        fprintf(f, "%s{\"idx\":%zu,\"source\":", i ? "," : "", i);
        json_string(f, in->member[i].source);
        fputs(",\"genotype\":", f);
        json_string(f, in->member[i].genotype);
        fputs(",\"scores\":{", f);
        for (size_t l = 0; l < in->levels; l++) {
            if (l)
                fputc(',', f);
            json_string(f, in->level[l].name);
            fputc(':', f);
            json_number(f, at(in->score, in, i, l));
        }
        fputs("},\"seconds\":{", f);
        for (size_t l = 0; l < in->levels; l++) {
            if (l)
                fputc(',', f);
            json_string(f, in->level[l].name);
            fputc(':', f);
            json_number(f, at(in->seconds, in, i, l));
        }
        fputs("}}", f);
    }
    fputs("]}\n", f);
}

static void csv_real(FILE *f, double v)
{
    fputc(',', f);
    if (!isnan(v) && !isinf(v))
        fprintf(f, "%.6g", v);
}

static void csv_interval(FILE *f, const RankInterval *ri)
{
    if (!ri->defined) {
        fputs(",,,", f);
        return;
    }
    csv_real(f, ri->value);
    csv_real(f, ri->lo);
    csv_real(f, ri->hi);
}

void fidelity_print_csv(FILE *f, const FidelityInput *in,
                        const FidelityRow *rows)
{
    fputs("panel,fidelity,score,reference,results,n,spearman,spearman_lo,"
          "spearman_hi,kendall,kendall_lo,kendall_hi,k,top_k_overlap,"
          "seconds_per_child,cost_ratio,spec\n",
          f);
    for (size_t l = 0; l < in->levels; l++) {
        const FidelityRow *r = &rows[l];
        csv_field(f, in->panel);
        fputc(',', f);
        csv_field(f, in->level[l].name);
        fputc(',', f);
        csv_field(f, in->level[l].score);
        fprintf(f, ",%d,%zu,%zu", l == in->ref, r->results, r->n);
        if (l == in->ref)
            fputs(",,,,,,,,", f);
        else {
            csv_interval(f, &r->rho);
            csv_interval(f, &r->tau);
            fprintf(f, ",%zu,%zu", r->k, r->overlap);
        }
        csv_real(f, r->seconds);
        csv_real(f, r->cost_ratio);
        fputc(',', f);
        csv_field(f, in->level[l].spec);
        fputc('\n', f);
    }
}

/* ---- SVG --------------------------------------------------------------- */

enum {
    PLOT_W = 300,  /* one scatter plot's area */
    PLOT_H = 260,
    CELL_W = 400,  /* one plot with its margins */
    CELL_H = 360,
    MARGIN_X = 70, /* plot area inside its cell */
    MARGIN_Y = 60,
    PER_ROW = 3
};

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
        }
}

/* The finite range of column l over members scored at both l and ref,
 * widened by 5% (and to a unit when flat). */
static void range_of(const FidelityInput *in, size_t l, double *lo,
                     double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < in->members; i++) {
        double v = at(in->score, in, i, l);
        if (!isfinite(v) || isnan(at(in->score, in, i, in->ref)) ||
            isnan(at(in->score, in, i, l)))
            continue;
        if (v < *lo)
            *lo = v;
        if (v > *hi)
            *hi = v;
    }
    if (*lo > *hi) {
        *lo = 0;
        *hi = 1;
    }
    double pad = (*hi - *lo) * 0.05;
    if (!(pad > 0))
        pad = fabs(*hi) > 0 ? fabs(*hi) * 0.05 : 0.5;
    *lo -= pad;
    *hi += pad;
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

/* A tick label: 12k and 3.5M for big counts (parameters, mult-adds). */
static void tick_text(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (a >= 1e6)
        snprintf(buf, n, "%.4gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.4gk", v / 1e3);
    else
        snprintf(buf, n, "%.4g", fabs(v) < 1e-12 ? 0.0 : v);
}

/* Grid lines and labels at round values of [lo, hi] on one axis (y: 1),
 * for the plot area at (x0, y0). */
static void svg_ticks(FILE *f, int y, double x0, double y0, double lo,
                      double hi)
{
    double step = nice_step(hi - lo, 4);
    for (double v = ceil(lo / step) * step; v <= hi + 1e-9 * step;
         v += step) {
        char label[32];
        tick_text(label, sizeof label, v);
        if (!y) {
            double fx = x0 + (v - lo) / (hi - lo) * PLOT_W;
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"#dddddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
                    "font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                    fx, y0, fx, y0 + PLOT_H, fx, y0 + PLOT_H + 16, label);
        } else {
            double fy = y0 + PLOT_H - (v - lo) / (hi - lo) * PLOT_H;
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"#dddddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
                    "font-size=\"11\" text-anchor=\"end\">%s</text>\n",
                    x0, fy, x0 + PLOT_W, fy, x0 - 6, fy + 4, label);
        }
    }
}

NvStatus fidelity_svg_write(FILE *f, const char *what, const FidelityInput *in,
                            const FidelityRow *rows, NvError *err)
{
    size_t cheap = in->levels > 0 ? in->levels - 1 : 0;
    size_t cols = cheap < PER_ROW ? (cheap ? cheap : 1) : PER_ROW;
    size_t nrows = cheap ? (cheap + PER_ROW - 1) / PER_ROW : 1;
    int w = (int)(cols * CELL_W + 40), h = (int)(nrows * CELL_H + 70);
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            w, h, w, h);
    fputs("<text x=\"20\" y=\"30\" font-size=\"18\">Fidelity panel ", f);
    xml_text(f, in->panel);
    fprintf(f, ": %zu architectures, reference ", in->members);
    xml_text(f, in->level[in->ref].name);
    fputs(" (", f);
    xml_text(f, in->level[in->ref].score);
    fputs(")</text>\n", f);
    double ylo, yhi;
    range_of(in, in->ref, &ylo, &yhi);
    size_t cell = 0;
    for (size_t l = 0; l < in->levels; l++) {
        if (l == in->ref)
            continue;
        const FidelityRow *r = &rows[l];
        double cx = 20 + (double)(cell % PER_ROW) * CELL_W,
               cy = 50 + (double)(cell / PER_ROW) * CELL_H;
        double x0 = cx + MARGIN_X, y0 = cy + MARGIN_Y;
        cell++;
        double xlo, xhi;
        range_of(in, l, &xlo, &xhi);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\">", x0,
                cy + 24);
        xml_text(f, in->level[l].name);
        fputs(" (", f);
        xml_text(f, in->level[l].score);
        fputs(")</text>\n", f);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">", x0,
                cy + 42);
        if (r->rho.defined)
            fprintf(f,
                    "rho %.2f [%.2f, %.2f]  tau %.2f [%.2f, %.2f]  top-%zu "
                    "%zu/%zu  n %zu",
                    r->rho.value, r->rho.lo, r->rho.hi, r->tau.value,
                    r->tau.lo, r->tau.hi, in->top_k, r->overlap, r->k, r->n);
        else
            fprintf(f, "no correlation (n %zu)", r->n);
        fputs("</text>\n", f);
        svg_ticks(f, 0, x0, y0, xlo, xhi);
        svg_ticks(f, 1, x0, y0, ylo, yhi);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
                "fill=\"none\" stroke=\"#000000\"/>\n",
                x0, y0, PLOT_W, PLOT_H);
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                "text-anchor=\"middle\">",
                x0 + PLOT_W / 2.0, y0 + PLOT_H + 34);
        xml_text(f, in->level[l].name);
        fputs(" score</text>\n", f);
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                "text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">",
                cx + 16, y0 + PLOT_H / 2.0, cx + 16, y0 + PLOT_H / 2.0);
        xml_text(f, in->level[in->ref].name);
        fputs("</text>\n", f);
        for (size_t i = 0; i < in->members; i++) {
            double a = at(in->score, in, i, l);
            double b = at(in->score, in, i, in->ref);
            if (!isfinite(a) || !isfinite(b))
                continue;
            double px = x0 + (a - xlo) / (xhi - xlo) * PLOT_W;
            double py = y0 + PLOT_H - (b - ylo) / (yhi - ylo) * PLOT_H;
            fprintf(f,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                    "fill=\"#0072b2\" fill-opacity=\"0.75\"><title>#%zu ",
                    px, py, i);
            xml_text(f, in->member[i].source);
            fprintf(f, ": %.6g, %.6g</title></circle>\n", a, b);
        }
    }
    fputs("</svg>\n", f);
    if (ferror(f))
        return nv_error_set(err, NV_ERR_IO, "cannot write %s: %s", what,
                            strerror(errno));
    return NV_OK;
}
