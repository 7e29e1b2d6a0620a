/* store_query.c - every read of the nasview database: searches with their
 * summaries, pages of samples, one sample with its decisions and curve,
 * the live progress row, strategy snapshots.  Reads never write; each is
 * one statement (or a few) on the caller's connection.  See store.h. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/proc.h"
#include "store/store_db.h"

/* ---- searches -------------------------------------------------------------- */

#define SEARCH_COLUMNS                                                        \
    "id, name, strategy, seed, budget, dataset, F, N, epochs, train_size, "   \
    "val_size, batch, lr, threads, retrain_duplicates, settings, status, "    \
    "pid, host, created, updated, finished, version, message, samples_done, " \
    "best_reward, best_idx, bn_recalibrate, workers, " SEARCH_RATE ", "   \
    "reward_kind, ws_steps, ws_samples, ws_panel, streams, space_version, " \
    "reward_metric"

/* Samples per hour over the last STORE_RATE_WINDOW samples that finished
 * (trained, failed or reused; not interrupted): how many, over the time
 * from the first one's start to the last one's end.  NULL when they span
 * less than a second.  A keyset on the primary key: cheap at any size. */
#define STORE_RATE_WINDOW "50"
#define SEARCH_RATE                                                         \
    "(SELECT CASE WHEN max(finished) > min(created) THEN count(*) * 3600.0 " \
    "/ (max(finished) - min(created)) END FROM (SELECT created, finished "   \
    "FROM samples WHERE search_id = searches.id AND finished IS NOT NULL "   \
    "AND status <> 'interrupted' ORDER BY idx DESC LIMIT " STORE_RATE_WINDOW \
    "))"

static SearchStatus parse_search_status(const char *t)
{
    for (int i = 0; i < SEARCH_STALE; i++)
        if (strcmp(t, store_search_status_name((SearchStatus)i)) == 0)
            return (SearchStatus)i;
    return SEARCH_FAILED;
}

static void read_search(const Store *s, sqlite3_stmt *st, StoreSearch *o)
{
    char status[16];
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, o->name, sizeof o->name);
    store_col_text(st, 2, o->strategy, sizeof o->strategy);
    o->seed = (uint64_t)sqlite3_column_int64(st, 3);
    o->budget = store_col_bounded(st, 4, 0, STORE_MAX_SAMPLES, 0);
    store_col_text(st, 5, o->dataset, sizeof o->dataset);
    o->F = store_col_bounded(st, 6, 0, 1 << 20, 0);
    o->N = store_col_bounded(st, 7, 0, 1 << 20, 0);
    o->epochs = store_col_bounded(st, 8, 0, 1 << 20, 0);
    o->train_size = sqlite3_column_int64(st, 9);
    o->val_size = sqlite3_column_int64(st, 10);
    o->batch = store_col_bounded(st, 11, 0, 1 << 20, 0);
    o->lr = sqlite3_column_double(st, 12);
    o->threads = store_col_bounded(st, 13, 0, 1 << 20, 0);
    o->retrain_duplicates = sqlite3_column_int(st, 14);
    store_col_text(st, 15, o->settings, sizeof o->settings);
    store_col_text(st, 16, status, sizeof status);
    o->status = parse_search_status(status);
    o->pid = store_col_int(st, 17, 0);
    store_col_text(st, 18, o->host, sizeof o->host);
    o->created = store_col_int(st, 19, 0);
    o->updated = store_col_int(st, 20, 0);
    o->finished = store_col_int(st, 21, 0);
    store_col_text(st, 22, o->version, sizeof o->version);
    store_col_text(st, 23, o->message, sizeof o->message);
    o->samples_done = store_col_bounded(st, 24, 0, STORE_MAX_SAMPLES, 0);
    o->best_reward = store_col_real(st, 25);
    o->best_idx = store_col_bounded(st, 26, -1, STORE_MAX_SAMPLES, -1);
    o->bn_recalibrate = sqlite3_column_int(st, 27);
    o->workers = store_col_bounded(st, 28, 1, 1 << 16, 1);
    o->samples_per_hour = store_col_real(st, 29);
    store_col_text(st, 30, o->reward_kind, sizeof o->reward_kind);
    o->ws_steps = store_col_bounded(st, 31, 0, 1 << 24, 0);
    o->ws_samples = store_col_bounded(st, 32, 0, STORE_MAX_SAMPLES, 0);
    o->ws_panel = store_col_bounded(st, 33, 0, STORE_MAX_SAMPLES, 0);
    store_col_text(st, 34, o->streams, sizeof o->streams);
    o->space_version = store_col_bounded(st, 35, 0, 1 << 30, 1);
    store_col_text(st, 36, o->reward_metric, sizeof o->reward_metric);
    /* Invariant 5: a vanished process makes a running search stale. */
    if ((o->status == SEARCH_RUNNING || o->status == SEARCH_PAUSED) &&
        strcmp(o->host, s->host) == 0 && !proc_alive(o->pid)) {
        o->status = SEARCH_STALE;
        snprintf(o->message, sizeof o->message,
                 "its process %lld vanished; resume it with --resume",
                 (long long)o->pid);
    }
}

static void row_search(void *ctx, sqlite3_stmt *st, void *row)
{
    read_search(ctx, st, row);
}

NvStatus store_search_list(Store *s, StoreSearch **out, size_t *n,
                           NvError *err)
{
    sqlite3_stmt *st;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " SEARCH_COLUMNS " FROM searches ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot list searches");
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_search, s, &rows, n,
                                 "cannot list searches", err);
    *out = rows;
    return r;
}

/* search_by - one search where `where` (binding ?1 to text or id) holds. */
static NvStatus search_by(Store *s, const char *where, const char *name,
                          int64_t id, StoreSearch *out, int *found,
                          NvError *err)
{
    sqlite3_stmt *st;
    char sql[1024];
    int rc;
    snprintf(sql, sizeof sql, "SELECT " SEARCH_COLUMNS " FROM searches WHERE %s",
             where);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read a search");
    if (name)
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_search(s, st, out);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read a search");
    return NV_OK;
}

NvStatus store_search_get(Store *s, int64_t id, StoreSearch *out,
                          NvError *err)
{
    int found;
    NvStatus r = search_by(s, "id = ?1", NULL, id, out, &found, err);
    if (r == NV_OK && !found)
        r = nv_error_set(err, NV_ERR_NOT_FOUND, "%s: no search with id %lld",
                         s->path, (long long)id);
    return r;
}

NvStatus store_search_find(Store *s, const char *key, StoreSearch *out,
                           NvError *err)
{
    int found = 0;
    NvStatus r = search_by(s, "name = ?1", key, 0, out, &found, err);
    if (r || found)
        return r;
    if (key[0] && strspn(key, "0123456789") == strlen(key) && strlen(key) < 19) {
        r = search_by(s, "id = ?1", NULL, strtoll(key, NULL, 10), out, &found,
                      err);
        if (r || found)
            return r;
    }
    return nv_error_set(err, NV_ERR_NOT_FOUND,
                        "%s: no search named or numbered '%s' ('nasview ls' "
                        "lists them)",
                        s->path, key);
}

NvStatus store_search_params(Store *s, int64_t id, StoreParamFn fn, void *ctx,
                             NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r = NV_OK;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT j.key, j.value FROM searches, "
                           "json_each(searches.settings, '$.strategy_params') "
                           "AS j WHERE searches.id = ?1 ORDER BY j.id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read the strategy's settings");
    sqlite3_bind_int64(st, 1, id);
    while (r == NV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        r = fn(k ? k : "", v ? v : "", ctx, err);
    }
    if (r == NV_OK && rc != SQLITE_DONE)
        r = store_db_fail(s, err, "cannot read the strategy's settings");
    sqlite3_finalize(st);
    return r;
}

/* ---- samples --------------------------------------------------------------- */

#define SAMPLE_COLUMNS                                                       \
    "search_id, idx, genotype, hash, status, reward, train_loss, params, "   \
    "mult_adds, seconds, duplicate_of, log_prob, entropy, created, "         \
    "finished, message"

static SampleStatus parse_sample_status(const char *t)
{
    for (int i = 0; i <= SAMPLE_FAILED; i++)
        if (strcmp(t, store_sample_status_name((SampleStatus)i)) == 0)
            return (SampleStatus)i;
    return SAMPLE_FAILED;
}

static void read_sample(sqlite3_stmt *st, StoreSample *o)
{
    char status[16];
    memset(o, 0, sizeof *o);
    o->search_id = sqlite3_column_int64(st, 0);
    o->idx = store_col_bounded(st, 1, 0, STORE_MAX_SAMPLES, 0);
    store_col_text(st, 2, o->genotype, sizeof o->genotype);
    store_col_text(st, 3, o->hash, sizeof o->hash);
    store_col_text(st, 4, status, sizeof status);
    o->status = parse_sample_status(status);
    o->reward = store_col_real(st, 5);
    o->train_loss = store_col_real(st, 6);
    o->params = store_col_int(st, 7, -1);
    o->mult_adds = store_col_int(st, 8, -1);
    o->seconds = store_col_real(st, 9);
    o->duplicate_of = store_col_bounded(st, 10, -1, STORE_MAX_SAMPLES, -1);
    o->log_prob = store_col_real(st, 11);
    o->entropy = store_col_real(st, 12);
    o->created = store_col_int(st, 13, 0);
    o->finished = store_col_int(st, 14, 0);
    store_col_text(st, 15, o->message, sizeof o->message);
}

/* Sort keys; unknown values sort as -1 (store.h). */
static const char *const order_key[] = {
    "idx", "coalesce(reward, -1.0)", "coalesce(params, -1)"
};

static double key_of(StoreOrder order, const StoreSample *x)
{
    switch (order) {
    case STORE_ORDER_REWARD:
        return isnan(x->reward) ? -1.0 : x->reward;
    case STORE_ORDER_PARAMS:
        return (double)x->params;
    default:
        return x->idx;
    }
}

static void row_sample(void *ctx, sqlite3_stmt *st, void *row)
{
    read_sample(st, row);
}

NvStatus store_samples(Store *s, int64_t search_id, const StoreSampleQuery *q,
                       StoreSample **out, size_t *n, NvError *err)
{
    StoreSampleQuery all = { STORE_ORDER_IDX, 0, 0, NULL };
    sqlite3_stmt *st;
    char sql[768];
    const char *key, *dir, *cmp;

    *out = NULL;
    *n = 0;
    if (!q)
        q = &all;
    if ((unsigned)q->order > STORE_ORDER_PARAMS)
        return nv_error_set(err, NV_ERR_USAGE, "unknown sample order %d",
                            (int)q->order);
    key = order_key[q->order];
    dir = q->descending ? "DESC" : "ASC";
    cmp = q->descending ? "<" : ">";
    /* Keyset: rows after (key, idx) of the last row seen, ties by idx. */
    if (q->order == STORE_ORDER_IDX)
        snprintf(sql, sizeof sql,
                 "SELECT " SAMPLE_COLUMNS " FROM samples WHERE search_id = ?1 "
                 "AND (?2 = 0 OR idx %s ?4) ORDER BY idx %s LIMIT ?5",
                 cmp, dir);
    else
        snprintf(sql, sizeof sql,
                 "SELECT " SAMPLE_COLUMNS " FROM samples WHERE search_id = ?1 "
                 "AND (?2 = 0 OR %s %s ?3 OR (%s = ?3 AND idx > ?4)) "
                 "ORDER BY %s %s, idx ASC LIMIT ?5",
                 key, cmp, key, key, dir);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot list samples");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, q->after != NULL);
    if (q->after) {
        sqlite3_bind_double(st, 3, key_of(q->order, q->after));
        sqlite3_bind_int(st, 4, q->after->idx);
    }
    sqlite3_bind_int(st, 5, q->limit > 0 ? q->limit : -1);
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_sample, NULL,
                                 &rows, n, "cannot list samples", err);
    *out = rows;
    return r;
}

/* parse_probs - the JSON array of a decision into d->probs. */
static void parse_probs(const char *text, StoreDecision *d)
{
    const char *p = text ? strchr(text, '[') : NULL;
    int v = 0;
    memset(d->probs, 0, sizeof d->probs);
    if (!p)
        return;
    p++;
    while (v < GENO_MAX_SUPPORT) {
        char *end;
        double x = strtod(p, &end);
        if (end == p)
            break;
        d->probs[v++] = (float)x;
        p = end;
        while (*p == ' ' || *p == ',')
            p++;
    }
}

NvStatus store_sample_get(Store *s, int64_t search_id, int idx,
                          StoreSample *out, StoreDecision *dec, int *n_dec,
                          NvError *err)
{
    sqlite3_stmt *st;
    int rc, found;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT " SAMPLE_COLUMNS " FROM samples WHERE "
                           "search_id = ?1 AND idx = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read a sample");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    rc = sqlite3_step(st);
    found = rc == SQLITE_ROW;
    if (found)
        read_sample(st, out);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read a sample");
    if (!found) {
        /* say which exist: samples are numbered 0.. in proposal order */
        int lo = -1, hi = -1;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT min(idx), max(idx) FROM samples "
                               "WHERE search_id = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, search_id);
            if (sqlite3_step(st) == SQLITE_ROW &&
                sqlite3_column_type(st, 0) != SQLITE_NULL) {
                lo = store_col_bounded(st, 0, 0, STORE_MAX_SAMPLES, 0);
                hi = store_col_bounded(st, 1, 0, STORE_MAX_SAMPLES, 0);
            }
            sqlite3_finalize(st);
        }
        if (lo < 0)
            return nv_error_set(err, NV_ERR_NOT_FOUND,
                                "%s: search %lld has no sample %d: it has "
                                "no samples yet",
                                s->path, (long long)search_id, idx);
        return nv_error_set(err, NV_ERR_NOT_FOUND,
                            "%s: search %lld has no sample %d (its samples "
                            "are %d to %d)",
                            s->path, (long long)search_id, idx, lo, hi);
    }
    if (!dec)
        return NV_OK;
    *n_dec = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT step, chosen, probs FROM decisions WHERE "
                           "search_id = ?1 AND sample_idx = ?2 ORDER BY step",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read decisions");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n_dec < GENO_DECISIONS) {
        StoreDecision *d = &dec[*n_dec];
        int t = sqlite3_column_int(st, 0);
        if (t < 0 || t >= GENO_DECISIONS)
            continue;
        d->step = t;
        geno_decision_locate(t, &d->cell, &d->block, &d->field);
        d->support = geno_decision_support(t);
        d->chosen = sqlite3_column_int(st, 1);
        parse_probs((const char *)sqlite3_column_text(st, 2), d);
        (*n_dec)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read decisions");
    return NV_OK;
}

#define PROGRESS_COLUMNS                                                    \
    "sample_idx, epoch, epochs, step, steps, loss, acc, images_per_s, "     \
    "elapsed_s, eta_s, evaluating, epoch_end, time"

static void read_progress(sqlite3_stmt *st, StoreProgress *p)
{
    p->sample_idx = store_col_bounded(st, 0, 0, STORE_MAX_SAMPLES, 0);
    p->epoch = store_col_bounded(st, 1, 0, 1 << 20, 0);
    p->epochs = store_col_bounded(st, 2, 0, 1 << 20, 0);
    p->step = sqlite3_column_int64(st, 3);
    p->steps = sqlite3_column_int64(st, 4);
    p->loss = store_col_real(st, 5);
    p->acc = store_col_real(st, 6);
    p->images_per_s = store_col_real(st, 7);
    p->elapsed_s = store_col_real(st, 8);
    p->eta_s = store_col_real(st, 9);
    p->evaluating = sqlite3_column_int(st, 10);
    p->epoch_end = sqlite3_column_int(st, 11);
    p->time = sqlite3_column_int64(st, 12);
}

static void row_progress(void *ctx, sqlite3_stmt *st, void *row)
{
    read_progress(st, row);
}

NvStatus store_sample_curve(Store *s, int64_t search_id, int idx,
                            StoreProgress **out, size_t *n, NvError *err)
{
    sqlite3_stmt *st;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " PROGRESS_COLUMNS " FROM progress WHERE "
                           "search_id = ?1 AND sample_idx = ?2 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read a training curve");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_progress, NULL, &rows, n,
                                 "cannot read a training curve", err);
    *out = rows;
    return r;
}

NvStatus store_progress_children(Store *s, int64_t search_id,
                                 StoreProgress *out, int cap, int *n,
                                 NvError *err)
{
    sqlite3_stmt *st;
    int rc;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " PROGRESS_COLUMNS " FROM progress WHERE "
                           "id IN (SELECT (SELECT max(p.id) FROM progress p "
                           "WHERE p.search_id = ?1 AND p.sample_idx = sm.idx) "
                           "FROM samples sm WHERE sm.search_id = ?1 AND "
                           "sm.status = 'running') ORDER BY sample_idx",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read the children's progress");
    sqlite3_bind_int64(st, 1, search_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        read_progress(st, &out[(*n)++]);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read the children's progress");
    return NV_OK;
}

NvStatus store_progress_live(Store *s, int64_t search_id, StoreProgress *out,
                             int *found, NvError *err)
{
    sqlite3_stmt *st;
    int rc;
    *found = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " PROGRESS_COLUMNS " FROM progress WHERE "
                           "search_id = ?1 AND sample_idx = (SELECT max(idx) "
                           "FROM samples WHERE search_id = ?1 AND status = "
                           "'running') ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read live progress");
    sqlite3_bind_int64(st, 1, search_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_progress(st, out);
        *found = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read live progress");
    return NV_OK;
}

NvStatus store_find_trained(Store *s, int64_t search_id, const char *hash,
                            StoreSample *out, int *found, NvError *err)
{
    sqlite3_stmt *st;
    int rc;
    *found = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " SAMPLE_COLUMNS " FROM samples WHERE "
                           "search_id = ?1 AND hash = ?2 AND status IN "
                           "('done', 'diverged') ORDER BY idx LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot look for a duplicate");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_sample(st, out);
        *found = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot look for a duplicate");
    return NV_OK;
}

NvStatus store_state_load(Store *s, int64_t search_id, int *after_sample,
                          uint8_t **state, size_t *len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r = NV_OK;
    int rc;
    *state = NULL;
    *len = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT after_sample, state FROM strategy_state "
                           "WHERE search_id = ?1 ORDER BY after_sample DESC "
                           "LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read the strategy state");
    sqlite3_bind_int64(st, 1, search_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 1);
        const void *b = sqlite3_column_blob(st, 1);
        *after_sample = sqlite3_column_int(st, 0);
        *state = malloc(n > 0 ? (size_t)n : 1);
        if (!*state)
            r = nv_error_set(err, NV_ERR_NOMEM, "out of memory reading state");
        else {
            if (n > 0)
                memcpy(*state, b, (size_t)n);
            *len = (size_t)n;
        }
    } else if (rc == SQLITE_DONE) {
        r = nv_error_set(err, NV_ERR_NOT_FOUND,
                         "%s: search %lld has no saved strategy state",
                         s->path, (long long)search_id);
    } else {
        r = store_db_fail(s, err, "cannot read the strategy state");
    }
    sqlite3_finalize(st);
    return r;
}

NvStatus store_shared_load(Store *s, int64_t search_id, int *rounds,
                           uint8_t **state, size_t *len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r = NV_OK;
    int rc;
    *state = NULL;
    *len = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT rounds, state FROM shared_weights "
                           "WHERE search_id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read the shared weights");
    sqlite3_bind_int64(st, 1, search_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 1);
        const void *b = sqlite3_column_blob(st, 1);
        *rounds = sqlite3_column_int(st, 0);
        *state = malloc(n > 0 ? (size_t)n : 1);
        if (!*state)
            r = nv_error_set(err, NV_ERR_NOMEM,
                             "out of memory reading the shared weights");
        else {
            if (n > 0)
                memcpy(*state, b, (size_t)n);
            *len = (size_t)n;
        }
    } else if (rc == SQLITE_DONE) {
        r = nv_error_set(err, NV_ERR_NOT_FOUND,
                         "%s: search %lld has no shared-weight checkpoint",
                         s->path, (long long)search_id);
    } else {
        r = store_db_fail(s, err, "cannot read the shared weights");
    }
    sqlite3_finalize(st);
    return r;
}

static void row_ws_panel(void *ctx, sqlite3_stmt *st, void *row)
{
    StoreWsPanel *p = row;
    char pick[16], status[16];
    p->sample_idx = sqlite3_column_int(st, 0);
    store_col_text(st, 1, pick, sizeof pick);
    p->top = strcmp(pick, "top") == 0;
    p->shared_reward = store_col_real(st, 2);
    p->reward = store_col_real(st, 3);
    store_col_text(st, 4, status, sizeof status);
    p->status = strcmp(status, "diverged") == 0 ? SAMPLE_DIVERGED : SAMPLE_DONE;
    p->params = store_col_int(st, 5, -1);
    p->seconds = store_col_real(st, 6);
}

NvStatus store_ws_panel_list(Store *s, int64_t search_id, StoreWsPanel **out,
                          size_t *n, NvError *err)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT sample_idx, pick, shared_reward, reward, "
                           "status, params, seconds FROM panel WHERE "
                           "search_id = ?1 ORDER BY sample_idx",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read the panel");
    sqlite3_bind_int64(st, 1, search_id);
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_ws_panel, NULL,
                                 &rows, n, "cannot read the panel", err);
    *out = rows;
    return r;
}
