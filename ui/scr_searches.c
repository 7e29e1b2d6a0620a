/* scr_searches.c - the first screen: every search in the database (name,
 * strategy, samples of budget, best reward, state, date), sortable and
 * filterable; `n` starts a new one.  An empty database greets a newcomer
 * with what to press. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/proc.h"
#include "screens.h"
#include "spawn.h"
#include "widgets/table.h"

typedef struct {
    Screen base;
    Table table;
    int64_t watch[32];     /* processes of running searches on this host */
    int nwatch;
    int64_t pending;       /* the search a question (delete, rename) is about */
} SearchesScreen;

static const TableColumn columns[] = {
    { "id", 5, 1 },      { "name", 20, 0 },  { "strategy", 10, 0 },
    { "samples", 12, 1 }, { "done", 5, 1 },  { "best", 8, 1 },
    { "state", 12, 0 },  { "elapsed", 8, 1 }, { "ETA", 7, 1 },
    { "created", 17, 0 },
};
enum { NCOLS = sizeof columns / sizeof columns[0] };

static UiRole state_role(SearchStatus st)
{
    switch (st) {
    case SEARCH_RUNNING: return UI_ROLE_GOOD;
    case SEARCH_DONE: return UI_ROLE_NORMAL;
    case SEARCH_FAILED: return UI_ROLE_BAD;
    default: return UI_ROLE_WARN;
    }
}

/* The list of searches is small (one row per search, not per sample), so
 * it is read whole whenever the file changed. */
static void reload(SearchesScreen *ss, App *a)
{
    Store *st = ui_data_store(a->data);
    table_clear(&ss->table);
    ss->nwatch = 0;
    if (!st) {
        table_update(&ss->table);
        return;
    }
    StoreSearch *rows = NULL;
    size_t n = 0;
    NvError err;
    if (store_search_list(st, &rows, &n, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const StoreSearch *s = &rows[i];
        int cap = (int)(sizeof ss->watch / sizeof ss->watch[0]);
        if (ui_search_watched(s) && ss->nwatch < cap)
            ss->watch[ss->nwatch++] = s->pid;
        char id[24], samples[48], best[24], created[32], pct[16], el[32], eta[32];
        double frac = s->budget > 0 ? (double)s->samples_done / s->budget : 0;
        snprintf(pct, sizeof pct, "%d%%", (int)(100 * frac));
        /* Elapsed is wall time since the search was created (pauses
         * included, as in the live view); the ETA is the samples left at
         * the measured rate, for a running search only. */
        double end = s->finished > 0 ? (double)s->finished : (double)time(NULL);
        double secs = end - (double)s->created, left = -1;
        ui_fmt_duration(el, sizeof el, secs);
        if (s->status == SEARCH_RUNNING && s->samples_per_hour > 0)
            left = 3600.0 * (s->budget - s->samples_done) / s->samples_per_hour;
        ui_fmt_duration(eta, sizeof eta, left);
        snprintf(id, sizeof id, "%lld", (long long)s->id);
        snprintf(samples, sizeof samples, "%d/%d", s->samples_done, s->budget);
        if (isnan(s->best_reward))
            snprintf(best, sizeof best, "-");
        else
            snprintf(best, sizeof best, "%.4f", s->best_reward);
        time_t t = (time_t)s->created;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(created, sizeof created, "%Y-%m-%d %H:%M", &tm);
        const char *text[NCOLS] = { id, s->name, s->strategy, samples, pct,
                                    best, ui_search_state(s), el, eta, created };
        double key[NCOLS] = { (double)s->id, NAN, NAN, (double)s->samples_done,
                              frac, isnan(s->best_reward) ? -1 : s->best_reward,
                              NAN, secs, left, (double)s->created };
        table_add_row(&ss->table, s->id, text, key, state_role(s->status));
    }
    free(rows);
    table_update(&ss->table);
}

static void draw_greeting(App *a, UiGrid *g, int x, int y, int w)
{
    int r = y + 1;
    char line[600];
    if (ui_data_problem(a->data)[0]) {
        /* not a welcome: the file is there and cannot be used */
        ui_grid_text(g, x + 2, r++, "This file cannot be read:", UI_ROLE_BAD);
        ui_grid_text(g, x + 2, r++, ui_data_problem(a->data), UI_ROLE_BAD);
        r++;
        ui_grid_text(g, x + 2, r++, "It is left untouched. Start nasview with "
                     "--db FILE to use another database.", UI_ROLE_NORMAL);
        r++;
        ui_grid_text(g, x + 2, r++, "Press q to quit.", UI_ROLE_DIM);
        (void)w;
        return;
    }
    ui_grid_text(g, x + 2, r++, "Welcome to nasview.", UI_ROLE_TITLE);
    r++;
    snprintf(line, sizeof line, "This database has no searches yet: %s",
             a->cfg.db_path);
    ui_grid_text(g, x + 2, r++, line, UI_ROLE_NORMAL);
    r++;
    if (a->cfg.read_only) {
        ui_grid_text(g, x + 2, r++,
                     "It is open read-only, so no search can start from here:",
                     UI_ROLE_NORMAL);
        ui_grid_text(g, x + 2, r++,
                     "run nasview without --read-only, or `nasview search` "
                     "in a shell.", UI_ROLE_NORMAL);
    } else {
        ui_grid_text(g, x + 2, r, "Press ", UI_ROLE_NORMAL);
        ui_grid_text(g, x + 8, r, "n", UI_ROLE_CHOSEN);
        ui_grid_text(g, x + 9, r++,
                     " to start a first search: random search, 20 samples,",
                     UI_ROLE_NORMAL);
        ui_grid_text(g, x + 2, r++,
                     "on Fashion-MNIST with the small proxy (N=1, F=8, 1 epoch)."
                     , UI_ROLE_NORMAL);
        ui_grid_text(g, x + 2, r++,
                     "The form lets you change every setting before it starts.",
                     UI_ROLE_NORMAL);
    }
    r++;
    ui_grid_text(g, x + 2, r++, "Press ? for every key, q to quit.",
                 UI_ROLE_DIM);
    (void)w;
}

static void searches_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w,
                          int h)
{
    SearchesScreen *ss = (SearchesScreen *)s;
    char title[700];
    snprintf(title, sizeof title, "nasview \u2014 searches in %s%s",
             a->cfg.db_path, a->cfg.read_only ? " (read-only)" : "");
    ui_grid_text(g, x, y, title, UI_ROLE_TITLE);
    if (ss->table.nrows == 0) {
        draw_greeting(a, g, x, y + 1, w);
        return;
    }
    if (ss->table.filter[0]) {
        char f[200];
        snprintf(f, sizeof f, "filter: %s (%zu of %zu)", ss->table.filter,
                 ss->table.nview, ss->table.nrows);
        ui_grid_text(g, x + w - ui_utf8_width(f) - 1, y, f, UI_ROLE_WARN);
    }
    table_draw(&ss->table, g, x, y + 2, w, h - 2, !a->cfg.utf8);
}

/* filter_done - Enter keeps the filter typed (already applied as it was
 * typed, by filter_live); Esc (text NULL) clears it. */
static void filter_done(App *a, Screen *owner, const char *text)
{
    SearchesScreen *ss = (SearchesScreen *)owner;
    table_set_filter(&ss->table, text ? text : "");
    a->dirty = 1;
}

static void filter_live(App *a, Screen *owner, const char *text)
{
    filter_done(a, owner, text);
}

/* current_search - the search under the cursor, fresh from the file, for
 * the keys that act on it; 0 (with a message) when there is none or the
 * UI may not act. */
static int current_search(SearchesScreen *ss, App *a, StoreSearch *row)
{
    const TableRow *cur = table_current(&ss->table);
    Store *st = ui_data_store(a->data);
    NvError err;
    if (a->cfg.read_only) {
        app_message(a, 1, "read-only: start nasview without --read-only to "
                          "change searches");
        return 0;
    }
    if (!cur || !st)
        return 0;
    if (store_search_get(st, cur->id, row, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return 0;
    }
    return 1;
}

/* run_cli - `nasview ARGS --db DB` through the command line, which is the
 * one that writes; its last line becomes the message. */
static void run_cli(App *a, const char *what, char *const args[], int nargs)
{
    char *argv[8], out[400];
    int n = 0;
    argv[n++] = (char *)"nasview";
    for (int i = 0; i < nargs && n < 6; i++)
        argv[n++] = args[i];
    argv[n++] = (char *)"--db";
    argv[n++] = (char *)a->cfg.db_path;
    argv[n] = NULL;
    int rc = spawn_run(a->cfg.self_exe, argv, out, sizeof out);
    if (rc == 0)
        app_message(a, 0, "%s", out[0] ? out : what);
    else
        app_message(a, 1, "%s", out[0] ? out : "failed");
    a->dirty = 1;
}

static void delete_answer(App *a, Screen *owner, const char *text)
{
    SearchesScreen *ss = (SearchesScreen *)owner;
    char id[24];
    if (!text)
        return;
    snprintf(id, sizeof id, "%lld", (long long)ss->pending);
    char *args[] = { (char *)"rm", (char *)"--yes", id };
    run_cli(a, "deleted", args, 3);
}

static void rename_answer(App *a, Screen *owner, const char *text)
{
    SearchesScreen *ss = (SearchesScreen *)owner;
    char id[24];
    if (!text || !text[0])
        return;
    snprintf(id, sizeof id, "%lld", (long long)ss->pending);
    char *args[] = { (char *)"rename", id, (char *)text };
    run_cli(a, "renamed", args, 3);
}

/* resume_search - start `nasview search --resume` on row, detached like a
 * new search (its log beside the database). */
static void resume_search(App *a, const StoreSearch *row)
{
    char id[24], log[4200];
    pid_t pid;
    NvError err;
    if (row->status == SEARCH_DONE) {
        app_message(a, 1, "'%s' is done: nothing to resume", row->name);
        return;
    }
    if (ui_search_controllable(row)) {
        app_message(a, 1, "'%s' is running already", row->name);
        return;
    }
    snprintf(id, sizeof id, "%lld", (long long)row->id);
    char *argv[] = { (char *)"nasview", (char *)"search", (char *)"--db",
                     (char *)a->cfg.db_path, (char *)"--resume", id, NULL };
    spawn_log_path(a->cfg.db_path, (long)time(NULL), log, sizeof log);
    nv_error_clear(&err);
    if (spawn_search(a->cfg.self_exe, argv, log, &pid, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    app_started_search(a, row->name, (int)pid, log);
    app_message(a, 0, "resuming '%s' (log: %s)", row->name, log);
}

static int searches_key(Screen *s, App *a, int key)
{
    SearchesScreen *ss = (SearchesScreen *)s;
    Table *t = &ss->table;
    switch (key) {
    case 'j': case UI_KEY_DOWN: table_move(t, 1); return 1;
    case 'k': case UI_KEY_UP: table_move(t, -1); return 1;
    case UI_KEY_NPAGE: table_move(t, 10); return 1;
    case UI_KEY_PPAGE: table_move(t, -10); return 1;
    case 'g': case UI_KEY_HOME: table_jump(t, 0); return 1;
    case 'G': case UI_KEY_END: table_jump(t, 1); return 1;
    case 's': table_sort(t, t->sort_col + 1, t->sort_desc); return 1;
    case 'S': table_sort(t, t->sort_col, !t->sort_desc); return 1;
    case '/':
        app_prompt_live(a, s, "Filter:", t->filter, filter_done, filter_live);
        return 1;
    case 'n':
        if (a->cfg.read_only) {
            app_message(a, 1, "read-only: start nasview without --read-only "
                              "to run a search");
            return 1;
        }
        if (ui_data_problem(a->data)[0]) {
            app_message(a, 1, "this file cannot be used for a search (see "
                              "above); start nasview with --db FILE");
            return 1;
        }
        app_push(a, scr_form_new(a));
        return 1;
    case 'c':
        app_push(a, scr_compare_new(a));
        return 1;
    case 'f':
        app_push(a, scr_fidelity_new(a));
        return 1;
    case 'r': {
        StoreSearch row;
        if (current_search(ss, a, &row))
            resume_search(a, &row);
        return 1;
    }
    case 'D': {
        StoreSearch row;
        char q[400];
        if (!current_search(ss, a, &row))
            return 1;
        if (ui_search_controllable(&row)) {
            app_message(a, 1, "'%s' is running: stop it first (x in its live "
                              "view)", row.name);
            return 1;
        }
        ss->pending = row.id;
        snprintf(q, sizeof q, "Delete search '%s' and its %d samples? (y/n)",
                 row.name, row.samples_done);
        app_confirm(a, s, q, delete_answer);
        return 1;
    }
    case 'R': {
        StoreSearch row;
        if (!current_search(ss, a, &row))
            return 1;
        ss->pending = row.id;
        app_prompt(a, s, "New name:", row.name, rename_answer);
        return 1;
    }
    case UI_KEY_ESC:
        if (t->filter[0]) {
            table_set_filter(t, "");
            return 1;
        }
        return 0;
    case '\r': case '\n': case UI_KEY_ENTER:
        if (table_current(t))
            app_push(a, scr_live_new(a, table_current(t)->id));
        return 1;
    default:
        return 0;
    }
}

static int find_name(SearchesScreen *ss, const char *name, int64_t *id)
{
    for (size_t i = 0; i < ss->table.nrows; i++)
        if (!strcmp(ss->table.rows[i].text[1], name)) {
            *id = ss->table.rows[i].id;
            return 1;
        }
    return 0;
}

/* A search started from the form: open its live view as soon as it is in
 * the database; if its process ended before that, say why (the last line
 * of its log). */
static int follow_started(SearchesScreen *ss, App *a)
{
    int64_t id;
    if (find_name(ss, a->started_name, &id)) {
        a->started_pending = 0;
        app_push(a, scr_live_new(a, id));
        return 1;
    }
    if (proc_alive(a->started_pid))
        return 0;
    ui_data_touch(a->data);
    ui_data_changed(a->data);
    reload(ss, a);
    if (find_name(ss, a->started_name, &id)) {
        a->started_pending = 0;
        app_push(a, scr_live_new(a, id));
        return 1;
    }
    char tail[300];
    spawn_log_tail(a->started_log, tail, sizeof tail);
    app_message(a, 1, "search %s ended before it started: %s (log: %s)",
                a->started_name, tail[0] ? tail : "no output", a->started_log);
    a->started_pending = 0;
    return 1;
}

static int searches_tick(Screen *s, App *a)
{
    SearchesScreen *ss = (SearchesScreen *)s;
    int changed = ui_data_changed(a->data);
    /* A search's process that died without a word: show it stale. */
    for (int i = 0; i < ss->nwatch && !changed; i++)
        changed = ui_pid_gone(ss->watch[i]);
    if (changed)
        reload(ss, a);
    if (a->started_pending && follow_started(ss, a))
        return 1;
    return changed;
}

static const UiKey keys_rw[] = {
    { "j / k, arrows", "move" },
    { "g / G, Home/End, PgUp/PgDn", "first / last, page" },
    { "Enter", "open the search (live view)" },
    { "n", "start a new search (a form)" },
    { "r", "resume the search (interrupted, stale or failed)" },
    { "R", "rename the search" },
    { "D", "delete the search and all its samples (asks)" },
    { "c", "compare searches by strategy (curves, statistics, verdict)" },
    { "f", "fidelity panels: correlation table and scatter plot" },
    { "s / S", "sort by the next column / reverse" },
    { "/", "filter as you type (Enter keeps, Esc clears)" },
    { "q", "quit (running searches keep running)" },
    { NULL, NULL },
};
static const UiKey keys_ro[] = {
    { "j / k, arrows", "move" },
    { "g / G, Home/End, PgUp/PgDn", "first / last, page" },
    { "Enter", "open the search (live view)" },
    { "c", "compare searches by strategy (curves, statistics, verdict)" },
    { "f", "fidelity panels: correlation table and scatter plot" },
    { "s / S", "sort by the next column / reverse" },
    { "/", "filter as you type (Enter keeps, Esc clears)" },
    { "q", "quit" },
    { NULL, NULL },
};

static const UiKey *searches_keys(Screen *s, App *a)
{
    (void)s;
    return a->cfg.read_only ? keys_ro : keys_rw;
}

static const char *searches_hint(Screen *s, App *a)
{
    (void)s;
    if (ui_data_problem(a->data)[0])
        return "q quit  ? keys";
    return a->cfg.read_only ? "Enter open  c compare  s sort  / filter  q quit"
                            : "Enter open  n new  r resume  R rename  D delete  c compare  / filter  q quit";
}

static void searches_free(Screen *s)
{
    SearchesScreen *ss = (SearchesScreen *)s;
    table_done(&ss->table);
    free(ss);
}

static const ScreenOps searches_ops = {
    "Searches", searches_draw, searches_key, searches_tick,
    searches_keys, searches_hint, searches_free,
};

Screen *scr_searches_new(App *a)
{
    (void)a;
    SearchesScreen *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->base.ops = &searches_ops;
    table_init(&ss->table, columns, NCOLS);
    ss->table.sort_desc = 1; /* newest first */
    return &ss->base;
}
