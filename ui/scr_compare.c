/* scr_compare.c - the Compare screen: pick searches (Space marks one, a
 * marks all or none), then see their best-so-far (or top-5/top-25 mean)
 * curves overlaid per strategy: the mean across seeds with its 95% band
 * (compare_band: cut to [0,1]) from COMPARE_BAND_MIN_SEEDS seeds on, else
 * every run's curve thin with the mean; one colour and one marker glyph
 * per strategy; the statistics table with the plain verdict for every
 * pair of strategies and the caveat when few seeds cannot give a small p.
 * It warns when the searches differ in dataset or proxy settings
 * (compare_like.h), says which search cuts the budget (d drops it, b
 * chooses the budget; searches shorter than a chosen budget are left out
 * and named) and exports the curves, chart and table (e) as
 * `nasview compare --format csv`, `--svg` and the table would.  The
 * statistics are the compare module's, exactly what `nasview compare`
 * prints; this file only reads rewards from the store and lays them out.
 * Never writes the database.
 *
 * Invariant: rewards of a marked search are read again, and the
 * comparison built again, only when the marks, the metric, the chosen
 * budget or a count of finished samples changed (sig), so a running
 * search being compared costs one list query per change of the file. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "compare/compare.h"
#include "compare/compare_export.h"
#include "compare/compare_like.h"
#include "compare/compare_load.h"
#include "compare/compare_report.h"
#include "widgets/curves.h"
#include "screens.h"

/* One search in the picker, with its rewards once it is marked. */
typedef struct {
    StoreSearch info;
    int mark;
    int loaded_done;   /* info.samples_done when r was read; -1 none */
    CompareRewards r;  /* its samples that count (compare_load.h) */
} Pick;

/* The curves of one strategy group, as arrays for curves_draw: a band
 * (lo, hi; NULL below COMPARE_BAND_MIN_SEEDS seeds) or its runs. */
typedef struct {
    double *mean, *lo, *hi;
    const double **run;   /* nrun curves owned by the Comparison */
    size_t nrun;
} GroupCurve;

typedef struct {
    Screen base;
    Pick *pick;
    size_t npick;
    int cursor, top;
    int first_load;          /* marks every search on the first read */
    CompareMetric metric;
    Comparison *cmp;
    GroupCurve *curve;       /* cmp->ngroup entries */
    char problem[600];       /* why there is no comparison */
    uint64_t sig;            /* of what cmp was built from (invariant) */
    size_t budget_choice;    /* 0: the smallest count among the marked */
    int64_t short_id;        /* the search that cuts the budget, or -1 */
    int clipped;             /* a drawn band was cut to [0,1] */
    char like[1200];         /* compare_check_like's warning, or "" */
    char budget_note[1400];  /* who sets the budget, who is left out */
} CompareScreen;

static void pick_free_rewards(Pick *p)
{
    compare_rewards_free(&p->r);
    p->loaded_done = -1;
}

static void free_comparison(CompareScreen *cs)
{
    for (size_t g = 0; cs->cmp && g < cs->cmp->ngroup; g++) {
        free(cs->curve[g].mean);
        free(cs->curve[g].lo);
        free(cs->curve[g].hi);
        free(cs->curve[g].run);
    }
    free(cs->curve);
    cs->curve = NULL;
    compare_free(cs->cmp);
    cs->cmp = NULL;
    cs->like[0] = cs->budget_note[0] = '\0';
    cs->short_id = -1;
    cs->clipped = 0;
}

/* Read the rewards of p, as `nasview compare` reads them. */
static NvStatus load_rewards(Store *st, Pick *p, NvError *err)
{
    NvStatus status = compare_rewards_load(st, &p->info, &p->r, err);
    p->loaded_done = status == NV_OK ? p->info.samples_done : -1;
    return status;
}

/* Re-read the list of searches, keeping marks and loaded rewards by id. */
static void reload_list(CompareScreen *cs, Store *st)
{
    StoreSearch *list = NULL;
    size_t n = 0;
    NvError err;
    if (store_search_list(st, &list, &n, &err) != NV_OK) {
        snprintf(cs->problem, sizeof cs->problem, "%s", err.msg);
        return;
    }
    Pick *np = calloc(n ? n : 1, sizeof *np);
    if (!np) {
        free(list);
        snprintf(cs->problem, sizeof cs->problem, "out of memory");
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (list[i].samples_done <= 0)
            continue;
        Pick *p = &np[k++];
        p->info = list[i];
        p->loaded_done = -1;
        p->mark = cs->first_load;
        for (size_t j = 0; j < cs->npick; j++)
            if (cs->pick[j].info.id == list[i].id) {
                Pick *old = &cs->pick[j];
                p->mark = old->mark;
                p->r = old->r;
                p->loaded_done = old->loaded_done;
                memset(&old->r, 0, sizeof old->r);
            }
    }
    free(list);
    for (size_t j = 0; j < cs->npick; j++)
        pick_free_rewards(&cs->pick[j]);
    free(cs->pick);
    cs->pick = np;
    cs->npick = k;
    cs->first_load = 0;
    if (cs->cursor >= (int)k)
        cs->cursor = k ? (int)k - 1 : 0;
}

static int fill_curves(CompareScreen *cs)
{
    const Comparison *c = cs->cmp;
    cs->curve = calloc(c->ngroup ? c->ngroup : 1, sizeof *cs->curve);
    if (!cs->curve)
        return -1;
    for (size_t g = 0; g < c->ngroup; g++) {
        GroupCurve *gc = &cs->curve[g];
        const CompareGroup *gr = &c->group[g];
        size_t b = c->budget ? c->budget : 1;
        int band = gr->nsearch >= COMPARE_BAND_MIN_SEEDS;
        gc->mean = malloc(b * sizeof *gc->mean);
        if (!gc->mean)
            return -1;
        if (band) {
            gc->lo = malloc(b * sizeof *gc->lo);
            gc->hi = malloc(b * sizeof *gc->hi);
            if (!gc->lo || !gc->hi)
                return -1;
        } else if (gr->nsearch >= 2) {
            gc->run = calloc(gr->nsearch, sizeof *gc->run);
            if (!gc->run)
                return -1;
            for (size_t k = 0; k < gr->nsearch; k++)
                gc->run[k] = gr->search[k].curve[cs->metric];
            gc->nrun = gr->nsearch;
        }
        const StatsSummary *sum = gr->curve[cs->metric];
        /* The band every output shows: the t interval cut to [0, 1]. */
        for (size_t i = 0; i < c->budget; i++) {
            gc->mean[i] = sum[i].mean;
            if (band) {
                CompareBand cb = compare_band(&sum[i]);
                gc->lo[i] = cb.lo;
                gc->hi[i] = cb.hi;
                cs->clipped |= cb.clipped;
            }
        }
    }
    return 0;
}

/* FNV-1a over the marked searches' ids and counts and the metric. */
static uint64_t signature(const CompareScreen *cs)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < cs->npick; i++) {
        const Pick *p = &cs->pick[i];
        uint64_t v[3] = { (uint64_t)p->info.id, (uint64_t)p->info.samples_done,
                          (uint64_t)p->mark };
        for (int j = 0; j < 3; j++) {
            h ^= v[j];
            h *= 1099511628211ULL;
        }
    }
    h = (h ^ (uint64_t)cs->metric) * 1099511628211ULL;
    return (h ^ (uint64_t)cs->budget_choice) * 1099511628211ULL;
}

/* Append text to buf[size] (truncating). */
static void append(char *buf, size_t size, const char *text)
{
    size_t len = strlen(buf);
    if (len + 1 < size)
        snprintf(buf + len, size - len, "%s", text);
}

/* The notes above the chart: the like-with-like warning over the searches
 * compared, and who sets the budget or is left out by a chosen one.
 * in[nin] are compared, out[nout] marked but left out; smallest/largest
 * are the counts among all marked. */
static void make_notes(CompareScreen *cs, Pick **in, size_t nin, Pick **out,
                       size_t nout, size_t smallest, size_t largest)
{
    StoreSearch *info = calloc(nin ? nin : 1, sizeof *info);
    char name[4 * STORE_NAME_MAX], line[600];
    if (info) {
        for (size_t i = 0; i < nin; i++)
            info[i] = in[i]->info;
        if (compare_like_text(info, nin, line, sizeof line))
            snprintf(cs->like, sizeof cs->like, "Warning: %s.", line);
        free(info);
    }
    size_t B = cs->cmp->budget;
    if (cs->budget_choice == 0 && smallest < largest) {
        const Pick *p = NULL;
        size_t ties = 0;
        for (size_t i = 0; i < nin; i++)
            if (in[i]->r.n == smallest) {
                if (!p)
                    p = in[i];
                else
                    ties++;
            }
        if (!p)
            return;
        cs->short_id = p->info.id;
        text_clean(p->info.name, name, sizeof name);
        int running = p->info.status == SEARCH_RUNNING ||
                      p->info.status == SEARCH_PAUSED;
        snprintf(line, sizeof line, "budget %zu: %s %s %zu", B, name,
                 running ? "is still at" : "stopped at", smallest);
        append(cs->budget_note, sizeof cs->budget_note, line);
        if (ties) {
            snprintf(line, sizeof line, " (and %zu more)", ties);
            append(cs->budget_note, sizeof cs->budget_note, line);
        }
        snprintf(line, sizeof line,
                 " (the longest has %zu); d drops it, b changes budget",
                 largest);
        append(cs->budget_note, sizeof cs->budget_note, line);
    } else if (cs->budget_choice) {
        snprintf(line, sizeof line, "budget %zu (chosen with b%s)", B,
                 cs->budget_choice > largest ? "; no search has more" : "");
        append(cs->budget_note, sizeof cs->budget_note, line);
        for (size_t i = 0; i < nout; i++) {
            text_clean(out[i]->info.name, name, sizeof name);
            snprintf(line, sizeof line, "%s%s (%zu)",
                     i == 0 ? "; left out, fewer samples: " : ", ", name,
                     out[i]->r.n);
            append(cs->budget_note, sizeof cs->budget_note, line);
        }
    }
}

/* Read what changed of the marked searches and compare them again. */
static void rebuild(CompareScreen *cs, Store *st)
{
    cs->problem[0] = '\0';
    reload_list(cs, st);
    if (cs->problem[0]) {
        free_comparison(cs);
        return;
    }
    uint64_t sig = signature(cs);
    if (cs->cmp && sig == cs->sig)
        return;
    free_comparison(cs);
    cs->sig = sig;
    if (cs->npick == 0) {
        snprintf(cs->problem, sizeof cs->problem,
                 "No search has a finished sample yet: nothing to compare.");
        return;
    }
    CompareInput *in = calloc(cs->npick, sizeof *in);
    Pick **used = calloc(cs->npick, sizeof *used);
    Pick **left = calloc(cs->npick, sizeof *left);
    if (!in || !used || !left) {
        snprintf(cs->problem, sizeof cs->problem, "out of memory");
        goto done;
    }
    size_t nmarked = 0, nin = 0, nleft = 0, smallest = 0, largest = 0;
    NvError err;
    for (size_t i = 0; i < cs->npick; i++) {
        Pick *p = &cs->pick[i];
        if (!p->mark)
            continue;
        if (p->loaded_done != p->info.samples_done &&
            load_rewards(st, p, &err) != NV_OK) {
            snprintf(cs->problem, sizeof cs->problem, "%s", err.msg);
            goto done;
        }
        if (p->r.n == 0)
            continue;
        if (nmarked == 0 || p->r.n < smallest)
            smallest = p->r.n;
        if (p->r.n > largest)
            largest = p->r.n;
        used[nmarked++] = p;
    }
    /* The budget: the smallest count, or the one chosen (at most the
     * largest count); searches with fewer samples are left out. */
    size_t B = cs->budget_choice == 0 ? smallest
               : cs->budget_choice < largest ? cs->budget_choice : largest;
    for (size_t i = 0; i < nmarked; i++) {
        Pick *p = used[i];
        if (p->r.n < B) {
            left[nleft++] = p;
            continue;
        }
        used[nin] = p;
        in[nin] = compare_input_of(&p->info, &p->r);
        nin++;
    }
    if (nin == 0)
        snprintf(cs->problem, sizeof cs->problem,
                 "Mark searches with Space (a marks all) to compare them.");
    else if (compare_build(in, nin, cs->budget_choice ? B : 0, cs->metric,
                           &cs->cmp, &err) != NV_OK)
        snprintf(cs->problem, sizeof cs->problem, "%s", err.msg);
    else if (fill_curves(cs) != 0) {
        free_comparison(cs);
        snprintf(cs->problem, sizeof cs->problem, "out of memory");
    } else
        make_notes(cs, used, nin, left, nleft, smallest, largest);
done:
    free(in);
    free(used);
    free(left);
}

static int compare_tick(Screen *s, App *a)
{
    CompareScreen *cs = (CompareScreen *)s;
    if (!ui_data_changed(a->data))
        return 0;
    Store *st = ui_data_store(a->data);
    if (st)
        rebuild(cs, st);
    else
        snprintf(cs->problem, sizeof cs->problem, "%s",
                 ui_data_problem(a->data)[0] ? ui_data_problem(a->data)
                 : "No search has a finished sample yet: nothing to compare.");
    return 1;
}

/* Write text wrapped at spaces into rows y.. of width w; returns the rows
 * used (at most max_rows).  g NULL: only counts them. */
static int wrap_text(UiGrid *g, int x, int y, int w, int max_rows,
                     const char *text, UiRole role)
{
    int rows = 0;
    const char *p = text;
    char line[512];
    while (*p && rows < max_rows) {
        size_t len = strlen(p), cut = len;
        if ((int)len > w) {
            cut = (size_t)w;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = (size_t)w;
        }
        if (cut >= sizeof line)
            cut = sizeof line - 1;
        memcpy(line, p, cut);
        line[cut] = '\0';
        if (g)
            ui_grid_text(g, x, y + rows, line, role);
        rows++;
        p += cut;
        while (*p == ' ')
            p++;
    }
    return rows;
}

static UiRole series_role(size_t g)
{
    static const UiRole r[] = { UI_ROLE_SERIES1, UI_ROLE_SERIES2,
                                UI_ROLE_SERIES3, UI_ROLE_SERIES4 };
    return r[g % 4];
}

static int draw_picker(CompareScreen *cs, UiGrid *g, int x, int y, int w,
                       int rows)
{
    if (cs->cursor < cs->top)
        cs->top = cs->cursor;
    if (cs->cursor >= cs->top + rows)
        cs->top = cs->cursor - rows + 1;
    int r = 0;
    for (size_t i = (size_t)cs->top; i < cs->npick && r < rows; i++, r++) {
        const Pick *p = &cs->pick[i];
        char line[400];
        snprintf(line, sizeof line, "[%c] %-26.26s %-10s %5d samples  %s",
                 p->mark ? 'x' : ' ', p->info.name, p->info.strategy,
                 p->info.samples_done, ui_search_state(&p->info));
        int sel = (int)i == cs->cursor;
        if (sel)
            for (int c = 0; c < w; c++)
                ui_grid_put(g, x + c, y + r, ' ', UI_ROLE_SELECT);
        ui_grid_text_clip(g, x, y + r, x + w, line,
                          sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL);
    }
    return r;
}

/* The marker glyph of group k, on the line and in the legend: shapes in
 * UTF-8, letters in ASCII, so strategies differ without colour. */
static uint32_t series_mark(const App *a, size_t k)
{
    static const uint32_t utf8[] = { 0x25cf, 0x25b2, 0x25a0, 0x25c6 };
    static const char ascii[] = { 'o', '+', 'x', '*' };
    if (a->cfg.utf8 && a->cfg.plot_mode != PLOT_ASCII)
        return utf8[k % 4];
    return (uint32_t)ascii[k % 4];
}

/* One line: per strategy its marker, name and n; then what the chart
 * draws (band or runs) and whether a band was cut to [0, 1]. */
static void draw_legend(CompareScreen *cs, App *a, UiGrid *g, int x, int y,
                        int w)
{
    const Comparison *c = cs->cmp;
    int cx = x, bands = 0, runs = 0;
    int ascii = !(a->cfg.utf8 && a->cfg.plot_mode != PLOT_ASCII);
    for (size_t k = 0; k < c->ngroup && cx < x + w; k++) {
        const CompareGroup *gr = &c->group[k];
        char item[200];
        bands |= gr->nsearch >= COMPARE_BAND_MIN_SEEDS;
        runs |= gr->nsearch >= 2 && gr->nsearch < COMPARE_BAND_MIN_SEEDS;
        cx += ui_grid_text_clip(g, cx, y, x + w, ascii ? "-" : "\u2501",
                                series_role(k));
        ui_grid_put(g, cx++, y, series_mark(a, k), series_role(k));
        if (gr->nsearch == 1)
            snprintf(item, sizeof item, " %s (n=1)  ", gr->strategy);
        else
            snprintf(item, sizeof item, " %s (%zu searches)  ", gr->strategy,
                     gr->nsearch);
        cx += ui_grid_text_clip(g, cx, y, x + w, item, series_role(k));
    }
    char what[160] = "line: mean";
    if (runs)
        append(what, sizeof what, "; dots: each run (n<4)");
    if (bands)
        append(what, sizeof what,
               cs->clipped ? "; band: 95% t, cut to [0,1]" : "; band: 95% t");
    ui_grid_text_clip(g, cx, y, x + w, what, UI_ROLE_DIM);
}

/* The table's lines: header, one per strategy, then per pair the verdict
 * and its caveat (wrapped); returns the rows drawn (g NULL: counts). */
static int draw_table(CompareScreen *cs, UiGrid *g, int x, int y, int w,
                      int max_rows)
{
    const Comparison *c = cs->cmp;
    char line[800];
    int r = 0;
    snprintf(line, sizeof line, "%-12s %3s  %-30s %-8s %-8s %s", "strategy", "n",
             "best at budget: mean [95% CI]", "top-5", "AUC", "duplicates");
    /* say what a * after an interval means when one is there and fits */
    int cut = 0;
    for (size_t k = 0; k < c->ngroup; k++)
        cut |= compare_band(&c->group[k].final[COMPARE_BEST]).clipped;
    if (cut && (int)strlen(line) + 22 <= w)
        append(line, sizeof line, "  *: CI cut to [0,1]");
    if (g)
        ui_grid_text_clip(g, x, y + r, x + w, line, UI_ROLE_TITLE);
    r++;
    for (size_t k = 0; k < c->ngroup && r < max_rows; k++) {
        const CompareGroup *gr = &c->group[k];
        char ci[64];
        compare_report_summary(ci, sizeof ci, &gr->final[COMPARE_BEST]);
        snprintf(line, sizeof line, "%-12s %3zu  %-30s %-8.4f %-8.4f %zu",
                 gr->strategy, gr->nsearch, ci, gr->final[COMPARE_TOP5].mean,
                 gr->auc.mean, gr->duplicates);
        if (g)
            ui_grid_text_clip(g, x, y + r, x + w, line, series_role(k));
        r++;
    }
    if (c->npair == 0 && r < max_rows) {
        if (g)
            ui_grid_text_clip(g, x, y + r, x + w,
                              "Verdict: needs searches of two strategies.",
                              UI_ROLE_DIM);
        r++;
    }
    for (size_t i = 0; i < c->npair && r < max_rows; i++) {
        char note[300];
        snprintf(line, sizeof line, "Verdict: %s", c->pair[i].text);
        r += wrap_text(g, x, y + r, w, max_rows - r, line, UI_ROLE_TITLE);
        if (compare_pair_caveat(&c->pair[i], note, sizeof note) &&
            r < max_rows) {
            snprintf(line, sizeof line, "Note: %s", note);
            r += wrap_text(g, x, y + r, w, max_rows - r, line, UI_ROLE_WARN);
        }
    }
    return r < max_rows ? r : max_rows;
}

static void compare_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w,
                         int h)
{
    CompareScreen *cs = (CompareScreen *)s;
    char title[400];
    size_t marked = 0;
    for (size_t i = 0; i < cs->npick; i++)
        marked += cs->pick[i].mark != 0;
    if (cs->cmp)
        snprintf(title, sizeof title,
                 "Compare strategies: %zu of %zu searches, budget %zu samples "
                 "(%s), %s so far", marked, cs->npick, cs->cmp->budget,
                 cs->budget_choice ? "chosen" : "smallest",
                 compare_metric_label(cs->metric));
    else
        snprintf(title, sizeof title, "Compare strategies: %zu of %zu searches",
                 marked, cs->npick);
    ui_grid_text_clip(g, x, y, x + w, title, UI_ROLE_TITLE);
    int rows = (int)cs->npick;
    int cap = h / 6 < 3 ? 3 : h / 6;
    if (rows > cap)
        rows = cap;
    int r = y + 1 + draw_picker(cs, g, x, y + 1, w, rows);
    if (!cs->cmp) {
        wrap_text(g, x, r + 1, w, 3, cs->problem, UI_ROLE_WARN);
        return;
    }
    const Comparison *c = cs->cmp;
    /* notes: the budget, then the warning, at most two rows each */
    if (cs->budget_note[0])
        r += wrap_text(g, x, r, w, 2, cs->budget_note, UI_ROLE_WARN);
    if (cs->like[0])
        r += wrap_text(g, x, r, w, 2, cs->like, UI_ROLE_WARN);
    int table_rows = draw_table(cs, NULL, x, 0, w, 1000);
    int ph = y + h - r - 1 - table_rows - 1;
    draw_legend(cs, a, g, x, r++, w);
    if (ph >= 5) {
        CurveSeries sr[64];
        size_t ns = c->ngroup < 64 ? c->ngroup : 64;
        for (size_t k = 0; k < ns; k++) {
            sr[k] = (CurveSeries){ cs->curve[k].mean, cs->curve[k].lo,
                                   cs->curve[k].hi, c->budget, series_role(k),
                                   cs->curve[k].run, cs->curve[k].nrun,
                                   series_mark(a, k) };
        }
        char ytitle[96];
        snprintf(ytitle, sizeof ytitle, "val acc (0-1), %s so far",
                 compare_metric_label(cs->metric));
        curves_draw(g, x, r, w, ph, sr, ns, a->cfg.plot_mode, "samples",
                    ytitle);
        r += ph;
    }
    draw_table(cs, g, x, r + 1, w, y + h - r - 1);
}

/* The answer to e: the export's files (compare_export.h). */
static void export_done(App *a, Screen *owner, const char *text)
{
    CompareScreen *cs = (CompareScreen *)owner;
    if (!text || !text[0])
        return;
    if (!cs->cmp) {
        app_message(a, 1, "nothing to export: no comparison on screen");
        return;
    }
    char base[PATH_MAX], csv[PATH_MAX + 8];
    NvError err;
    if (compare_export(cs->cmp, text, a->cfg.db_path, base, sizeof base,
                       &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    snprintf(csv, sizeof csv, "%s.csv", base);
    char abs[PATH_MAX + 8];
    if (!realpath(csv, abs))
        snprintf(abs, sizeof abs, "%s", csv);
    size_t len = strlen(abs);
    if (len > 4)
        abs[len - 4] = '\0';
    app_message(a, 0, "wrote %s.csv (curves), .svg (chart) and .txt (table)",
                abs);
}

/* The answer to b: a budget of 1 or more, or empty / 0 for the smallest
 * count. */
static void budget_done(App *a, Screen *owner, const char *text)
{
    CompareScreen *cs = (CompareScreen *)owner;
    if (!text)
        return;
    char *end;
    while (*text == ' ')
        text++;
    if (!*text) {
        cs->budget_choice = 0;
    } else {
        unsigned long long v = strtoull(text, &end, 10);
        while (*end == ' ')
            end++;
        if (*end || text[0] == '-' || v > 1000000000ULL) {
            app_message(a, 1, "budget '%s': give a number of samples, or "
                        "nothing for the smallest count", text);
            return;
        }
        cs->budget_choice = (size_t)v;
    }
    ui_data_touch(a->data);
}

static int compare_key(Screen *s, App *a, int key)
{
    CompareScreen *cs = (CompareScreen *)s;
    int n = (int)cs->npick;
    switch (key) {
    case 'j': case UI_KEY_DOWN:
        if (cs->cursor + 1 < n)
            cs->cursor++;
        return 1;
    case 'k': case UI_KEY_UP:
        if (cs->cursor > 0)
            cs->cursor--;
        return 1;
    case 'g': case UI_KEY_HOME: cs->cursor = 0; return 1;
    case 'G': case UI_KEY_END: cs->cursor = n ? n - 1 : 0; return 1;
    case ' ':
        if (n)
            cs->pick[cs->cursor].mark = !cs->pick[cs->cursor].mark;
        break;
    case 'a': {
        int all = 1;
        for (int i = 0; i < n; i++)
            all &= cs->pick[i].mark != 0;
        for (int i = 0; i < n; i++)
            cs->pick[i].mark = !all;
        break;
    }
    case 'm':
        cs->metric = (CompareMetric)((cs->metric + 1) % COMPARE_NMETRICS);
        break;
    case 'd': {
        int found = 0;
        for (int i = 0; i < n; i++)
            if (cs->short_id >= 0 && cs->pick[i].info.id == cs->short_id &&
                cs->pick[i].mark) {
                char name[4 * STORE_NAME_MAX];
                cs->pick[i].mark = 0;
                found = 1;
                app_message(a, 0, "dropped %s from the comparison (Space "
                            "marks it again)",
                            text_clean(cs->pick[i].info.name, name, sizeof name));
            }
        if (!found) {
            app_message(a, 0, "no search cuts the budget: nothing to drop");
            return 1;
        }
        break;
    }
    case 'b': {
        char cur[32] = "";
        if (cs->budget_choice)
            snprintf(cur, sizeof cur, "%zu", cs->budget_choice);
        app_prompt(a, s, "Budget (samples; empty: the smallest count):",
                   cur, budget_done);
        return 1;
    }
    case 'e': {
        if (!cs->cmp) {
            app_message(a, 1, "nothing to export: mark searches to compare");
            return 1;
        }
        char path[PATH_MAX + 64], cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            snprintf(cwd, sizeof cwd, ".");
        snprintf(path, sizeof path, "%s/compare-%s-%zu", cwd,
                 compare_metric_name(cs->metric), cs->cmp->budget);
        app_prompt(a, s, "Export to (NAME.csv, .svg, .txt):", path,
                   export_done);
        return 1;
    }
    default:
        return 0;
    }
    ui_data_touch(a->data); /* compare again on the next tick */
    return 1;
}

static const UiKey compare_keys[] = {
    { "j / k, arrows, g / G", "move in the list of searches" },
    { "Space", "mark or unmark the search (marked ones are compared)" },
    { "a", "mark all searches, or none when all are marked" },
    { "m", "what the curves and the test use: best, top-5 or top-25 mean" },
    { "b", "choose the budget (samples per search); searches with fewer "
           "are left out and named; empty: the smallest count" },
    { "d", "drop the search that cuts the budget (unmark it)" },
    { "e", "export the curves (CSV), chart (SVG) and table (text), as "
           "nasview compare --format csv / --svg write them" },
    { "q, Esc", "back to the searches" },
    { NULL, NULL },
};

static const UiKey *compare_keylist(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return compare_keys;
}

static const char *compare_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "Space mark  a all  m metric  b budget  d drop short  e export  q back";
}

static void compare_free_screen(Screen *s)
{
    CompareScreen *cs = (CompareScreen *)s;
    free_comparison(cs);
    for (size_t i = 0; i < cs->npick; i++)
        pick_free_rewards(&cs->pick[i]);
    free(cs->pick);
    free(cs);
}

static const ScreenOps compare_ops = {
    "Compare", compare_draw, compare_key, compare_tick,
    compare_keylist, compare_hint, compare_free_screen,
};

Screen *scr_compare_new(App *a)
{
    CompareScreen *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->base.ops = &compare_ops;
    cs->first_load = 1;
    cs->metric = COMPARE_BEST;
    cs->short_id = -1;
    ui_data_touch(a->data);
    return &cs->base;
}
