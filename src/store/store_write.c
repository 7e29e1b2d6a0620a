/* store_write.c - every write to the nasview database (store.h): searches
 * created, claimed and their status set; samples started, finished and
 * aborted; progress points; strategy snapshots.  Each function is one short
 * BEGIN IMMEDIATE transaction, or a single statement (invariant 4). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/proc.h"
#include "store/store_db.h"

static void bind_real_or_null(sqlite3_stmt *st, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int64_t x)
{
    if (x < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, x);
}

/* Text is bound SQLITE_STATIC (t must outlive the statement's step): a
 * copy would be an allocation whose failure leaves the parameter NULL and
 * the row written without it. */
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *t)
{
    if (t && t[0])
        sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* ---- writes --------------------------------------------------------------- */

NvStatus store_search_create(Store *s, const StoreSearch *in, int64_t *id,
                             NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    int rc;

    if ((r = store_name_check(in->name, err)) ||
        (r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s,
                     "INSERT INTO searches (name, strategy, seed, budget, "
                     "dataset, F, N, epochs, train_size, val_size, batch, lr, "
                     "threads, retrain_duplicates, settings, status, pid, "
                     "host, created, updated, version, bn_recalibrate, "
                     "reward_kind, ws_steps, ws_samples, ws_panel, streams, "
                     "space_version, reward_metric) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                     "?12, ?13, ?14, ?15, 'running', ?16, ?17, ?18, ?18, ?19, "
                     "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
                     &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, in->strategy, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)in->seed);
    sqlite3_bind_int(st, 4, in->budget);
    sqlite3_bind_text(st, 5, in->dataset, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, in->F);
    sqlite3_bind_int(st, 7, in->N);
    sqlite3_bind_int(st, 8, in->epochs);
    sqlite3_bind_int64(st, 9, in->train_size);
    sqlite3_bind_int64(st, 10, in->val_size);
    sqlite3_bind_int(st, 11, in->batch);
    sqlite3_bind_double(st, 12, in->lr);
    sqlite3_bind_int(st, 13, in->threads);
    sqlite3_bind_int(st, 14, in->retrain_duplicates != 0);
    sqlite3_bind_text(st, 15, in->settings[0] ? in->settings : "{}", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 16, (int64_t)getpid());
    sqlite3_bind_text(st, 17, s->host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 18, now);
    sqlite3_bind_text(st, 19, PACKAGE_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 20, in->bn_recalibrate != 0);
    sqlite3_bind_text(st, 21, in->reward_kind[0] ? in->reward_kind
                                                 : "standalone",
                      -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 22, in->ws_steps);
    sqlite3_bind_int(st, 23, in->ws_samples);
    sqlite3_bind_int(st, 24, in->ws_panel);
    sqlite3_bind_text(st, 25, in->streams[0] ? in->streams : "common", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 26, in->space_version > 0 ? in->space_version : 1);
    sqlite3_bind_text(st, 27, in->reward_metric[0] ? in->reward_metric
                                                   : "accuracy",
                      -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return store_rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                        "%s: a search named '%s' exists "
                                        "already: choose another --name, or "
                                        "--resume it",
                                        s->path, in->name));
    if (rc != SQLITE_DONE)
        return store_rollback(s, store_db_fail(s, err, "cannot add the search"));
    *id = sqlite3_last_insert_rowid(s->db);
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

/* live_check - inside a transaction: NV_OK when search id exists and no
 * live process writes it (running or paused on another host, or here in a
 * process that exists); name (STORE_NAME_MAX bytes) receives its name and
 * status (16 bytes) its status. */
static NvStatus live_check(Store *s, int64_t id, const char *doing,
                           char *name, char *status, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    char host[STORE_NAME_MAX] = "";
    int64_t pid = 0;
    name[0] = status[0] = '\0';
    if ((r = store_prepare(s, "SELECT status, pid, host, name FROM searches "
                        "WHERE id = ?1", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, status, 16);
        pid = store_col_int(st, 1, 0);
        store_col_text(st, 2, host, sizeof host);
        store_col_text(st, 3, name, STORE_NAME_MAX);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot read the search");
    if (!status[0])
        return nv_error_set(err, NV_ERR_NOT_FOUND, "%s: no search with id %lld",
                            s->path, (long long)id);
    if ((strcmp(status, "running") == 0 || strcmp(status, "paused") == 0) &&
        (strcmp(host, s->host) != 0 || proc_alive(pid)))
        return nv_error_set(err, NV_ERR_USAGE,
                            "search '%s' is %s in process %lld on %s: stop "
                            "it before %s it",
                            name, status, (long long)pid, host, doing);
    return NV_OK;
}

NvStatus store_search_delete(Store *s, int64_t id, int *samples, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    char name[STORE_NAME_MAX], status[16];
    *samples = 0;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = live_check(s, id, "deleting", name, status, err)))
        return store_rollback(s, r);
    if ((r = store_prepare(s, "SELECT count(*) FROM samples WHERE search_id = ?1",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *samples = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_rollback(s, store_db_fail(s, err, "cannot count samples"));
    /* The rows of every table that belong to it, explicitly (the foreign
     * keys cascade too, for tables added later): nothing of another
     * search is touched. */
    static const char *const del[] = {
        "DELETE FROM decisions WHERE search_id = ?1",
        "DELETE FROM progress WHERE search_id = ?1",
        "DELETE FROM strategy_state WHERE search_id = ?1",
        "DELETE FROM samples WHERE search_id = ?1",
        "DELETE FROM searches WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
        if ((r = store_prepare(s, del[i], &st, err)))
            return store_rollback(s, r);
        sqlite3_bind_int64(st, 1, id);
        if ((r = store_step_done(s, st, "cannot delete the search", err)))
            return store_rollback(s, r);
    }
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_search_rename(Store *s, int64_t id, const char *name,
                             NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    char old[STORE_NAME_MAX], status[16];
    if ((r = store_name_check(name, err)) || (r = store_need_write(s, err)) ||
        (r = store_begin(s, err)))
        return r;
    if ((r = live_check(s, id, "renaming", old, status, err)))
        return store_rollback(s, r);
    if ((r = store_prepare(s, "SELECT count(*) FROM searches WHERE name = ?1 "
                              "AND id <> ?2", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    int taken = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_rollback(s, store_db_fail(s, err, "cannot read the names"));
    if (taken)
        return store_rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                              "a search named '%s' exists "
                                              "already", name));
    if ((r = store_prepare(s, "UPDATE searches SET name = ?2, updated = ?3 "
                              "WHERE id = ?1", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, store_now());
    if ((r = store_step_done(s, st, "cannot rename the search", err)))
        return store_rollback(s, r);
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_search_claim(Store *s, int64_t id, int done_ok, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    char status[16], name[STORE_NAME_MAX];

    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = live_check(s, id, "resuming", name, status, err)))
        return store_rollback(s, r);
    if (!done_ok && strcmp(status, "done") == 0)
        return store_rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                        "search '%s' is done already: "
                                        "nothing to resume",
                                        name));
    if ((r = store_prepare(s, "UPDATE searches SET status = 'running', pid = ?2, "
                        "host = ?3, updated = ?4, finished = NULL, "
                        "message = NULL WHERE id = ?1", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)getpid());
    sqlite3_bind_text(st, 3, s->host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, store_now());
    if ((r = store_step_done(s, st, "cannot claim the search", err)))
        return store_rollback(s, r);
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

/* set_search_int - UPDATE searches SET <sql's column> = v WHERE id (sql
 * binds ?1 to the id and ?2 to v); `what` names the failure. */
static NvStatus set_search_int(Store *s, int64_t id, const char *sql, int v,
                               const char *what, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)) ||
        (r = store_prepare(s, sql, &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, v);
    return store_step_done(s, st, what, err);
}

NvStatus store_search_set_workers(Store *s, int64_t id, int workers,
                                  NvError *err)
{
    if (workers < 1 || workers > 1 << 16)
        return nv_error_set(err, NV_ERR_USAGE, "%d workers", workers);
    return set_search_int(s, id,
                          "UPDATE searches SET workers = ?2 WHERE id = ?1",
                          workers, "cannot record the search's workers", err);
}

NvStatus store_search_set_ws_panel(Store *s, int64_t id, int ws_panel,
                                   NvError *err)
{
    if (ws_panel < 0)
        return nv_error_set(err, NV_ERR_USAGE, "a panel of %d", ws_panel);
    return set_search_int(s, id,
                          "UPDATE searches SET ws_panel = ?2 WHERE id = ?1",
                          ws_panel, "cannot record the search's panel size",
                          err);
}

NvStatus store_search_set_status(Store *s, int64_t id, SearchStatus status,
                                 const char *message, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    int ends = status == SEARCH_DONE || status == SEARCH_INTERRUPTED ||
               status == SEARCH_FAILED;

    if ((r = store_need_write(s, err)))
        return r;
    if (status == SEARCH_STALE)
        return nv_error_set(err, NV_ERR_USAGE, "stale is never stored");
    if ((r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s, "UPDATE searches SET status = ?2, updated = ?3, "
                        "finished = CASE WHEN ?4 THEN ?3 ELSE NULL END, "
                        "message = CASE WHEN ?5 THEN ?6 ELSE message END "
                        "WHERE id = ?1", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, store_search_status_name(status), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, ends);
    sqlite3_bind_int(st, 5, message != NULL);
    bind_text_or_null(st, 6, message);
    if ((r = store_step_done(s, st, "cannot set the search's status", err)))
        return store_rollback(s, r);
    if (status == SEARCH_INTERRUPTED || status == SEARCH_FAILED) {
        if ((r = store_prepare(s, "UPDATE samples SET status = ?2, finished = ?3, "
                            "message = ?4 WHERE search_id = ?1 AND "
                            "status = 'running'", &st, err)))
            return store_rollback(s, r);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, status == SEARCH_FAILED ? "failed"
                                                          : "interrupted",
                          -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        bind_text_or_null(st, 4, message);
        if ((r = store_step_done(s, st, "cannot mark the running sample", err)))
            return store_rollback(s, r);
    }
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

static void probs_json(const StoreDecision *d, int support, char *buf,
                       size_t n)
{
    size_t len = 0;
    buf[len++] = '[';
    for (int v = 0; v < support && len < n; v++)
        len += (size_t)snprintf(buf + len, n - len, "%s%.9g", v ? "," : "",
                                (double)d->probs[v]);
    snprintf(buf + (len < n ? len : n - 1), n - (len < n ? len : n - 1), "]");
}

NvStatus store_sample_start(Store *s, int64_t search_id, const StoreSample *sm,
                            const StoreDecision dec[GENO_DECISIONS],
                            NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    int rc, busy = 0;

    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    /* An earlier attempt at this idx may be replaced only when it never
     * finished (invariant 3). */
    if ((r = store_prepare(s, "SELECT status FROM samples WHERE search_id = ?1 AND "
                        "idx = ?2", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, sm->idx);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 0);
        busy = old && strcmp(old, "interrupted") != 0 &&
               strcmp(old, "failed") != 0 && strcmp(old, "running") != 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_rollback(s, store_db_fail(s, err,
                                               "cannot read the sample"));
    if (busy)
        return store_rollback(s, nv_error_set(err, NV_ERR_DB,
                                        "%s: sample %d of search %lld is "
                                        "finished already",
                                        s->path, sm->idx,
                                        (long long)search_id));
    static const char *const clear[] = {
        "DELETE FROM progress WHERE search_id = ?1 AND sample_idx = ?2",
        "DELETE FROM decisions WHERE search_id = ?1 AND sample_idx = ?2",
        "DELETE FROM samples WHERE search_id = ?1 AND idx = ?2",
    };
    for (int i = 0; i < 3; i++) {
        if ((r = store_prepare(s, clear[i], &st, err)))
            return store_rollback(s, r);
        sqlite3_bind_int64(st, 1, search_id);
        sqlite3_bind_int(st, 2, sm->idx);
        if ((r = store_step_done(s, st, "cannot replace an earlier attempt", err)))
            return store_rollback(s, r);
    }
    if ((r = store_prepare(s, "INSERT INTO samples (search_id, idx, genotype, hash, "
                        "status, log_prob, entropy, created, params, "
                        "mult_adds) VALUES (?1, ?2, ?3, ?4, 'running', ?5, "
                        "?6, ?7, ?8, ?9)", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, sm->idx);
    sqlite3_bind_text(st, 3, sm->genotype, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sm->hash, -1, SQLITE_STATIC);
    bind_real_or_null(st, 5, sm->log_prob);
    bind_real_or_null(st, 6, sm->entropy);
    sqlite3_bind_int64(st, 7, now);
    bind_int_or_null(st, 8, sm->params);      /* known before training */
    bind_int_or_null(st, 9, sm->mult_adds);
    if ((r = store_step_done(s, st, "cannot add the sample", err)))
        return store_rollback(s, r);

    if ((r = store_prepare(s, "INSERT INTO decisions (search_id, sample_idx, step, "
                        "cell, block, field, chosen, chosen_label, probs) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                     &st, err)))
        return store_rollback(s, r);
    /* bound SQLITE_STATIC (see bind_text_or_null): rewritten only after
     * the reset that ends the previous row's use of it */
    char probs[GENO_MAX_SUPPORT * 18 + 4];
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int cell, block, field, support = geno_decision_support(t);
        const char *label = geno_decision_label(t, dec[t].chosen);
        geno_decision_locate(t, &cell, &block, &field);
        if (dec[t].chosen < 0 || dec[t].chosen >= support || !label) {
            sqlite3_finalize(st);
            return store_rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                            "decision %d: value %d outside "
                                            "its support (%d)",
                                            t, dec[t].chosen, support));
        }
        sqlite3_reset(st);
        probs_json(&dec[t], support, probs, sizeof probs);
        sqlite3_bind_int64(st, 1, search_id);
        sqlite3_bind_int(st, 2, sm->idx);
        sqlite3_bind_int(st, 3, t);
        sqlite3_bind_text(st, 4, geno_cell_name(cell), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, block);
        sqlite3_bind_text(st, 6, geno_field_name(field), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, dec[t].chosen);
        sqlite3_bind_text(st, 8, label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, probs, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            r = store_db_fail(s, err, "cannot add a decision");
            sqlite3_finalize(st);
            return store_rollback(s, r);
        }
    }
    sqlite3_finalize(st);
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

NvStatus store_progress_write(Store *s, int64_t search_id,
                              const StoreProgress *p, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)) ||
        (r = store_prepare(s, "INSERT INTO progress (search_id, sample_idx, epoch, "
                        "epochs, step, steps, loss, acc, images_per_s, "
                        "elapsed_s, eta_s, evaluating, epoch_end, time) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                        "?13, ?14)", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, p->sample_idx);
    sqlite3_bind_int(st, 3, p->epoch);
    sqlite3_bind_int(st, 4, p->epochs);
    sqlite3_bind_int64(st, 5, p->step);
    sqlite3_bind_int64(st, 6, p->steps);
    bind_real_or_null(st, 7, p->loss);
    bind_real_or_null(st, 8, p->acc);
    bind_real_or_null(st, 9, p->images_per_s);
    bind_real_or_null(st, 10, p->elapsed_s);
    bind_real_or_null(st, 11, p->eta_s);
    sqlite3_bind_int(st, 12, p->evaluating != 0);
    sqlite3_bind_int(st, 13, p->epoch_end != 0);
    sqlite3_bind_int64(st, 14, store_now());
    /* A single INSERT is its own short transaction. */
    return store_step_done(s, st, "cannot write progress", err);
}

static NvStatus save_state(Store *s, int64_t search_id, int after,
                           const uint8_t *state, size_t len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_prepare(s, "DELETE FROM strategy_state WHERE search_id = ?1",
                     &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    if ((r = store_step_done(s, st, "cannot replace the strategy state", err)))
        return r;
    if ((r = store_prepare(s, "INSERT INTO strategy_state (search_id, after_sample, "
                        "state, created) VALUES (?1, ?2, ?3, ?4)", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, after);
    sqlite3_bind_blob64(st, 3, state ? (const void *)state : "",
                        (sqlite3_uint64)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, store_now());
    return store_step_done(s, st, "cannot save the strategy state", err);
}

NvStatus store_sample_finish(Store *s, int64_t search_id,
                             const StoreSample *sm, const uint8_t *state,
                             size_t state_len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    int counts = store_sample_has_reward(sm->status);

    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s, "UPDATE samples SET status = ?3, reward = ?4, "
                        "train_loss = ?5, params = ?6, mult_adds = ?7, "
                        "seconds = ?8, duplicate_of = ?9, message = ?10, "
                        "finished = ?11 WHERE search_id = ?1 AND idx = ?2 "
                        "AND status = 'running'", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, sm->idx);
    sqlite3_bind_text(st, 3, store_sample_status_name(sm->status), -1,
                      SQLITE_STATIC);
    bind_real_or_null(st, 4, sm->reward);
    bind_real_or_null(st, 5, sm->train_loss);
    bind_int_or_null(st, 6, sm->params);
    bind_int_or_null(st, 7, sm->mult_adds);
    bind_real_or_null(st, 8, sm->seconds);
    bind_int_or_null(st, 9, sm->duplicate_of);
    bind_text_or_null(st, 10, sm->message);
    sqlite3_bind_int64(st, 11, now);
    if ((r = store_step_done(s, st, "cannot store the sample's result", err)))
        return store_rollback(s, r);
    if (sqlite3_changes(s->db) != 1)
        return store_rollback(s, nv_error_set(err, NV_ERR_DB,
                                        "%s: sample %d of search %lld is not "
                                        "running (was it started?)",
                                        s->path, sm->idx,
                                        (long long)search_id));
    if (state && (r = save_state(s, search_id, sm->idx, state, state_len, err)))
        return store_rollback(s, r);
    if ((r = store_prepare(s, "UPDATE searches SET updated = ?2, "
                        "samples_done = samples_done + ?3, "
                        "best_idx = CASE WHEN ?4 IS NOT NULL AND (best_reward "
                        "IS NULL OR ?4 > best_reward OR (?4 = best_reward AND "
                        "?5 < best_idx)) THEN ?5 ELSE best_idx "
                        "END, best_reward = CASE WHEN ?4 IS NOT NULL AND "
                        "(best_reward IS NULL OR ?4 > best_reward) THEN ?4 "
                        "ELSE best_reward END WHERE id = ?1", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, counts);
    if (counts)
        bind_real_or_null(st, 4, sm->reward);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, sm->idx);
    if ((r = store_step_done(s, st, "cannot update the search", err)))
        return store_rollback(s, r);
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

NvStatus store_sample_abort(Store *s, int64_t search_id, int idx,
                            SampleStatus status, const char *message,
                            NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)))
        return r;
    if (status != SAMPLE_INTERRUPTED && status != SAMPLE_FAILED)
        return nv_error_set(err, NV_ERR_USAGE,
                            "a sample is aborted as interrupted or failed");
    if ((r = store_prepare(s, "UPDATE samples SET status = ?3, message = ?4, "
                        "finished = ?5 WHERE search_id = ?1 AND idx = ?2 AND "
                        "status = 'running'", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    sqlite3_bind_text(st, 3, store_sample_status_name(status), -1,
                      SQLITE_STATIC);
    bind_text_or_null(st, 4, message);
    sqlite3_bind_int64(st, 5, store_now());
    return store_step_done(s, st, "cannot mark the sample", err);
}

NvStatus store_state_save(Store *s, int64_t search_id, int after_sample,
                          const uint8_t *state, size_t len, NvError *err)
{
    NvStatus r;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = save_state(s, search_id, after_sample, state, len, err)))
        return store_rollback(s, r);
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

NvStatus store_shared_save(Store *s, int64_t search_id, int rounds,
                           const uint8_t *state, size_t len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s, "INSERT OR REPLACE INTO shared_weights "
                              "(search_id, rounds, state, created) VALUES "
                              "(?1, ?2, ?3, ?4)", &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, rounds);
    sqlite3_bind_blob64(st, 3, state ? (const void *)state : "",
                        (sqlite3_uint64)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, store_now());
    if ((r = store_step_done(s, st, "cannot save the shared weights", err)))
        return store_rollback(s, r);
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_ws_panel_add(Store *s, int64_t search_id, const StoreWsPanel *p,
                         NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s, "INSERT OR REPLACE INTO panel (search_id, "
                              "sample_idx, pick, shared_reward, reward, "
                              "status, params, seconds, finished) VALUES "
                              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, p->sample_idx);
    sqlite3_bind_text(st, 3, p->top ? "top" : "random", -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, p->shared_reward);
    sqlite3_bind_double(st, 5, p->reward);
    sqlite3_bind_text(st, 6, p->status == SAMPLE_DIVERGED ? "diverged" : "done",
                      -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, p->params);
    sqlite3_bind_double(st, 8, p->seconds);
    sqlite3_bind_int64(st, 9, store_now());
    if ((r = store_step_done(s, st, "cannot save a panel result", err)))
        return store_rollback(s, r);
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}
