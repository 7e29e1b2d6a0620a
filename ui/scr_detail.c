/* scr_detail.c - one sample: its numbers, genotype text, both cells, the
 * 50 decisions (the selected one drawn as full bars with its entropy),
 * the child's training curve, and the newest final training run of its
 * cell (nasview train --from); `e` exports both cells as SVG, `y` copies
 * the genotype to the terminal's clipboard (OSC 52), `Y` writes it to a
 * file.
 *
 * Invariants of the layout:
 * 1. The genotype text is shown whole, wrapped at block boundaries
 *    (cellview_genotype_wrap); the panes below get what is left.
 * 2. The selected decision's bars always show its chosen value: when not
 *    every value fits, the rows shown are a window around the chosen one,
 *    and the title says which values they are. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"
#include "render/cell_graph.h"
#include "report/report.h"
#include "widgets/bars.h"
#include "cellview.h"
#include "clipboard.h"
#include "cellpic.h"
#include "screens.h"

typedef struct {
    Screen base;
    int64_t sid;
    int idx;
    int loaded;
    char search_name[STORE_NAME_MAX];
    StoreSearch search;   /* its search, for the SVG's title */
    int search_ok;
    StoreSample sample;
    StoreDecision dec[GENO_DECISIONS];
    int ndec;
    Genotype geno;
    int geno_ok;
    RewardSeries curve;   /* loss of each progress point */
    long long curve_first, curve_last; /* batches done at its first and
                                          last point (its x axis) */
    int sel;              /* selected decision */
    int dec_top;
    CellPics pics;        /* drawings of both cells, cached per size */
    StoreFinalRun last_run; /* the newest final run (nasview train --from) */
    size_t nruns;         /* how many the sample has */
} DetailScreen;

static void load(DetailScreen *d, Store *st)
{
    NvError err;
    d->loaded = store_sample_get(st, d->sid, d->idx, &d->sample, d->dec,
                                 &d->ndec, &err) == NV_OK;
    if (!d->loaded)
        return;
    d->geno_ok = geno_parse(d->sample.genotype, &d->geno, &err) == NV_OK;
    StoreProgress *pts = NULL;
    size_t n = 0;
    reward_series_clear(&d->curve);
    if (store_sample_curve(st, d->sid, d->idx, &pts, &n, &err) == NV_OK) {
        d->curve_first = d->curve_last = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(pts[i].loss)) {
                if (d->curve.n == 0)
                    d->curve_first = pts[i].step;
                d->curve_last = pts[i].step;
                reward_series_push(&d->curve, pts[i].loss);
            }
        free(pts);
    }
    StoreFinalRun *runs = NULL;
    d->nruns = 0;
    if (store_final_runs(st, d->sid, d->idx, &runs, &d->nruns, &err) == NV_OK &&
        d->nruns > 0)
        d->last_run = runs[d->nruns - 1];
    free(runs);
    cellpics_invalidate(&d->pics);
}

static int detail_tick(Screen *s, App *a)
{
    DetailScreen *d = (DetailScreen *)s;
    if (!ui_data_changed(a->data))
        return 0;
    /* Only a sample still training changes. */
    Store *st = ui_data_store(a->data);
    if (st && (!d->loaded || d->sample.status == SAMPLE_RUNNING))
        load(d, st);
    return 1;
}

/* The values start.. of a decision, for bars_draw's labels. */
typedef struct {
    const StoreDecision *dec;
    int start;
} BarsWindow;

static const char *label_of(int v, void *ctx)
{
    const BarsWindow *bw = ctx;
    const char *l = geno_decision_label(bw->dec->step, bw->start + v);
    return l ? l : "?";
}

/* Rows of the right pane, from its height r: the decisions list (and its
 * title), the bars (and their title) and the training curve (title and
 * plot; 0 when there is no room).  Each gets a minimum first, then the
 * bars grow to a whole 13-way decision, then the list and the plot share
 * the rest. */
static void right_rows(int r, int *list_h, int *bars_h, int *plot_h)
{
    enum { LIST_MIN = 4, BARS_MIN = 5, PLOT_MIN = 5 };
    int rest = r - 2 - LIST_MIN;
    *list_h = LIST_MIN;
    *bars_h = rest < BARS_MIN ? (rest > 1 ? rest : 1) : BARS_MIN;
    rest -= *bars_h;
    *plot_h = 0;
    if (rest >= PLOT_MIN) {
        *plot_h = PLOT_MIN;
        rest -= PLOT_MIN;
    }
    int grow = GENO_MAX_SUPPORT - *bars_h;
    if (grow > rest)
        grow = rest;
    if (grow > 0) {
        *bars_h += grow;
        rest -= grow;
    }
    if (rest > 0 && *plot_h) {
        int more = rest / 3;
        *plot_h += more;
        rest -= more;
    }
    if (rest > 0)
        *list_h += rest;
}

/* The first of rows consecutive values of a k-way decision to show so
 * that chosen is among them (near the middle when they scroll). */
static int bars_start(int k, int rows, int chosen)
{
    if (rows >= k || chosen < 0 || chosen >= k)
        return 0;
    int s = chosen - rows / 2;
    if (s < 0)
        s = 0;
    if (s > k - rows)
        s = k - rows;
    return s;
}

static void detail_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    DetailScreen *d = (DetailScreen *)s;
    char line[1200];
    if (!d->loaded) {
        snprintf(line, sizeof line, "Sample #%d of %s is not in the database.",
                 d->idx, d->search_name);
        ui_grid_text(g, x, y, line, UI_ROLE_WARN);
        return;
    }
    const StoreSample *sm = &d->sample;
    char reward[32] = "-", params[32] = "-", madds[32] = "-", secs[32] = "-";
    if (!isnan(sm->reward))
        snprintf(reward, sizeof reward, "%.4f", sm->reward);
    if (sm->params >= 0)
        snprintf(params, sizeof params, "%lld", (long long)sm->params);
    if (sm->mult_adds >= 0)
        snprintf(madds, sizeof madds, "%lld", (long long)sm->mult_adds);
    if (!isnan(sm->seconds))
        snprintf(secs, sizeof secs, "%.1f s", sm->seconds);
    snprintf(line, sizeof line, "Sample #%d of %s", sm->idx, d->search_name);
    int cx = x + ui_grid_text(g, x, y, line, UI_ROLE_TITLE);
    snprintf(line, sizeof line, "  %s  reward %s  params %s  mult-adds %s  %s  %s",
             store_sample_status_name(sm->status), reward, params, madds, secs,
             sm->hash);
    ui_grid_text(g, cx, y, line, UI_ROLE_NORMAL);
    /* The genotype text, whole, wrapped at block boundaries (invariant 1). */
    int gs[64], gn[64];
    int glines = cellview_genotype_wrap(sm->genotype, w, gs, gn, 64);
    for (int r = 0; r < glines; r++) {
        snprintf(line, sizeof line, "%.*s", gn[r], sm->genotype + gs[r]);
        ui_grid_text(g, x, y + 1 + r, line, UI_ROLE_DIM);
    }
    int top = y + 1 + glines;
    if (d->nruns > 0) {
        const StoreFinalRun *r = &d->last_run;
        char acc[32] = "-";
        if (!isnan(r->test_acc))
            snprintf(acc, sizeof acc, "%.4f", r->test_acc);
        snprintf(line, sizeof line,
                 "Final training: F=%d N=%d, %d/%d epochs, test accuracy %s, "
                 "%.0f s (%s; %zu run%s)", r->F, r->N, r->epochs_done,
                 r->epochs, acc, r->seconds, r->status, d->nruns,
                 d->nruns == 1 ? "" : "s");
        ui_grid_text(g, x, top++, line, UI_ROLE_NORMAL);
    }
    int body = top, bh = y + h - top;
    if (bh < 4)
        return;
    int lw = w / 2, rx = x + lw + 1, rw = w - lw - 1;
    int ch = bh / 2;
    for (int c = 0; c < GENO_CELLS; c++) {
        int cy = body + c * ch;
        ui_grid_text(g, x, cy, c == 0 ? "Normal cell" : "Reduction cell",
                     UI_ROLE_TITLE);
        if (d->geno_ok)
            cellpics_draw(&d->pics, g, x, cy + 1, lw, ch - 1, &d->geno, c);
    }
    /* Right: decisions list, the selected one's bars, the training curve. */
    int list_h, bars_h, plot_h;
    right_rows(bh, &list_h, &bars_h, &plot_h);
    cellview_decisions_title(g, rx, body, rw);
    if (d->sel < d->dec_top)
        d->dec_top = d->sel;
    if (d->sel >= d->dec_top + list_h)
        d->dec_top = d->sel - list_h + 1;
    cellview_decisions(g, rx, body + 1, rw, list_h, d->dec, d->ndec, d->dec_top,
                       d->sel, a->cfg.plot_mode);
    int by = body + 1 + list_h;
    if (d->sel < d->ndec) {
        const StoreDecision *dc = &d->dec[d->sel];
        int rows = dc->support < bars_h ? dc->support : bars_h;
        BarsWindow bw = { dc, bars_start(dc->support, rows, dc->chosen) };
        int n = snprintf(line, sizeof line, "%s b%d %s",
                         geno_cell_name(dc->cell), dc->block,
                         geno_field_name(dc->field));
        if (rows < dc->support)
            n += snprintf(line + n, sizeof line - (size_t)n, ", values %d-%d of %d",
                          bw.start + 1, bw.start + rows, dc->support);
        snprintf(line + n, sizeof line - (size_t)n,
                 ": entropy %.3f nats (max %.3f)",
                 bars_entropy(dc->probs, dc->support), log((double)dc->support));
        ui_grid_text(g, rx, by, line, UI_ROLE_TITLE);
        bars_draw(g, rx, by + 1, rw, rows, dc->probs + bw.start, rows,
                  dc->chosen - bw.start, label_of, &bw, a->cfg.plot_mode);
        by += 1 + bars_h;
    }
    int ph = plot_h - 1;
    if (ph >= 4) {
        ui_grid_text(g, rx, by, "Training loss", UI_ROLE_TITLE);
        PlotOptions po = { a->cfg.plot_mode, 0, d->curve.n, -1, "loss",
                           "batches trained", 1, 0, NULL,
                           d->curve_first, d->curve_last };
        plot_draw(g, rx, by + 1, rw, ph, &d->curve, &po);
    }
}

static void export_done(App *a, Screen *owner, const char *text)
{
    DetailScreen *d = (DetailScreen *)owner;
    if (!text || !text[0])
        return;
    NvError err;
    nv_error_clear(&err);
    char title[CELL_TITLE_MAX] = "";
    if (d->search_ok)
        report_picture_title(title, sizeof title, &d->search, &d->sample);
    if (cellpics_export_svg(&d->geno, title, text, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    char abs[PATH_MAX];
    if (!realpath(text, abs))
        snprintf(abs, sizeof abs, "%s", text);
    app_message(a, 0, "exported both cells as SVG to %s", abs);
}

static void write_done(App *a, Screen *owner, const char *text)
{
    DetailScreen *d = (DetailScreen *)owner;
    if (!text || !text[0])
        return;
    NvError err;
    nv_error_clear(&err);
    char body[GENO_TEXT_MAX + 2];
    int n = snprintf(body, sizeof body, "%s\n", d->sample.genotype);
    if (outfile_check_not(text, a->cfg.db_path, &err) != NV_OK ||
        outfile_write(text, body, (size_t)n, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    char abs[PATH_MAX];
    if (!realpath(text, abs))
        snprintf(abs, sizeof abs, "%s", text);
    app_message(a, 0, "wrote the genotype to %s", abs);
}

static int detail_key(Screen *s, App *a, int key)
{
    DetailScreen *d = (DetailScreen *)s;
    switch (key) {
    case 'j': case UI_KEY_DOWN: if (d->sel + 1 < d->ndec) d->sel++; return 1;
    case 'k': case UI_KEY_UP: if (d->sel > 0) d->sel--; return 1;
    case UI_KEY_NPAGE: d->sel = d->sel + 10 < d->ndec ? d->sel + 10 : d->ndec - 1; return 1;
    case UI_KEY_PPAGE: d->sel = d->sel > 10 ? d->sel - 10 : 0; return 1;
    case 'g': case UI_KEY_HOME: d->sel = 0; return 1;
    case 'G': case UI_KEY_END: d->sel = d->ndec ? d->ndec - 1 : 0; return 1;
    case 'e':
        if (!d->geno_ok)
            return 1;
        {
            char path[PATH_MAX + 64], cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd))
                snprintf(cwd, sizeof cwd, ".");
            snprintf(path, sizeof path, "%s/sample-%lld-%d.svg", cwd,
                     (long long)d->sid, d->idx);
            app_prompt(a, s, "Export both cells as SVG to:", path, export_done);
        }
        return 1;
    case 'y':
        if (d->loaded) {
            NvError err;
            nv_error_clear(&err);
            if (clipboard_send(STDOUT_FILENO, d->sample.genotype, &err) != NV_OK)
                app_message(a, 1, "%s", err.msg);
            else
                app_message(a, 0, "sent the genotype (%zu characters) to the "
                            "terminal's clipboard (OSC 52; in tmux it needs "
                            "set-clipboard on); Y writes it to a file",
                            strlen(d->sample.genotype));
        }
        return 1;
    case 'Y':
        if (d->loaded) {
            char path[PATH_MAX + 64], cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd))
                snprintf(cwd, sizeof cwd, ".");
            snprintf(path, sizeof path, "%s/sample-%lld-%d.genotype.txt", cwd,
                     (long long)d->sid, d->idx);
            app_prompt(a, s, "Write the genotype to:", path, write_done);
        }
        return 1;
    default:
        return 0;
    }
}

static const UiKey keys[] = {
    { "j / k, arrows", "select a decision (its bars show below)" },
    { "g / G, Home / End", "first / last decision" },
    { "PgUp / PgDn", "ten decisions up / down" },
    { "e", "export both cells as SVG (asks for the file)" },
    { "y", "copy the genotype to the terminal's clipboard (OSC 52)" },
    { "Y", "write the genotype to a file (asks for the file)" },
    { "q / Esc", "back" },
    { NULL, NULL },
};

static const UiKey *detail_keys(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return keys;
}

static const char *detail_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "j/k decision  y copy genotype  Y to file  e export SVG  q back";
}

static void detail_free(Screen *s)
{
    DetailScreen *d = (DetailScreen *)s;
    reward_series_done(&d->curve);
    cellpics_done(&d->pics);
    free(d);
}

static const ScreenOps detail_ops = {
    "Sample", detail_draw, detail_key, detail_tick, detail_keys, detail_hint,
    detail_free,
};

Screen *scr_detail_new(App *a, int64_t search_id, int idx)
{
    DetailScreen *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.ops = &detail_ops;
    d->sid = search_id;
    d->idx = idx;
    reward_series_init(&d->curve, 1);
    cellpics_init(&d->pics);
    Store *st = ui_data_store(a->data);
    if (st) {
        StoreSearch s;
        NvError err;
        if (store_search_get(st, search_id, &s, &err) == NV_OK) {
            snprintf(d->search_name, sizeof d->search_name, "%s", s.name);
            d->search = s;
            d->search_ok = 1;
        }
        load(d, st);
    }
    return &d->base;
}
