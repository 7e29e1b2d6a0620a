/* store_db.h - what store.c (opening, schema), store_write.c (writes) and
 * store_query.c (reads) share.  Private to the store module: the only header that
 * includes sqlite3.h; nothing outside store*.c includes it. */
#ifndef NASVIEW_STORE_DB_H
#define NASVIEW_STORE_DB_H

#include <sqlite3.h>

#include "store/store.h"

struct Store {
    sqlite3 *db;     /* the one connection, owned */
    StoreMode mode;
    char *path;      /* owned copy */
    char host[STORE_NAME_MAX]; /* this machine's host name */
};

/* store_db_fail - fill err with NV_ERR_DB: "PATH: what: sqlite message",
 * or NV_ERR_NOMEM ("PATH: what: out of memory") when SQLite ran out of
 * memory.  Returns that status. */
NvStatus store_db_fail(const Store *s, NvError *err, const char *what);

/* StoreRowFn - read the current row of st into row (one element of the
 * array store_read_rows grows); ctx is store_read_rows's. */
typedef void (*StoreRowFn)(void *ctx, sqlite3_stmt *st, void *row);

/* store_read_rows - step the prepared and bound st to its end, reading
 * each row with fn into a growing array of elements of size bytes (zeroed
 * before fn), and finalize st.  NV_OK with *out (malloc'ed; NULL when no
 * row) and *n; on failure nothing is returned and err says "what" failed
 * (NV_ERR_NOMEM, or store_db_fail's NV_ERR_DB). */
NvStatus store_read_rows(Store *s, sqlite3_stmt *st, size_t size,
                         StoreRowFn fn, void *ctx, void **out, size_t *n,
                         const char *what, NvError *err);

/* store_now - the time as unix seconds. */
int64_t store_now(void);

/* store_need_write - NV_ERR_USAGE unless s was opened STORE_WRITE. */
NvStatus store_need_write(const Store *s, NvError *err);

/* store_exec - run sql (no rows); NV_ERR_DB "PATH: what: ..." on failure. */
NvStatus store_exec(Store *s, const char *sql, const char *what, NvError *err);

/* store_begin / store_commit - BEGIN IMMEDIATE (waits for other writers up
 * to the busy timeout) and COMMIT. */
NvStatus store_begin(Store *s, NvError *err);
NvStatus store_commit(Store *s, NvError *err);

/* store_rollback - end the open transaction, if any; returns st so a
 * failure path reads `return store_rollback(s, r);`. */
NvStatus store_rollback(Store *s, NvStatus st);

/* store_prepare - compile sql into *st (owned by the caller:
 * sqlite3_finalize). */
NvStatus store_prepare(Store *s, const char *sql, sqlite3_stmt **st,
                       NvError *err);

/* store_step_done - run st (a statement without rows) and finalize it. */
NvStatus store_step_done(Store *s, sqlite3_stmt *st, const char *what,
                         NvError *err);


/* store_col_text - column i of st as text into buf (size n); "" for NULL. */
void store_col_text(sqlite3_stmt *st, int i, char *buf, size_t n);

/* store_col_real - column i as double, NaN for NULL. */
double store_col_real(sqlite3_stmt *st, int i);

/* store_col_int - column i as int64, dflt for NULL. */
int64_t store_col_int(sqlite3_stmt *st, int i, int64_t dflt);

/* store_col_bounded - column i as an int within [lo, hi] (clamped), dflt
 * for NULL.  For every count and index read from a file: a crafted
 * database cannot make later arithmetic (idx + 1, budget - done) overflow. */
int store_col_bounded(sqlite3_stmt *st, int i, int lo, int hi, int dflt);

#endif
