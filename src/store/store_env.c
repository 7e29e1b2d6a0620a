/* store_env.c - the search_env table (migration 009): the environment a
 * search was created in, written once when it is created and read by
 * show and compare.  See store.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "store/store_db.h"

NvStatus store_search_env_put(Store *s, int64_t id, const StoreEnv *e,
                              NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = store_need_write(s, err)))
        return r;
    if ((r = store_prepare(s,
                           "INSERT OR REPLACE INTO search_env (search_id, "
                           "version, revision, compiler, blas, cpu, cores, "
                           "workers, threads, load1, load5, load15, "
                           "recorded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                           "?8, ?9, ?10, ?11, ?12, ?13)",
                           &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, e->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->revision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->compiler, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->blas, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->cpu, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, e->cores);
    sqlite3_bind_int(st, 8, e->workers);
    sqlite3_bind_int(st, 9, e->threads);
    for (int i = 0; i < 3; i++) {
        if (isfinite(e->load[i]))
            sqlite3_bind_double(st, 10 + i, e->load[i]);
        else
            sqlite3_bind_null(st, 10 + i);
    }
    sqlite3_bind_int64(st, 13, store_now());
    return store_step_done(s, st, "cannot record the search's environment",
                           err);
}

NvStatus store_search_env_get(Store *s, int64_t id, StoreEnv *e,
                              NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r = NV_OK;
    int rc;
    memset(e, 0, sizeof *e);
    if ((r = store_prepare(s,
                           "SELECT version, revision, compiler, blas, cpu, "
                           "cores, workers, threads, load1, load5, load15 "
                           "FROM search_env WHERE search_id = ?1",
                           &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, e->version, sizeof e->version);
        store_col_text(st, 1, e->revision, sizeof e->revision);
        store_col_text(st, 2, e->compiler, sizeof e->compiler);
        store_col_text(st, 3, e->blas, sizeof e->blas);
        store_col_text(st, 4, e->cpu, sizeof e->cpu);
        e->cores = store_col_bounded(st, 5, 0, 1 << 20, 0);
        e->workers = store_col_bounded(st, 6, 0, 1 << 20, 0);
        e->threads = store_col_bounded(st, 7, 0, 1 << 20, 0);
        for (int i = 0; i < 3; i++)
            e->load[i] = store_col_real(st, 8 + i);
    } else if (rc == SQLITE_DONE)
        r = nv_error_set(err, NV_ERR_NOT_FOUND,
                         "%s: search %lld has no recorded environment "
                         "(made before schema version 9)",
                         s->path, (long long)id);
    else
        r = store_db_fail(s, err, "cannot read the search's environment");
    sqlite3_finalize(st);
    return r;
}
