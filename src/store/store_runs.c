/* store_runs.c - final training runs (tables final_runs and
 * final_run_epochs, migration 005): written in one transaction when a run
 * ends, read back by sample for `nasview show`.  Nothing else. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_db.h"

#define RUN_COLUMNS                                                          \
    "id, search_id, sample_idx, genotype, hash, dataset, F, N, epochs, "    \
    "batch, lr, seed, threads, train_size, val_size, settings, status, "    \
    "epochs_done, val_acc, test_acc, train_loss, params, seconds, weights, " \
    "checkpoint, created"

static void bind_real(sqlite3_stmt *st, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t && t[0])
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

NvStatus store_final_run_add(Store *s, const StoreFinalRun *r,
                             const StoreRunEpoch *ep, size_t nep, int64_t *id,
                             NvError *err)
{
    sqlite3_stmt *st;
    NvStatus rv;
    int rc, found = 0;

    if ((rv = store_need_write(s, err)) || (rv = store_begin(s, err)))
        return rv;
    if ((rv = store_prepare(s, "SELECT 1 FROM samples WHERE search_id = ?1 "
                               "AND idx = ?2", &st, err)))
        return store_rollback(s, rv);
    sqlite3_bind_int64(st, 1, r->search_id);
    sqlite3_bind_int(st, 2, r->sample_idx);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!found)
        return store_rollback(s, nv_error_set(err, NV_ERR_NOT_FOUND,
                                              "%s: search %lld has no sample "
                                              "%d", s->path,
                                              (long long)r->search_id,
                                              r->sample_idx));
    if ((rv = store_prepare(s,
                            "INSERT INTO final_runs (search_id, sample_idx, "
                            "genotype, hash, dataset, F, N, epochs, batch, lr, "
                            "seed, threads, train_size, val_size, settings, "
                            "status, epochs_done, val_acc, test_acc, "
                            "train_loss, params, seconds, weights, checkpoint, "
                            "created, version) VALUES (?1, ?2, ?3, ?4, ?5, "
                            "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                            "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
                            "?25, ?26)",
                            &st, err)))
        return store_rollback(s, rv);
    sqlite3_bind_int64(st, 1, r->search_id);
    sqlite3_bind_int(st, 2, r->sample_idx);
    sqlite3_bind_text(st, 3, r->genotype, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->dataset, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, r->F);
    sqlite3_bind_int(st, 7, r->N);
    sqlite3_bind_int(st, 8, r->epochs);
    sqlite3_bind_int(st, 9, r->batch);
    sqlite3_bind_double(st, 10, r->lr);
    sqlite3_bind_int64(st, 11, (int64_t)r->seed);
    sqlite3_bind_int(st, 12, r->threads);
    sqlite3_bind_int64(st, 13, r->train_size);
    sqlite3_bind_int64(st, 14, r->val_size);
    sqlite3_bind_text(st, 15, r->settings[0] ? r->settings : "{}", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 16, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 17, r->epochs_done);
    bind_real(st, 18, r->val_acc);
    bind_real(st, 19, r->test_acc);
    bind_real(st, 20, r->train_loss);
    sqlite3_bind_int64(st, 21, r->params);
    sqlite3_bind_double(st, 22, r->seconds);
    bind_text(st, 23, r->weights);
    bind_text(st, 24, r->checkpoint);
    sqlite3_bind_int64(st, 25, store_now());
    sqlite3_bind_text(st, 26, PACKAGE_VERSION, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_rollback(s, store_db_fail(s, err,
                                               "cannot add the final run"));
    *id = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < nep; i++) {
        if ((rv = store_prepare(s, "INSERT INTO final_run_epochs (run_id, "
                                   "epoch, train_loss, val_acc, test_acc, "
                                   "seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                &st, err)))
            return store_rollback(s, rv);
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int(st, 2, ep[i].epoch);
        bind_real(st, 3, ep[i].train_loss);
        bind_real(st, 4, ep[i].val_acc);
        bind_real(st, 5, ep[i].test_acc);
        sqlite3_bind_double(st, 6, ep[i].seconds);
        if ((rv = store_step_done(s, st, "cannot add an epoch of the final run",
                                  err)))
            return store_rollback(s, rv);
    }
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

static void read_run(sqlite3_stmt *st, StoreFinalRun *o)
{
    memset(o, 0, sizeof *o);
    o->id = store_col_int(st, 0, 0);
    o->search_id = store_col_int(st, 1, 0);
    o->sample_idx = store_col_bounded(st, 2, 0, STORE_MAX_SAMPLES, 0);
    store_col_text(st, 3, o->genotype, sizeof o->genotype);
    store_col_text(st, 4, o->hash, sizeof o->hash);
    store_col_text(st, 5, o->dataset, sizeof o->dataset);
    o->F = store_col_bounded(st, 6, 0, 1 << 20, 0);
    o->N = store_col_bounded(st, 7, 0, 1 << 20, 0);
    o->epochs = store_col_bounded(st, 8, 0, 1 << 30, 0);
    o->batch = store_col_bounded(st, 9, 0, 1 << 30, 0);
    o->lr = store_col_real(st, 10);
    o->seed = (uint64_t)store_col_int(st, 11, 0);
    o->threads = store_col_bounded(st, 12, 0, 1 << 20, 0);
    o->train_size = store_col_int(st, 13, 0);
    o->val_size = store_col_int(st, 14, 0);
    store_col_text(st, 15, o->settings, sizeof o->settings);
    store_col_text(st, 16, o->status, sizeof o->status);
    o->epochs_done = store_col_bounded(st, 17, 0, 1 << 30, 0);
    o->val_acc = store_col_real(st, 18);
    o->test_acc = store_col_real(st, 19);
    o->train_loss = store_col_real(st, 20);
    o->params = store_col_int(st, 21, 0);
    o->seconds = store_col_real(st, 22);
    store_col_text(st, 23, o->weights, sizeof o->weights);
    store_col_text(st, 24, o->checkpoint, sizeof o->checkpoint);
    o->created = store_col_int(st, 25, 0);
}

/* Whether the file has migration 005's tables (a read-only store of an
 * older schema is upgraded on open, so this is only a guard). */
static int has_runs(Store *s)
{
    sqlite3_stmt *st;
    int yes = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_schema WHERE type = "
                                  "'table' AND name = 'final_runs'",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static void row_run(void *ctx, sqlite3_stmt *st, void *row)
{
    read_run(st, row);
}

static void row_epoch(void *ctx, sqlite3_stmt *st, void *row)
{
    StoreRunEpoch *e = row;
    e->epoch = store_col_bounded(st, 0, 0, 1 << 30, 0);
    e->train_loss = store_col_real(st, 1);
    e->val_acc = store_col_real(st, 2);
    e->test_acc = store_col_real(st, 3);
    e->seconds = store_col_real(st, 4);
}

NvStatus store_final_runs(Store *s, int64_t search_id, int idx,
                          StoreFinalRun **out, size_t *n, NvError *err)
{
    sqlite3_stmt *st;

    *out = NULL;
    *n = 0;
    if (!has_runs(s))
        return NV_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " RUN_COLUMNS " FROM final_runs WHERE "
                           "search_id = ?1 AND (?2 < 0 OR sample_idx = ?2) "
                           "ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read final runs");
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_run, NULL, &rows,
                                 n, "cannot read final runs", err);
    *out = rows;
    return r;
}

NvStatus store_final_run_curve(Store *s, int64_t run_id, StoreRunEpoch **out,
                               size_t *n, NvError *err)
{
    sqlite3_stmt *st;

    *out = NULL;
    *n = 0;
    if (!has_runs(s))
        return NV_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT epoch, train_loss, val_acc, test_acc, "
                           "seconds FROM final_run_epochs WHERE run_id = ?1 "
                           "ORDER BY epoch",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot read a final run's curve");
    sqlite3_bind_int64(st, 1, run_id);
    void *rows;
    NvStatus r = store_read_rows(s, st, sizeof(**out), row_epoch, NULL, &rows,
                                 n, "cannot read a final run's curve", err);
    *out = rows;
    return r;
}
