/* store_db.c - the SQL helpers every file of the store shares (store_db.h):
 * errors, column readers, the row reader, transactions, statements. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_db.h"

NvStatus store_db_fail(const Store *s, NvError *err, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    if (code == SQLITE_NOMEM)
        return nv_error_set(err, NV_ERR_NOMEM, "%s: %s: out of memory",
                            s->path, what);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return nv_error_set(err, NV_ERR_DB,
                            "%s: %s: the database stayed locked by another "
                            "process for %d s (%s)",
                            s->path, what, STORE_BUSY_TIMEOUT_MS / 1000,
                            sqlite3_errmsg(s->db));
    return nv_error_set(err, NV_ERR_DB, "%s: %s: %s", s->path, what,
                        sqlite3_errmsg(s->db));
}

NvStatus store_read_rows(Store *s, sqlite3_stmt *st, size_t size,
                         StoreRowFn fn, void *ctx, void **out, size_t *n,
                         const char *what, NvError *err)
{
    unsigned char *rows = NULL;
    size_t cap = 0, len = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            unsigned char *nr = realloc(rows, ncap * size);
            if (!nr) {
                sqlite3_finalize(st);
                free(rows);
                return nv_error_set(err, NV_ERR_NOMEM, "%s: %s: out of memory",
                                    s->path, what);
            }
            rows = nr;
            cap = ncap;
        }
        memset(rows + len * size, 0, size);
        fn(ctx, st, rows + len++ * size);
    }
    NvStatus r = rc == SQLITE_DONE ? NV_OK : store_db_fail(s, err, what);
    sqlite3_finalize(st);
    if (r != NV_OK) {
        free(rows);
        return r;
    }
    *out = rows;
    *n = len;
    return NV_OK;
}

void store_col_text(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

double store_col_real(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(st, i);
}

int64_t store_col_int(sqlite3_stmt *st, int i, int64_t dflt)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return dflt;
    return sqlite3_column_int64(st, i);
}

int store_col_bounded(sqlite3_stmt *st, int i, int lo, int hi, int dflt)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return dflt;
    int64_t v = sqlite3_column_int64(st, i);
    return v < lo ? lo : v > hi ? hi : (int)v;
}

int64_t store_now(void)
{
    return (int64_t)time(NULL);
}

NvStatus store_need_write(const Store *s, NvError *err)
{
    if (s->mode != STORE_WRITE)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: opened read-only; cannot write", s->path);
    return NV_OK;
}

NvStatus store_exec(Store *s, const char *sql, const char *what,
                    NvError *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_db_fail(s, err, what);
    return NV_OK;
}

NvStatus store_begin(Store *s, NvError *err)
{
    return store_exec(s, "BEGIN IMMEDIATE", "cannot start a write", err);
}

NvStatus store_commit(Store *s, NvError *err)
{
    return store_exec(s, "COMMIT", "cannot commit", err);
}

NvStatus store_rollback(Store *s, NvStatus st)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

NvStatus store_prepare(Store *s, const char *sql, sqlite3_stmt **st,
                       NvError *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot prepare a statement");
    return NV_OK;
}

NvStatus store_step_done(Store *s, sqlite3_stmt *st, const char *what,
                         NvError *err)
{
    int rc = sqlite3_step(st);
    NvStatus r = NV_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        r = store_db_fail(s, err, what);
    sqlite3_finalize(st);
    return r;
}

