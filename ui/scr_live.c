/* scr_live.c - the live view of one search: header (name, strategy,
 * sample k of budget, workers busy/total, samples/hour, elapsed, ETA,
 * state), every child in training as a progress bar of its own (one line
 * per worker), every sample's reward (scatter, moving average, best so
 * far), the current or selected sample's cell and its 50 decisions with
 * their distributions, and a status line.  Pauses, resumes and stops the
 * search process by signal (SIGUSR1, SIGUSR2, SIGTERM); never writes the
 * database.
 *
 * Invariants:
 *  1. Samples with idx < next_idx are final (a reward, or interrupted or
 *     failed) and already in the series; each poll asks only for samples
 *     after next_idx - 1 (keyset on idx, at most PAGE rows), so a poll
 *     costs the same with 10 or 10,000 samples.
 *  2. Nothing is queried when the store's change counter did not move. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellpic.h"
#include "cellview.h"
#include "spawn.h"
#include "widgets/progress.h"
#include "screens.h"
#include "train/reward_metric.h"
#include "cli/fidelity_level.h"
#include "report/report.h"

#define PAGE 2000
#define AVG_WINDOW 10
/* Children shown with a progress line each; more say "+N more". */
#define LIVE_MAX_KIDS 64

typedef struct {
    Screen base;
    int64_t sid;
    StoreSearch s;
    int have_search;
    RewardSeries series;
    int *ser_idx;          /* sample idx of each series point, ascending */
    size_t ser_cap;
    int next_idx;          /* invariant 1 */
    double sec_sum;        /* training seconds of the final samples... */
    int sec_n;             /* ...and their number, for the ETA */
    int latest;            /* highest idx seen, -1 when none */
    StoreProgress kids[LIVE_MAX_KIDS]; /* newest point of each child in
                                          training, by idx */
    int nkids;
    int sel;               /* selected idx, -1 = follow the latest */
    int shown;             /* idx of the loaded sample, -1 none */
    StoreSample sample;
    StoreDecision dec[GENO_DECISIONS];
    int ndec;
    Genotype geno;
    int geno_ok;
    int cell;              /* GENO_CELL_NORMAL or GENO_CELL_REDUCE */
    int dec_top;
    CellPics pics;
    char trust[256];       /* fidlevel_trust's warning, "" when none */
    char panel[256];       /* a weight-sharing search's fidelity panel
                              (report_ws_panel_line), "" when none */
    size_t panel_rows;     /* the members panel was computed from */
    char warn[600];        /* warnings in the log of a search this UI started */
} LiveScreen;

static int sample_final(SampleStatus st)
{
    return st != SAMPLE_RUNNING;
}

static int sample_has_reward(SampleStatus st)
{
    return st == SAMPLE_DONE || st == SAMPLE_DIVERGED || st == SAMPLE_DUPLICATE;
}

static void load_sample(LiveScreen *ls, Store *st, int idx)
{
    NvError err;
    ls->shown = -1;
    ls->geno_ok = 0;
    if (idx < 0)
        return;
    if (store_sample_get(st, ls->sid, idx, &ls->sample, ls->dec, &ls->ndec,
                         &err) != NV_OK)
        return;
    ls->shown = idx;
    ls->geno_ok = geno_parse(ls->sample.genotype, &ls->geno, &err) == NV_OK;
}

/* grow_idx - room for one more series point in ser_idx; 0, or -1 when
 * memory ran out. */
static int grow_idx(LiveScreen *ls)
{
    if (ls->series.n < ls->ser_cap)
        return 0;
    size_t cap = ls->ser_cap ? 2 * ls->ser_cap : 256;
    int *p = realloc(ls->ser_idx, cap * sizeof *p);
    if (!p)
        return -1;
    ls->ser_idx = p;
    ls->ser_cap = cap;
    return 0;
}

/* series_pos - the series point of sample idx, or -1 when it has none. */
static int series_pos(const LiveScreen *ls, int idx)
{
    size_t lo = 0, hi = ls->series.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ls->ser_idx[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ls->series.n && ls->ser_idx[lo] == idx ? (int)lo : -1;
}

static void poll_samples(LiveScreen *ls, Store *st)
{
    for (;;) {
        StoreSample after;
        memset(&after, 0, sizeof after);
        after.idx = ls->next_idx - 1;
        StoreSampleQuery q = { STORE_ORDER_IDX, 0, PAGE,
                               ls->next_idx > 0 ? &after : NULL };
        StoreSample *rows = NULL;
        size_t n = 0;
        NvError err;
        if (store_samples(st, ls->sid, &q, &rows, &n, &err) != NV_OK)
            return;
        int blocked = 0;
        for (size_t i = 0; i < n; i++) {
            if (rows[i].idx > ls->latest)
                ls->latest = rows[i].idx;
            if (blocked || !sample_final(rows[i].status)) {
                blocked = 1;
                continue;
            }
            if (rows[i].seconds >= 0 && !isnan(rows[i].seconds)) {
                ls->sec_sum += rows[i].seconds;
                ls->sec_n++;
            }
            if (sample_has_reward(rows[i].status) && grow_idx(ls) == 0 &&
                reward_series_push(&ls->series,
                                   isnan(rows[i].reward) ? 0 : rows[i].reward) == 0)
                ls->ser_idx[ls->series.n - 1] = rows[i].idx;
            ls->next_idx = rows[i].idx + 1;
        }
        free(rows);
        if (blocked || n < PAGE)
            return;
    }
}

static void poll_kids(LiveScreen *ls, Store *st)
{
    NvError err;
    if (store_progress_children(st, ls->sid, ls->kids, LIVE_MAX_KIDS,
                                &ls->nkids, &err) != NV_OK)
        ls->nkids = 0;
}

/* read_warnings - what the search warned about in its log, when this UI
 * started it (so the log is known); read until there is something. */
static void read_warnings(LiveScreen *ls, App *a)
{
    if (!ls->warn[0] && ls->have_search && a->started_log[0] &&
        !strcmp(ls->s.name, a->started_name))
        spawn_log_warnings(a->started_log, ls->warn, sizeof ls->warn);
}

/* read_notes - the lines under the header: the trust warning and, for a
 * weight-sharing search, its fidelity panel's correlations (their
 * bootstrap intervals computed again only when a member is added: rows
 * are only ever added). */
static void read_notes(LiveScreen *ls, Store *st)
{
    StoreWsPanel *rows = NULL;
    size_t n = 0;
    NvError err;
    fidlevel_trust(st, &ls->s, ls->trust, sizeof ls->trust);
    if (ls->s.ws_panel > 0 &&
        store_ws_panel_list(st, ls->s.id, &rows, &n, &err) == NV_OK &&
        n != ls->panel_rows) {
        report_ws_panel_line(ls->panel, sizeof ls->panel, rows, n);
        ls->panel_rows = n;
    }
    free(rows);
}

static int live_tick(Screen *scr, App *a)
{
    LiveScreen *ls = (LiveScreen *)scr;
    int gone = ls->have_search && ui_search_watched(&ls->s) &&
               ui_pid_gone(ls->s.pid);
    if (!ui_data_changed(a->data) && !gone)
        return 0;
    Store *st = ui_data_store(a->data);
    if (!st)
        return 1;
    NvError err;
    ls->have_search = store_search_get(st, ls->sid, &ls->s, &err) == NV_OK;
    if (!ls->have_search)
        return 1;
    read_notes(ls, st);
    poll_samples(ls, st);
    poll_kids(ls, st);
    load_sample(ls, st, ls->sel >= 0 ? ls->sel : ls->latest);
    read_warnings(ls, a);
    return 1;
}

static UiRole state_role(SearchStatus st)
{
    switch (st) {
    case SEARCH_RUNNING: return UI_ROLE_GOOD;
    case SEARCH_DONE: return UI_ROLE_TITLE;
    case SEARCH_FAILED: return UI_ROLE_BAD;
    default: return UI_ROLE_WARN;
    }
}

static void draw_header(LiveScreen *ls, UiGrid *g, int x, int y, int w)
{
    const StoreSearch *s = &ls->s;
    double end = s->finished > 0 ? (double)s->finished : (double)time(NULL);
    double elapsed = end - (double)s->created;
    char el[32], eta[32], line[512];
    ui_fmt_duration(el, sizeof el, elapsed);
    char rate[32] = "";
    /* The ETA comes from the measured samples per hour (over the last
     * samples, so several children at once count); before there is one,
     * from the samples' own seconds, one child at a time.  The children in
     * training count by the fraction of their batches done, so the ETA
     * moves with them.  Neither counts pauses or the time a resumed search
     * was stopped. */
    double left = (double)(s->budget - s->samples_done);
    for (int i = 0; i < ls->nkids; i++)
        if (ls->kids[i].steps > 0)
            left -= (double)ls->kids[i].step / (double)ls->kids[i].steps;
    if (left < 0)
        left = 0;
    if (s->status == SEARCH_RUNNING && s->samples_per_hour > 0)
        ui_fmt_duration(eta, sizeof eta, 3600.0 * left / s->samples_per_hour);
    else if (s->status == SEARCH_RUNNING && ls->sec_n > 0)
        ui_fmt_duration(eta, sizeof eta, ls->sec_sum / ls->sec_n * left /
                     (s->workers > 1 ? s->workers : 1));
    else
        snprintf(eta, sizeof eta, "-");
    if (s->samples_per_hour > 0)
        snprintf(rate, sizeof rate, "  %.*f/h", s->samples_per_hour < 10 ? 1 : 0,
                 s->samples_per_hour);

    /* The header's pieces in the order they are drawn, each with the
     * rank at which it gives way when the line is wider than the screen:
     * the seconds per child first, then the rate, then the best reward;
     * rank 0 always stays (and is clipped at the edge if need be). */
    enum { NPIECE = 8 };
    struct { char text[160]; UiRole role; int drop_rank; } pc[NPIECE];
    int np = 0;
#define PIECE(rank, r, ...)                                                    \
    do {                                                                       \
        snprintf(pc[np].text, sizeof pc[np].text, __VA_ARGS__);                \
        pc[np].role = (r);                                                     \
        pc[np++].drop_rank = (rank);                                           \
    } while (0)
    PIECE(0, UI_ROLE_TITLE, "%s", s->name);
    PIECE(0, UI_ROLE_NORMAL, "  %s  sample %d of %d  workers %d/%d", s->strategy,
          s->samples_done, s->budget,
          s->status == SEARCH_RUNNING || s->status == SEARCH_PAUSED ? ls->nkids
                                                                    : 0,
          s->workers);
    if (rate[0])
        PIECE(2, UI_ROLE_NORMAL, "%s", rate);
    PIECE(0, UI_ROLE_NORMAL, "  elapsed %s  ETA %s  ", el, eta);
    PIECE(0, state_role(s->status), "[%s]", ui_search_state(s));
    if (ls->sec_n > 0) /* training seconds per child */
        PIECE(1, UI_ROLE_NORMAL, "  %.1fs/child", ls->sec_sum / ls->sec_n);
    if (!isnan(s->best_reward)) {
        if (!reward_metric_is_accuracy(s->reward_metric))
            PIECE(3, UI_ROLE_BEST, "  best %s %.5g (#%d)", s->reward_metric,
                  s->best_reward, s->best_idx);
        else
            PIECE(3, UI_ROLE_BEST, "  best %.4f (#%d)", s->best_reward,
                  s->best_idx);
    }
#undef PIECE
    int width = 0;
    for (int i = 0; i < np; i++)
        width += ui_utf8_width(pc[i].text);
    for (int rank = 1; rank <= 3 && width > w; rank++)
        for (int i = 0; i < np; i++)
            if (pc[i].drop_rank == rank) {
                width -= ui_utf8_width(pc[i].text);
                pc[i].text[0] = '\0';
            }
    int cx = x;
    for (int i = 0; i < np; i++)
        if (pc[i].text[0])
            cx += ui_grid_text_clip(g, cx, y, x + w, pc[i].text, pc[i].role);
    /* the trust warning (trust.h): one line under the header */
    if (ls->trust[0]) {
        snprintf(line, sizeof line, "! %s", ls->trust);
        ui_grid_text_clip(g, x, ++y, x + w, line, UI_ROLE_WARN);
    }
    if (ls->panel[0]) /* the panel's line under them */
        ui_grid_text_clip(g, x, ++y, x + w, ls->panel, UI_ROLE_NORMAL);
}

/* progress_lines - rows the children's progress takes: one per worker
 * (at least one), at most a quarter of the screen. */
static int progress_lines(const LiveScreen *ls, int h)
{
    int n = ls->s.workers > 1 ? ls->s.workers : 1;
    if (n < ls->nkids)
        n = ls->nkids;
    if (n > h / 4)
        n = h / 4;
    return n < 1 ? 1 : n;
}

/* draw_progress - rows y .. y+lines-1: every child in training, by
 * sample; an idle worker as a dim line; the last row says how many more
 * when they do not fit. */
static void draw_progress(LiveScreen *ls, App *a, UiGrid *g, int x, int y,
                          int w, int lines)
{
    int running = ls->s.status == SEARCH_RUNNING ||
                  ls->s.status == SEARCH_PAUSED;
    if (!running || ls->nkids == 0) {
        ui_grid_text(g, x, y, running ? "child: waiting for the next one"
                                      : "child: none in training",
                     UI_ROLE_DIM);
        return;
    }
    for (int i = 0; i < lines; i++) {
        char label[200];
        if (i == lines - 1 && ls->nkids > lines) {
            snprintf(label, sizeof label, "+%d more children in training",
                     ls->nkids - lines + 1);
            ui_grid_text(g, x, y + i, label, UI_ROLE_DIM);
            break;
        }
        if (i >= ls->nkids) {
            ui_grid_text(g, x, y + i, "worker: idle", UI_ROLE_DIM);
            continue;
        }
        const StoreProgress *p = &ls->kids[i];
        snprintf(label, sizeof label,
                 "child #%d  epoch %d/%d  batch %lld/%lld  loss %.4f%s",
                 p->sample_idx, p->epoch + 1, p->epochs, (long long)p->step,
                 (long long)p->steps, p->loss,
                 p->evaluating ? "  evaluating" : "");
        double frac = p->steps > 0 ? (double)p->step / (double)p->steps : 0;
        progress_draw(g, x, y + i, w, frac, label, a->cfg.plot_mode);
    }
}

static void draw_status(LiveScreen *ls, App *a, UiGrid *g, int x, int y, int w)
{
    char line[700];
    if (ls->s.status == SEARCH_PAUSED) {
        ui_grid_text(g, x, y, a->cfg.read_only ? "The search is paused."
                     : "The search is paused: press p to resume it.", UI_ROLE_WARN);
        return;
    }
    if (ls->s.status == SEARCH_STALE) {
        ui_grid_text(g, x, y, "The search's process is gone (stale); "
                     "`nasview search --resume` continues it.", UI_ROLE_WARN);
        return;
    }
    if (ls->s.message[0]) {
        snprintf(line, sizeof line, "%s: %s", ui_search_state(&ls->s), ls->s.message);
        ui_grid_text(g, x, y, line, ls->s.status == SEARCH_FAILED ? UI_ROLE_BAD
                                                                  : UI_ROLE_NORMAL);
        return;
    }
    if (ls->warn[0] && ls->sel < 0) { /* stepping back shows the sample */
        snprintf(line, sizeof line, "warning (from the search's log): %s", ls->warn);
        ui_grid_text_clip(g, x, y, x + w, line, UI_ROLE_WARN);
        return;
    }
    if (ls->shown < 0) {
        ui_grid_text(g, x, y, "No sample yet.", UI_ROLE_DIM);
        return;
    }
    const StoreSample *sm = &ls->sample;
    char reward[32] = "-", params[32] = "-", madds[32] = "-";
    if (!isnan(sm->reward))
        snprintf(reward, sizeof reward, "%.4f", sm->reward);
    if (sm->params >= 0)
        snprintf(params, sizeof params, "%lld", (long long)sm->params);
    if (sm->mult_adds >= 0)
        snprintf(madds, sizeof madds, "%lld", (long long)sm->mult_adds);
    snprintf(line, sizeof line, "sample #%d  %s  reward %s  params %s  "
             "mult-adds %s%s",
             sm->idx, store_sample_status_name(sm->status), reward, params, madds,
             ls->sel >= 0 ? "  (selected; End follows the newest)" : "");
    ui_grid_text(g, x, y, line, UI_ROLE_NORMAL);
    (void)w;
}

static void live_draw(Screen *scr, App *a, UiGrid *g, int x, int y, int w, int h)
{
    LiveScreen *ls = (LiveScreen *)scr;
    if (!ls->have_search) {
        ui_grid_text(g, x, y, "Waiting for the search to appear in the database...",
                     UI_ROLE_DIM);
        return;
    }
    int np = progress_lines(ls, h);
    draw_header(ls, g, x, y, w);
    /* the trust warning's and the panel's lines under the header */
    const int notes = (ls->trust[0] != '\0') + (ls->panel[0] != '\0');
    y += notes;
    h -= notes;
    draw_progress(ls, a, g, x, y + 1, w, np);
    /* Top: reward plot | decisions.  Bottom, full width: the cell, which
     * needs about 12 rows to be drawn as boxes with whole op names. */
    int body = y + 2 + np, bh = h - 3 - np;
    int ch = bh / 2 + 1;
    if (ch > 20)
        ch = 20;
    int th = bh - ch;
    int lw = w / 2, rx = x + lw + 1, rw = w - lw - 1;
    const char *metric = ls->s.reward_metric;
    const int zc = !reward_metric_is_accuracy(metric);
    int tx = x + ui_grid_text_clip(g, x, body - 1, x + lw,
                                   zc ? reward_metric_label(metric)
                                      : "Reward of every sample",
                                   UI_ROLE_TITLE);
    tx += ui_grid_text_clip(g, tx, body - 1, x + lw, "  best so far", UI_ROLE_BEST);
    tx += ui_grid_text_clip(g, tx, body - 1, x + lw, ", average", UI_ROLE_AVG);
    ui_grid_text_clip(g, tx, body - 1, x + lw, ", each", UI_ROLE_SCATTER);
    char mlab[32];
    snprintf(mlab, sizeof mlab, "#%d", ls->shown);
    int mpos = ls->shown >= 0 ? series_pos(ls, ls->shown) : -1;
    PlotOptions po = { a->cfg.plot_mode, 0, ls->series.n,
                       mpos, zc ? metric : "acc", "samples", 0, 0,
                       mpos >= 0 ? mlab : "", 0, 0 };
    plot_draw(g, x, body, lw, th, &ls->series, &po);
    cellview_decisions_title(g, rx, body - 1, rw);
    if (ls->dec_top > ls->ndec - th)
        ls->dec_top = ls->ndec - th > 0 ? ls->ndec - th : 0;
    cellview_decisions(g, rx, body, rw, th, ls->dec, ls->ndec, ls->dec_top, -1,
                       a->cfg.plot_mode);
    char title[128];
    int cy = body + th;
    snprintf(title, sizeof title, "%s cell of sample #%d  (t toggles)",
             ls->cell == GENO_CELL_NORMAL ? "Normal" : "Reduction", ls->shown);
    ui_grid_text(g, x, cy, ls->shown >= 0 ? title : "Cell", UI_ROLE_TITLE);
    if (ls->geno_ok)
        cellpics_draw(&ls->pics, g, x, cy + 1, w, y + h - 1 - (cy + 1),
                      &ls->geno, ls->cell);
    draw_status(ls, a, g, x, y + h - 1, w);
}

static void stop_answer(App *a, Screen *owner, const char *text)
{
    LiveScreen *ls = (LiveScreen *)owner;
    if (!text)
        return;
    if (kill((pid_t)ls->s.pid, SIGTERM) == 0)
        app_message(a, 0, "asked search %s to stop (SIGTERM)", ls->s.name);
    else
        app_message(a, 1, "could not signal process %lld", (long long)ls->s.pid);
}

static int control(LiveScreen *ls, App *a)
{
    if (a->cfg.read_only) {
        app_message(a, 1, "read-only: this view cannot control the search");
        return 0;
    }
    if (!ls->have_search || !ui_search_controllable(&ls->s)) {
        app_message(a, 1, "the search is not running in a process on this machine");
        return 0;
    }
    return 1;
}

static void step(LiveScreen *ls, App *a, int delta)
{
    int cur = ls->sel >= 0 ? ls->sel : ls->latest;
    if (cur < 0)
        return;
    cur += delta;
    if (cur < 0)
        cur = 0;
    ls->sel = cur >= ls->latest ? -1 : cur;
    Store *st = ui_data_store(a->data);
    if (st)
        load_sample(ls, st, ls->sel >= 0 ? ls->sel : ls->latest);
}

static int live_key(Screen *scr, App *a, int key)
{
    LiveScreen *ls = (LiveScreen *)scr;
    switch (key) {
    case ' ': case 'p':
        if (!control(ls, a))
            return 1;
        if (ls->s.status == SEARCH_PAUSED) {
            kill((pid_t)ls->s.pid, SIGUSR2);
            app_message(a, 0, "resuming %s", ls->s.name);
        } else {
            kill((pid_t)ls->s.pid, SIGUSR1);
            app_message(a, 0, "pausing %s (after the current batch)", ls->s.name);
        }
        return 1;
    case 'x':
        if (control(ls, a)) {
            char q[300];
            snprintf(q, sizeof q, "Stop search %s? It can be resumed later.",
                     ls->s.name);
            app_confirm(a, scr, q, stop_answer);
        }
        return 1;
    case '[': case UI_KEY_LEFT: case 'h': step(ls, a, -1); return 1;
    case ']': case UI_KEY_RIGHT: case 'l': step(ls, a, 1); return 1;
    case UI_KEY_END: case 'G': ls->sel = -1; step(ls, a, 0); return 1;
    case UI_KEY_HOME: case 'g': ls->sel = 0; step(ls, a, 0); return 1;
    case 'b':
        if (ls->have_search && ls->s.best_idx >= 0) {
            ls->sel = ls->s.best_idx;
            step(ls, a, 0);
        }
        return 1;
    case 't': ls->cell = !ls->cell; return 1;
    case 'j': case UI_KEY_DOWN: ls->dec_top++; return 1;
    case 'k': case UI_KEY_UP: if (ls->dec_top > 0) ls->dec_top--; return 1;
    case UI_KEY_NPAGE: ls->dec_top += 10; return 1;
    case UI_KEY_PPAGE: ls->dec_top = ls->dec_top > 10 ? ls->dec_top - 10 : 0; return 1;
    case 's': app_push(a, scr_samples_new(a, ls->sid)); return 1;
    case '\r': case '\n': case UI_KEY_ENTER:
        if (ls->shown >= 0)
            app_push(a, scr_detail_new(a, ls->sid, ls->shown));
        return 1;
    default:
        return 0;
    }
}

static const UiKey keys_rw[] = {
    { "Space / p", "pause or resume the search" },
    { "x", "stop the search (asks first)" },
    { "[ / ], Left/Right, h / l", "step through earlier and later samples" },
    { "g / G, Home/End", "first sample / follow the newest" },
    { "b", "jump to the best sample (marked on the plot)" },
    { "t", "toggle normal / reduction cell" },
    { "j / k, Up/Down, PgUp/PgDn", "scroll the decisions" },
    { "Enter", "open the shown sample" },
    { "s", "all samples of the search (sortable table)" },
    { "q / Esc", "back to the searches (the search keeps running)" },
    { NULL, NULL },
};
static const UiKey keys_ro[] = {
    { "[ / ], Left/Right, h / l", "step through earlier and later samples" },
    { "g / G, Home/End", "first sample / follow the newest" },
    { "b", "jump to the best sample (marked on the plot)" },
    { "t", "toggle normal / reduction cell" },
    { "j / k, Up/Down, PgUp/PgDn", "scroll the decisions" },
    { "Enter", "open the shown sample" },
    { "s", "all samples of the search (sortable table)" },
    { "q / Esc", "back to the searches" },
    { NULL, NULL },
};

static const UiKey *live_keys(Screen *scr, App *a)
{
    (void)scr;
    return a->cfg.read_only ? keys_ro : keys_rw;
}

static const char *live_hint(Screen *scr, App *a)
{
    LiveScreen *ls = (LiveScreen *)scr;
    /* Pause and stop are offered only while they can act. */
    return a->cfg.read_only || !ls->have_search ||
                   !ui_search_controllable(&ls->s)
               ? "[/] step  b best  t cell  Enter sample  s samples  q back"
               : "p pause/resume  x stop  [/] step  b best  t cell  Enter sample  s samples  q back";
}

static void live_free(Screen *scr)
{
    LiveScreen *ls = (LiveScreen *)scr;
    reward_series_done(&ls->series);
    free(ls->ser_idx);
    cellpics_done(&ls->pics);
    free(ls);
}

static const ScreenOps live_ops = {
    "Live", live_draw, live_key, live_tick, live_keys, live_hint, live_free,
};

Screen *scr_live_new(App *a, int64_t search_id)
{
    LiveScreen *ls = calloc(1, sizeof *ls);
    if (!ls)
        return NULL;
    ls->base.ops = &live_ops;
    ls->sid = search_id;
    ls->latest = -1;
    ls->sel = -1;
    ls->shown = -1;
    reward_series_init(&ls->series, AVG_WINDOW);
    cellpics_init(&ls->pics);
    /* The first poll must query, whatever the counter says. */
    Store *st = ui_data_store(a->data);
    NvError err;
    if (st) {
        ls->have_search = store_search_get(st, search_id, &ls->s, &err) == NV_OK;
        if (ls->have_search)
            read_notes(ls, st);
        if (ls->have_search) {
            poll_samples(ls, st);
            poll_kids(ls, st);
            load_sample(ls, st, ls->latest);
            read_warnings(ls, a);
        }
    }
    return &ls->base;
}
