/* store_db.h - what store.c (opening, schema, writes) and store_query.c
 * (reads) share.  Private to the store module: the only header that
 * includes sqlite3.h; nothing outside store*.c includes it. */
#ifndef NASVIEW_STORE_DB_H
#define NASVIEW_STORE_DB_H

#include <sqlite3.h>

#include "store.h"

struct Store {
    sqlite3 *db;     /* the one connection, owned */
    StoreMode mode;
    char *path;      /* owned copy */
    char host[STORE_NAME_MAX]; /* this machine's host name */
};

/* store_db_fail - fill err with NV_ERR_DB: "PATH: what: sqlite message".
 * Returns NV_ERR_DB. */
NvStatus store_db_fail(const Store *s, NvError *err, const char *what);

/* store_pid_alive - whether process pid exists on this machine. */
int store_pid_alive(int64_t pid);

/* store_col_text - column i of st as text into buf (size n); "" for NULL. */
void store_col_text(sqlite3_stmt *st, int i, char *buf, size_t n);

/* store_col_real - column i as double, NaN for NULL. */
double store_col_real(sqlite3_stmt *st, int i);

/* store_col_int - column i as int64, dflt for NULL. */
int64_t store_col_int(sqlite3_stmt *st, int i, int64_t dflt);

#endif
