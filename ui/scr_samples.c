/* scr_samples.c - every sample of one search as a table: index, state,
 * reward, parameters, seconds, loss, hash and genotype; sortable (s / S),
 * filterable (/, n / N between matches), Enter opens one.
 *
 * Invariant: rows[0..nrows) hold samples idx 0.. in order, and every row
 * before first_open is final.  A poll drops the rows from first_open on
 * and asks for samples after first_open - 1 (keyset on idx, PAGE rows at
 * most per query), so a poll never re-reads finished samples. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"
#include "widgets/table.h"

#define PAGE 2000

typedef struct {
    Screen base;
    int64_t sid;
    char name[STORE_NAME_MAX];
    Table table;
    int first_open;   /* first idx whose row may still change */
} SamplesScreen;

static const TableColumn columns[] = {
    { "#", 6, 1 },       { "state", 12, 0 }, { "reward", 8, 1 },
    { "params", 10, 1 }, { "seconds", 9, 1 }, { "loss", 8, 1 },
    { "hash", 18, 0 },   { "genotype", 20, 0 },
};
enum { NCOLS = sizeof columns / sizeof columns[0], COL_REWARD = 2 };

static UiRole status_role(SampleStatus st)
{
    switch (st) {
    case SAMPLE_RUNNING: return UI_ROLE_GOOD;
    case SAMPLE_DONE: return UI_ROLE_NORMAL;
    case SAMPLE_DUPLICATE: return UI_ROLE_DIM;
    case SAMPLE_INTERRUPTED: return UI_ROLE_WARN;
    default: return UI_ROLE_BAD;
    }
}

static void add_row(SamplesScreen *ss, const StoreSample *s)
{
    char idx[16], reward[24] = "-", params[24] = "-", secs[24] = "-", loss[24] = "-";
    snprintf(idx, sizeof idx, "%d", s->idx);
    if (!isnan(s->reward))
        snprintf(reward, sizeof reward, "%.4f", s->reward);
    if (s->params >= 0)
        snprintf(params, sizeof params, "%lld", (long long)s->params);
    if (!isnan(s->seconds))
        snprintf(secs, sizeof secs, "%.1f", s->seconds);
    if (!isnan(s->train_loss))
        snprintf(loss, sizeof loss, "%.4f", s->train_loss);
    const char *text[NCOLS] = { idx, store_sample_status_name(s->status), reward,
                                params, secs, loss, s->hash, s->genotype };
    double key[NCOLS] = { s->idx, NAN, isnan(s->reward) ? -1 : s->reward,
                          (double)s->params, isnan(s->seconds) ? -1 : s->seconds,
                          isnan(s->train_loss) ? -1 : s->train_loss, NAN, NAN };
    table_add_row(&ss->table, s->idx, text, key, status_role(s->status));
}

static void poll(SamplesScreen *ss, Store *st)
{
    table_truncate(&ss->table, (size_t)ss->first_open);
    int open_seen = 0;
    for (;;) {
        StoreSample after;
        memset(&after, 0, sizeof after);
        after.idx = (int)ss->table.nrows - 1;
        StoreSampleQuery q = { STORE_ORDER_IDX, 0, PAGE,
                               ss->table.nrows ? &after : NULL };
        StoreSample *rows = NULL;
        size_t n = 0;
        NvError err;
        if (store_samples(st, ss->sid, &q, &rows, &n, &err) != NV_OK)
            break;
        for (size_t i = 0; i < n; i++) {
            add_row(ss, &rows[i]);
            if (rows[i].status == SAMPLE_RUNNING)
                open_seen = 1;
            if (!open_seen)
                ss->first_open = rows[i].idx + 1;
        }
        free(rows);
        if (n < PAGE)
            break;
    }
    table_update(&ss->table);
}

static int samples_tick(Screen *s, App *a)
{
    SamplesScreen *ss = (SamplesScreen *)s;
    if (!ui_data_changed(a->data))
        return 0;
    Store *st = ui_data_store(a->data);
    if (st)
        poll(ss, st);
    return 1;
}

static void samples_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    SamplesScreen *ss = (SamplesScreen *)s;
    char title[300];
    snprintf(title, sizeof title, "Samples of %s (%zu)", ss->name, ss->table.nrows);
    ui_grid_text(g, x, y, title, UI_ROLE_TITLE);
    if (ss->table.filter[0]) {
        char f[200];
        snprintf(f, sizeof f, "filter: %s (%zu of %zu)", ss->table.filter,
                 ss->table.nview, ss->table.nrows);
        ui_grid_text(g, x + w - ui_utf8_width(f) - 1, y, f, UI_ROLE_WARN);
    }
    if (!ss->table.nrows)
        ui_grid_text(g, x + 2, y + 2, "No samples yet.", UI_ROLE_DIM);
    else if (!ss->table.nview)
        ui_grid_text(g, x + 2, y + 3, "No sample matches the filter (Esc clears it).",
                     UI_ROLE_DIM);
    table_draw(&ss->table, g, x, y + 1, w, h - 1, !a->cfg.utf8);
}

/* filter_done - Enter keeps the filter typed (already applied as it was
 * typed, by filter_live); Esc (text NULL) clears it. */
static void filter_done(App *a, Screen *owner, const char *text)
{
    SamplesScreen *ss = (SamplesScreen *)owner;
    table_set_filter(&ss->table, text ? text : "");
    if (ss->table.nview)
        table_jump(&ss->table, 0);
    a->dirty = 1;
}

static void filter_live(App *a, Screen *owner, const char *text)
{
    filter_done(a, owner, text);
}

static int samples_key(Screen *s, App *a, int key)
{
    SamplesScreen *ss = (SamplesScreen *)s;
    Table *t = &ss->table;
    switch (key) {
    case 'j': case UI_KEY_DOWN: table_move(t, 1); return 1;
    case 'k': case UI_KEY_UP: table_move(t, -1); return 1;
    case UI_KEY_NPAGE: table_move(t, 20); return 1;
    case UI_KEY_PPAGE: table_move(t, -20); return 1;
    case 'g': case UI_KEY_HOME: table_jump(t, 0); return 1;
    case 'G': case UI_KEY_END: table_jump(t, 1); return 1;
    case 'l': case UI_KEY_RIGHT: table_hscroll(t, 10); return 1;
    case 'h': case UI_KEY_LEFT: table_hscroll(t, -10); return 1;
    case '0': table_hscroll(t, -1000000); return 1;
    case 's': table_sort(t, t->sort_col + 1, t->sort_col + 1 == COL_REWARD); return 1;
    case 'S': table_sort(t, t->sort_col, !t->sort_desc); return 1;
    case '/':
        app_prompt_live(a, s, "Filter:", t->filter, filter_done, filter_live);
        return 1;
    case 'n':
        if (t->filter[0] && !table_next_match(t, 1))
            app_message(a, 0, "no other match");
        return 1;
    case 'N':
        if (t->filter[0] && !table_next_match(t, -1))
            app_message(a, 0, "no other match");
        return 1;
    case UI_KEY_ESC:
        if (t->filter[0]) {
            table_set_filter(t, "");
            return 1;
        }
        return 0;
    case '\r': case '\n': case UI_KEY_ENTER:
        if (table_current(t))
            app_push(a, scr_detail_new(a, ss->sid, (int)table_current(t)->id));
        return 1;
    default:
        return 0;
    }
}

static const UiKey keys[] = {
    { "j / k, Up/Down", "move" },
    { "h / l, Left/Right", "scroll the genotype sideways" },
    { "0", "genotype from its start" },
    { "g / G, Home/End, PgUp/PgDn", "first / last, page" },
    { "s / S", "sort by the next column / reverse the order" },
    { "/", "filter as you type (Enter keeps, Esc clears)" },
    { "n / N", "next / previous matching row" },
    { "Enter", "open the sample" },
    { "q / Esc", "back" },
    { NULL, NULL },
};

static const UiKey *samples_keys(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return keys;
}

static const char *samples_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "Enter open  s/S sort  / filter  n/N match  h/l genotype  q back";
}

static void samples_free(Screen *s)
{
    SamplesScreen *ss = (SamplesScreen *)s;
    table_done(&ss->table);
    free(ss);
}

static const ScreenOps samples_ops = {
    "Samples", samples_draw, samples_key, samples_tick, samples_keys,
    samples_hint, samples_free,
};

Screen *scr_samples_new(App *a, int64_t search_id)
{
    SamplesScreen *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->base.ops = &samples_ops;
    ss->sid = search_id;
    table_init(&ss->table, columns, NCOLS);
    Store *st = ui_data_store(a->data);
    if (st) {
        StoreSearch s;
        NvError err;
        if (store_search_get(st, search_id, &s, &err) == NV_OK)
            snprintf(ss->name, sizeof ss->name, "%s", s.name);
        poll(ss, st);
    }
    return &ss->base;
}
