/* store_fidelity.c - fidelity panels: reading and appending panels,
 * members, levels and results (see store_fidelity.h for the contract and
 * the invariants). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_db.h"
#include "store/store_fidelity.h"

#define PANEL_COLUMNS "id, name, seed, created, updated, version"

static void read_panel(sqlite3_stmt *st, StorePanel *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, p->name, sizeof p->name);
    p->seed = (uint64_t)sqlite3_column_int64(st, 2);
    p->created = store_col_int(st, 3, 0);
    p->updated = store_col_int(st, 4, 0);
    store_col_text(st, 5, p->version, sizeof p->version);
}

NvStatus store_panel_find(Store *s, const char *name, StorePanel *out,
                          NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_prepare(s,
                           "SELECT " PANEL_COLUMNS
                           " FROM fidelity_panels WHERE name = ?1",
                           &st, err)))
        return r;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_panel(st, out);
    else if (rc == SQLITE_DONE)
        r = nv_error_set(err, NV_ERR_NOT_FOUND, "%s: no fidelity panel named "
                                                "'%s'",
                         s->path, name);
    else
        r = store_db_fail(s, err, "cannot read fidelity panels");
    sqlite3_finalize(st);
    return r;
}

/* Rows of one query: fn reads a row into the slot; sz is the row size. */
typedef void (*RowFn)(sqlite3_stmt *st, void *row);

static void row_of(void *ctx, sqlite3_stmt *st, void *row)
{
    RowFn fn = *(const RowFn *)ctx;
    fn(st, row);
}

static NvStatus read_rows(Store *s, const char *sql, int64_t id, size_t sz,
                          RowFn fn, void **out, size_t *n, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;

    *out = NULL;
    *n = 0;
    if ((r = store_prepare(s, sql, &st, err)))
        return r;
    if (id >= 0)
        sqlite3_bind_int64(st, 1, id);
    return store_read_rows(s, st, sz, row_of, &fn, out, n,
                           "cannot read a fidelity panel", err);
}

static void row_panel(sqlite3_stmt *st, void *row)
{
    read_panel(st, row);
}

NvStatus store_panel_list(Store *s, StorePanel **out, size_t *n,
                          NvError *err)
{
    return read_rows(s,
                     "SELECT " PANEL_COLUMNS
                     " FROM fidelity_panels ORDER BY id",
                     -1, sizeof **out, row_panel, (void **)out, n, err);
}

static void row_member(sqlite3_stmt *st, void *row)
{
    StorePanelMember *m = row;
    memset(m, 0, sizeof *m);
    m->idx = sqlite3_column_int(st, 0);
    store_col_text(st, 1, m->source, sizeof m->source);
    store_col_text(st, 2, m->genotype, sizeof m->genotype);
    store_col_text(st, 3, m->hash, sizeof m->hash);
}

NvStatus store_panel_members(Store *s, int64_t id, StorePanelMember **out,
                             size_t *n, NvError *err)
{
    return read_rows(s,
                     "SELECT idx, source, genotype, hash FROM fidelity_members "
                     "WHERE panel_id = ?1 ORDER BY idx",
                     id, sizeof **out, row_member, (void **)out, n, err);
}

static void row_level(sqlite3_stmt *st, void *row)
{
    StorePanelLevel *l = row;
    memset(l, 0, sizeof *l);
    l->idx = sqlite3_column_int(st, 0);
    store_col_text(st, 1, l->name, sizeof l->name);
    store_col_text(st, 2, l->score, sizeof l->score);
    store_col_text(st, 3, l->spec, sizeof l->spec);
}

NvStatus store_panel_levels(Store *s, int64_t id, StorePanelLevel **out,
                            size_t *n, NvError *err)
{
    return read_rows(s,
                     "SELECT idx, name, score, spec FROM fidelity_levels "
                     "WHERE panel_id = ?1 ORDER BY idx",
                     id, sizeof **out, row_level, (void **)out, n, err);
}

static void row_result(sqlite3_stmt *st, void *row)
{
    StorePanelResult *r = row;
    memset(r, 0, sizeof *r);
    r->member_idx = sqlite3_column_int(st, 0);
    r->level_idx = sqlite3_column_int(st, 1);
    store_col_text(st, 2, r->status, sizeof r->status);
    r->score = store_col_real(st, 3);
    r->seconds = store_col_real(st, 4);
    r->params = store_col_int(st, 5, -1);
    r->mult_adds = store_col_int(st, 6, -1);
    store_col_text(st, 7, r->message, sizeof r->message);
}

NvStatus store_panel_results(Store *s, int64_t id, StorePanelResult **out,
                             size_t *n, NvError *err)
{
    return read_rows(s,
                     "SELECT member_idx, level_idx, status, score, seconds, "
                     "params, mult_adds, message FROM fidelity_results "
                     "WHERE panel_id = ?1 ORDER BY member_idx, level_idx",
                     id, sizeof **out, row_result, (void **)out, n, err);
}

NvStatus store_panel_create(Store *s, const char *name, uint64_t seed,
                            int64_t *id, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    if ((r = store_name_check(name, err)) || (r = store_need_write(s, err)))
        return r;
    if ((r = store_prepare(s,
                           "INSERT INTO fidelity_panels (name, seed, created, "
                           "updated, version) VALUES (?1, ?2, ?3, ?3, ?4)",
                           &st, err)))
        return r;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)seed);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, PACKAGE_VERSION, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: a fidelity panel named '%s' exists already",
                            s->path, name);
    if (rc != SQLITE_DONE)
        return store_db_fail(s, err, "cannot add the fidelity panel");
    *id = sqlite3_last_insert_rowid(s->db);
    return NV_OK;
}

/* next_idx - the count of rows of panel id in table (a constant name). */
static NvStatus next_idx(Store *s, const char *table, int64_t id, int *idx,
                         NvError *err)
{
    char sql[128];
    sqlite3_stmt *st;
    NvStatus r;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE panel_id = ?1",
             table);
    if ((r = store_prepare(s, sql, &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *idx = sqlite3_column_int(st, 0);
    else
        r = store_db_fail(s, err, "cannot count a panel's rows");
    sqlite3_finalize(st);
    return r;
}

NvStatus store_panel_add_member(Store *s, int64_t id,
                                const StorePanelMember *in, int *idx,
                                NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int at = 0;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = next_idx(s, "fidelity_members", id, &at, err)) ||
        (r = store_prepare(s,
                           "INSERT INTO fidelity_members (panel_id, idx, "
                           "source, genotype, hash) VALUES (?1, ?2, ?3, ?4, "
                           "?5)",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, at);
    sqlite3_bind_text(st, 3, in->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, in->genotype, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, in->hash, -1, SQLITE_STATIC);
    if ((r = store_step_done(s, st, "cannot add a panel member", err)))
        return store_rollback(s, r);
    if (idx)
        *idx = at;
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_panel_add_level(Store *s, int64_t id,
                               const StorePanelLevel *in, int *idx,
                               NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int at = 0;
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = next_idx(s, "fidelity_levels", id, &at, err)) ||
        (r = store_prepare(s,
                           "INSERT INTO fidelity_levels (panel_id, idx, name, "
                           "score, spec) VALUES (?1, ?2, ?3, ?4, ?5)",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, at);
    sqlite3_bind_text(st, 3, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, in->score, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, in->spec, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return store_rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                              "%s: the panel has a fidelity "
                                              "named '%s' already",
                                              s->path, in->name));
    if (rc != SQLITE_DONE)
        return store_rollback(s, store_db_fail(s, err, "cannot add a "
                                                       "fidelity"));
    if (idx)
        *idx = at;
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_panel_put_result(Store *s, int64_t id,
                                const StorePanelResult *in, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = store_now();
    if ((r = store_need_write(s, err)) || (r = store_begin(s, err)))
        return r;
    if ((r = store_prepare(s,
                           "INSERT OR REPLACE INTO fidelity_results (panel_id, "
                           "member_idx, level_idx, status, score, seconds, "
                           "params, mult_adds, message, finished) VALUES (?1, "
                           "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, in->member_idx);
    sqlite3_bind_int(st, 3, in->level_idx);
    sqlite3_bind_text(st, 4, in->status, -1, SQLITE_STATIC);
    if (!isnan(in->score))
        sqlite3_bind_double(st, 5, in->score);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_double(st, 6, isfinite(in->seconds) ? in->seconds : 0.0);
    if (in->params >= 0)
        sqlite3_bind_int64(st, 7, in->params);
    else
        sqlite3_bind_null(st, 7);
    if (in->mult_adds >= 0)
        sqlite3_bind_int64(st, 8, in->mult_adds);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 9, in->message, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, now);
    if ((r = store_step_done(s, st, "cannot write a panel result", err)))
        return store_rollback(s, r);
    if ((r = store_prepare(s,
                           "UPDATE fidelity_panels SET updated = ?2 WHERE id "
                           "= ?1",
                           &st, err)))
        return store_rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    if ((r = store_step_done(s, st, "cannot write a panel result", err)))
        return store_rollback(s, r);
    return store_commit(s, err) ? store_rollback(s, NV_ERR_DB) : NV_OK;
}
