/* scr_compare.c - the Compare screen: pick searches (Space marks one, a
 * marks all or none), then see their best-so-far (or top-5/top-25 mean)
 * curves overlaid per strategy, the mean across seeds with its 95% band,
 * one colour per strategy, and the statistics table with the plain
 * verdict for every pair of strategies.  The statistics are the compare
 * module's (compare.h, stats.h), exactly what `nasview compare` prints;
 * this file only reads rewards from the store and lays them out.  Never
 * writes the database.
 *
 * Invariant: rewards of a marked search are read again, and the
 * comparison built again, only when the marks, the metric or a count of
 * finished samples changed (sig), so a running search being compared
 * costs one list query per change of the file. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "widgets/curves.h"
#include "screens.h"

/* One search in the picker, with its rewards once it is marked. */
typedef struct {
    StoreSearch info;
    int mark;
    int loaded_done;   /* info.samples_done when reward[] was read; -1 none */
    double *reward;
    uint64_t *key;
    size_t n;
} Pick;

/* The curves of one strategy group, as arrays for curves_draw. */
typedef struct {
    double *mean, *lo, *hi;
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
} CompareScreen;

static void pick_free_rewards(Pick *p)
{
    free(p->reward);
    free(p->key);
    p->reward = NULL;
    p->key = NULL;
    p->n = 0;
    p->loaded_done = -1;
}

static void free_comparison(CompareScreen *cs)
{
    for (size_t g = 0; cs->cmp && g < cs->cmp->ngroup; g++) {
        free(cs->curve[g].mean);
        free(cs->curve[g].lo);
        free(cs->curve[g].hi);
    }
    free(cs->curve);
    cs->curve = NULL;
    compare_free(cs->cmp);
    cs->cmp = NULL;
}

/* Samples that count toward the budget, as `nasview compare` counts them:
 * those with a reward (done, diverged, duplicate). */
static int sample_counts(SampleStatus st)
{
    return st == SAMPLE_DONE || st == SAMPLE_DIVERGED || st == SAMPLE_DUPLICATE;
}

/* Read the rewards and architecture hashes of p in sample order, a page
 * at a time (keyset on idx). */
static NvStatus load_rewards(Store *st, Pick *p, NvError *err)
{
    enum { PAGE = 1024 };
    pick_free_rewards(p);
    size_t cap = 0;
    StoreSample last;
    int have_last = 0;
    for (;;) {
        StoreSampleQuery q = { STORE_ORDER_IDX, 0, PAGE, have_last ? &last : NULL };
        StoreSample *rows = NULL;
        size_t n = 0;
        NvStatus s = store_samples(st, p->info.id, &q, &rows, &n, err);
        if (s != NV_OK)
            return s;
        for (size_t i = 0; i < n; i++) {
            if (!sample_counts(rows[i].status))
                continue;
            if (p->n == cap) {
                size_t nc = cap ? 2 * cap : 256;
                double *nr = realloc(p->reward, nc * sizeof *nr);
                if (nr)
                    p->reward = nr;
                uint64_t *nk = nr ? realloc(p->key, nc * sizeof *nk) : NULL;
                if (!nk) {
                    free(rows);
                    return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
                }
                p->key = nk;
                cap = nc;
            }
            p->reward[p->n] = isfinite(rows[i].reward) ? rows[i].reward : 0.0;
            p->key[p->n] = strtoull(rows[i].hash, NULL, 16);
            p->n++;
        }
        if (n > 0) {
            last = rows[n - 1];
            have_last = 1;
        }
        free(rows);
        if (n < PAGE)
            break;
    }
    p->loaded_done = p->info.samples_done;
    return NV_OK;
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
                p->reward = old->reward;
                p->key = old->key;
                p->n = old->n;
                p->loaded_done = old->loaded_done;
                old->reward = NULL;
                old->key = NULL;
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
        size_t b = c->budget ? c->budget : 1;
        gc->mean = malloc(b * sizeof *gc->mean);
        gc->lo = malloc(b * sizeof *gc->lo);
        gc->hi = malloc(b * sizeof *gc->hi);
        if (!gc->mean || !gc->lo || !gc->hi)
            return -1;
        const StatsSummary *sum = c->group[g].curve[cs->metric];
        /* Rewards are accuracies: the chart clips the band to [0, 1] (with
         * two seeds a t interval reaches far beyond); the table shows the
         * interval as computed. */
        for (size_t i = 0; i < c->budget; i++) {
            gc->mean[i] = sum[i].mean;
            gc->lo[i] = sum[i].lo < 0 ? 0 : sum[i].lo;
            gc->hi[i] = sum[i].hi > 1 ? 1 : sum[i].hi;
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
    return (h ^ (uint64_t)cs->metric) * 1099511628211ULL;
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
    if (!in) {
        snprintf(cs->problem, sizeof cs->problem, "out of memory");
        return;
    }
    size_t nin = 0;
    NvError err;
    for (size_t i = 0; i < cs->npick; i++) {
        Pick *p = &cs->pick[i];
        if (!p->mark)
            continue;
        if (p->loaded_done != p->info.samples_done &&
            load_rewards(st, p, &err) != NV_OK) {
            snprintf(cs->problem, sizeof cs->problem, "%s", err.msg);
            free(in);
            return;
        }
        if (p->n == 0)
            continue;
        in[nin].name = p->info.name;
        in[nin].strategy = p->info.strategy;
        in[nin].reward = p->reward;
        in[nin].key = p->key;
        in[nin].n = p->n;
        nin++;
    }
    if (nin == 0)
        snprintf(cs->problem, sizeof cs->problem,
                 "Mark searches with Space (a marks all) to compare them.");
    else if (compare_build(in, nin, 0, cs->metric, &cs->cmp, &err) != NV_OK)
        snprintf(cs->problem, sizeof cs->problem, "%s", err.msg);
    else if (fill_curves(cs) != 0) {
        free_comparison(cs);
        snprintf(cs->problem, sizeof cs->problem, "out of memory");
    }
    free(in);
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
 * used (at most max_rows). */
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

static void draw_legend(CompareScreen *cs, App *a, UiGrid *g, int x, int y,
                        int w)
{
    const Comparison *c = cs->cmp;
    int cx = x;
    for (size_t k = 0; k < c->ngroup && cx < x + w; k++) {
        char item[200];
        snprintf(item, sizeof item, "%s %s (%zu search%s)  ",
                 a->cfg.utf8 ? "\u2501\u2501" : "--", c->group[k].strategy,
                 c->group[k].nsearch, c->group[k].nsearch == 1 ? "" : "es");
        cx += ui_grid_text_clip(g, cx, y, x + w, item, series_role(k));
    }
    ui_grid_text_clip(g, cx, y, x + w, "line: mean; dots: 95% band",
                      UI_ROLE_DIM);
}

static int draw_table(CompareScreen *cs, UiGrid *g, int x, int y, int w,
                      int max_rows)
{
    const Comparison *c = cs->cmp;
    char line[600];
    int r = 0;
    snprintf(line, sizeof line, "%-12s %3s  %-30s %-8s %-8s %s", "strategy", "n",
             "best at budget: mean [95% CI]", "top-5", "AUC", "duplicates");
    ui_grid_text_clip(g, x, y + r++, x + w, line, UI_ROLE_TITLE);
    for (size_t k = 0; k < c->ngroup && r < max_rows; k++) {
        const CompareGroup *gr = &c->group[k];
        const StatsSummary *b = &gr->final[COMPARE_BEST];
        char ci[64];
        snprintf(ci, sizeof ci, "%.4f [%.4f, %.4f]", b->mean, b->lo, b->hi);
        snprintf(line, sizeof line, "%-12s %3zu  %-30s %-8.4f %-8.4f %zu",
                 gr->strategy, gr->nsearch, ci, gr->final[COMPARE_TOP5].mean,
                 gr->auc.mean, gr->duplicates);
        ui_grid_text_clip(g, x, y + r++, x + w, line, series_role(k));
    }
    if (c->npair == 0 && r < max_rows) {
        ui_grid_text_clip(g, x, y + r++, x + w,
                          "Verdict: needs searches of two strategies.", UI_ROLE_DIM);
    }
    for (size_t i = 0; i < c->npair && r < max_rows; i++) {
        snprintf(line, sizeof line, "Verdict: %s", c->pair[i].text);
        r += wrap_text(g, x, y + r, w, max_rows - r, line, UI_ROLE_TITLE);
    }
    return r;
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
                 "(the smallest count), %s so far", marked, cs->npick,
                 cs->cmp->budget, compare_metric_label(cs->metric));
    else
        snprintf(title, sizeof title, "Compare strategies: %zu of %zu searches",
                 marked, cs->npick);
    ui_grid_text_clip(g, x, y, x + w, title, UI_ROLE_TITLE);
    int rows = (int)cs->npick;
    int cap = h / 4 < 3 ? 3 : h / 4;
    if (rows > cap)
        rows = cap;
    int r = y + 1 + draw_picker(cs, g, x, y + 1, w, rows);
    if (!cs->cmp) {
        wrap_text(g, x, r + 1, w, 3, cs->problem, UI_ROLE_WARN);
        return;
    }
    const Comparison *c = cs->cmp;
    int table_rows = 1 + (int)c->ngroup + (c->npair ? 2 * (int)c->npair : 1);
    int ph = y + h - r - 1 - table_rows - 1;
    draw_legend(cs, a, g, x, r++, w);
    if (ph >= 4) {
        CurveSeries sr[64];
        size_t ns = c->ngroup < 64 ? c->ngroup : 64;
        for (size_t k = 0; k < ns; k++) {
            sr[k].mean = cs->curve[k].mean;
            sr[k].lo = cs->curve[k].lo;
            sr[k].hi = cs->curve[k].hi;
            sr[k].n = c->budget;
            sr[k].role = series_role(k);
        }
        curves_draw(g, x, r, w, ph, sr, ns, a->cfg.plot_mode, "samples");
        r += ph;
    }
    draw_table(cs, g, x, r + 1, w, y + h - r - 1);
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
    return "Space mark  a all/none  m metric  j/k move  q back";
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
    ui_data_touch(a->data);
    return &cs->base;
}
