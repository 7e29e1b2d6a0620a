/* store.c - opening the nasview database (inspection, schema creation,
 * migrations, stale searches) and every write.  Reads live in
 * store_query.c.  See store.h for the contract and the invariants.
 *
 * Opening, step by step (invariant 1 and 2 of store.h):
 *  1. An existing file is first opened SQLITE_OPEN_READONLY and inspected:
 *     application_id, user_version, the tables in sqlite_schema and
 *     PRAGMA quick_check.  Only an empty file (no tables, both pragmas 0)
 *     or a nasview database no newer than STORE_SCHEMA_VERSION passes.
 *  2. Missing schema (empty or new file) or missing migrations are applied
 *     in one BEGIN IMMEDIATE transaction that re-reads the version first,
 *     so two processes racing to create or upgrade the same file do the
 *     work once.
 *  3. Then the connection the caller gets is opened (read-only or
 *     read-write) and configured.
 *
 * Writes: every write function is one short BEGIN IMMEDIATE transaction
 * (invariant 4); nothing keeps a transaction open between calls. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_db.h"
#include "store_sql.h"

/* ---- small helpers ------------------------------------------------------ */

NvStatus store_db_fail(const Store *s, NvError *err, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return nv_error_set(err, NV_ERR_DB,
                            "%s: %s: the database stayed locked by another "
                            "process for %d s (%s)",
                            s->path, what, STORE_BUSY_TIMEOUT_MS / 1000,
                            sqlite3_errmsg(s->db));
    return nv_error_set(err, NV_ERR_DB, "%s: %s: %s", s->path, what,
                        sqlite3_errmsg(s->db));
}

int store_pid_alive(int64_t pid)
{
    if (pid <= 0)
        return 0;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
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

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static NvStatus need_write(const Store *s, NvError *err)
{
    if (s->mode != STORE_WRITE)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: opened read-only; cannot write", s->path);
    return NV_OK;
}

static NvStatus exec(Store *s, const char *sql, const char *what,
                     NvError *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_db_fail(s, err, what);
    return NV_OK;
}

static NvStatus begin(Store *s, NvError *err)
{
    return exec(s, "BEGIN IMMEDIATE", "cannot start a write", err);
}

static NvStatus commit(Store *s, NvError *err)
{
    return exec(s, "COMMIT", "cannot commit", err);
}

/* rollback - end a failed transaction; keeps the first error in err. */
static NvStatus rollback(Store *s, NvStatus st)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

static NvStatus prepare(Store *s, const char *sql, sqlite3_stmt **st,
                        NvError *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_db_fail(s, err, "cannot prepare a statement");
    return NV_OK;
}

/* step_done - run a statement that returns no rows, then finalize it. */
static NvStatus step_done(Store *s, sqlite3_stmt *st, const char *what,
                          NvError *err)
{
    int rc = sqlite3_step(st);
    NvStatus r = NV_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        r = store_db_fail(s, err, what);
    sqlite3_finalize(st);
    return r;
}

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

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *t)
{
    if (t && t[0])
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

const char *store_search_status_name(SearchStatus st)
{
    static const char *const names[] = { "running",     "paused", "done",
                                         "interrupted", "failed", "stale" };
    return (unsigned)st < 6 ? names[st] : "unknown";
}

const char *store_sample_status_name(SampleStatus st)
{
    static const char *const names[] = { "running",   "done",
                                         "diverged",  "duplicate",
                                         "interrupted", "failed" };
    return (unsigned)st < 6 ? names[st] : "unknown";
}

/* ---- inspection (read-only) ---------------------------------------------- */

typedef struct {
    int version;  /* PRAGMA user_version */
    int app_id;   /* PRAGMA application_id */
    int tables;   /* rows in sqlite_schema */
    char first_tables[160]; /* a few table names, for messages */
} FileInfo;

static int query_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* read_info - the pragmas and tables that tell what a file is; returns an
 * SQLite result code (SQLITE_NOTADB for a file that is not SQLite). */
static int read_info(sqlite3 *db, FileInfo *fi)
{
    sqlite3_stmt *st;
    int rc;
    memset(fi, 0, sizeof *fi);
    if ((rc = query_int(db, "PRAGMA application_id", &fi->app_id)) ||
        (rc = query_int(db, "PRAGMA user_version", &fi->version)) ||
        (rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &fi->tables)))
        return rc;
    rc = sqlite3_prepare_v2(db,
                            "SELECT name FROM sqlite_schema WHERE type = "
                            "'table' ORDER BY name LIMIT 4",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len = strlen(fi->first_tables);
        snprintf(fi->first_tables + len, sizeof fi->first_tables - len, "%s%s",
                 len ? ", " : "", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* classify - refuse what invariant 1 refuses; NV_OK for empty or ours. */
static NvStatus classify(const char *path, const FileInfo *fi, NvError *err)
{
    if (fi->app_id == 0 && fi->version == 0 && fi->tables == 0)
        return NV_OK;
    if (fi->app_id != STORE_APPLICATION_ID)
        return nv_error_set(err, NV_ERR_DB,
                            "%s is an SQLite database of another program "
                            "(tables: %s); nasview will not touch it: name "
                            "another file with --db",
                            path, fi->first_tables[0] ? fi->first_tables : "none");
    if (fi->version > STORE_SCHEMA_VERSION)
        return nv_error_set(err, NV_ERR_DB,
                            "%s has schema version %d, newer than this "
                            "nasview %s understands (%d): use a newer nasview; "
                            "the file was not changed",
                            path, fi->version, PACKAGE_VERSION,
                            STORE_SCHEMA_VERSION);
    if (fi->version < 1)
        return nv_error_set(err, NV_ERR_DB,
                            "%s is marked as a nasview database but has no "
                            "schema version: damaged? It was not changed",
                            path);
    return NV_OK;
}

static NvStatus damaged(const char *path, const char *why, NvError *err)
{
    return nv_error_set(err, NV_ERR_DB,
                        "%s is damaged (%s); it was not changed: restore a "
                        "copy, or try 'sqlite3 %s .recover'",
                        path, why, path);
}

/* inspect - open path read-only and check it (step 1).  *fi is filled. */
static NvStatus inspect(const char *path, FileInfo *fi, NvError *err)
{
    sqlite3 *db = NULL;
    NvStatus r = NV_OK;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        r = nv_error_set(err, NV_ERR_IO, "cannot open %s: %s", path,
                         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return r;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    /* One read transaction: every pragma and table from one snapshot, even
     * while another process creates the schema. */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    rc = read_info(db, fi);
    if ((rc & 0xff) == SQLITE_NOTADB) {
        r = nv_error_set(err, NV_ERR_DB,
                         "%s is not an SQLite database (nor a nasview one); "
                         "it was not changed: name another file with --db",
                         path);
    } else if ((rc & 0xff) == SQLITE_CORRUPT) {
        r = damaged(path, sqlite3_errmsg(db), err);
    } else if (rc != SQLITE_OK) {
        r = nv_error_set(err, NV_ERR_DB, "cannot read %s: %s", path,
                         sqlite3_errmsg(db));
    } else if ((r = classify(path, fi, err)) == NV_OK && fi->tables > 0) {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *res = (const char *)sqlite3_column_text(st, 0);
            if (!res || strcmp(res, "ok") != 0)
                r = damaged(path, res ? res : "quick_check failed", err);
        } else {
            r = damaged(path, sqlite3_errmsg(db), err);
        }
        sqlite3_finalize(st);
    }
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return r;
}

/* ---- schema (step 2) ------------------------------------------------------ */

/* migrate - in one transaction, bring the file to STORE_SCHEMA_VERSION
 * (s->db must be a read-write connection). */
static NvStatus migrate(Store *s, NvError *err)
{
    FileInfo fi;
    NvStatus r;
    int rc;

    for (int i = 1; i < store_sql_count; i++)
        if (store_sql_scripts[i].version <= store_sql_scripts[i - 1].version)
            return nv_error_set(err, NV_ERR_RUNTIME,
                                "built-in migrations out of order at %s",
                                store_sql_scripts[i].name);
    if ((r = begin(s, err)))
        return r;
    rc = read_info(s->db, &fi);
    if (rc != SQLITE_OK)
        return rollback(s, store_db_fail(s, err, "cannot read the schema"));
    if ((r = classify(s->path, &fi, err)))
        return rollback(s, r);
    for (int i = 0; i < store_sql_count; i++) {
        const StoreSqlScript *sc = &store_sql_scripts[i];
        char what[96], pragma[64];
        if (sc->version <= fi.version)
            continue;
        snprintf(what, sizeof what, "applying %s", sc->name);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
                 sc->version);
        if ((r = exec(s, sc->sql, what, err)) ||
            (r = exec(s, pragma, what, err)))
            return rollback(s, r);
    }
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}

/* ---- stale searches (invariant 5) ----------------------------------------- */

static NvStatus mark_stale(Store *s, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t ids[64], pids[64];
    int n = 0;

    if ((r = prepare(s,
                     "SELECT id, pid FROM searches WHERE status IN "
                     "('running', 'paused') AND host = ?1",
                     &st, err)))
        return r;
    sqlite3_bind_text(st, 1, s->host, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
        int64_t pid = store_col_int(st, 1, 0);
        if (!store_pid_alive(pid)) {
            ids[n] = sqlite3_column_int64(st, 0);
            pids[n++] = pid;
        }
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        char msg[STORE_NAME_MAX + 128];
        snprintf(msg, sizeof msg,
                 "its process %lld on %s vanished (killed or crashed); "
                 "resume it with --resume",
                 (long long)pids[i], s->host);
        if ((r = store_search_set_status(s, ids[i], SEARCH_INTERRUPTED, msg,
                                         err)))
            return r;
    }
    return NV_OK;
}

/* ---- open / close --------------------------------------------------------- */

static NvStatus open_conn(Store *s, int flags, NvError *err)
{
    int rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        NvStatus r = nv_error_set(err, NV_ERR_IO, "cannot open %s: %s",
                                  s->path,
                                  s->db ? sqlite3_errmsg(s->db)
                                        : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        s->db = NULL;
        return r;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    return NV_OK;
}

/* use_wal - switch the file to WAL mode (persistent) unless it is in it.
 * The switch needs the file to itself and SQLite does not wait for that
 * with the busy timeout, so two processes creating one file at the same
 * moment retry here for up to STORE_BUSY_TIMEOUT_MS. */
static NvStatus use_wal(Store *s, NvError *err)
{
    for (int waited = 0;; waited += 20) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
                                    &st, NULL);
        const unsigned char *mode = NULL;
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
            mode = sqlite3_column_text(st, 0);
        int ok = mode && strcmp((const char *)mode, "wal") == 0;
        sqlite3_finalize(st);
        if (ok)
            return NV_OK;
        if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED &&
             rc != SQLITE_ROW) ||
            waited >= STORE_BUSY_TIMEOUT_MS)
            return store_db_fail(s, err, "cannot switch to WAL mode");
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
}

/* upgrade - steps 2 for a file that exists or is to be created, through a
 * writing connection (s->db afterwards, still open). */
static NvStatus open_writer(Store *s, NvError *err)
{
    NvStatus r;
    if ((r = open_conn(s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err)))
        return r;
    if ((r = use_wal(s, err)) ||
        (r = exec(s, "PRAGMA synchronous = NORMAL", "cannot set synchronous",
                  err)) ||
        (r = exec(s, "PRAGMA foreign_keys = ON", "cannot enable foreign keys",
                  err)))
        return r;
    return migrate(s, err);
}

NvStatus store_open(const char *path, StoreMode mode, Store **out,
                    NvError *err)
{
    struct stat sb;
    FileInfo fi;
    NvStatus r;
    Store *s;

    *out = NULL;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return nv_error_set(err, NV_ERR_IO, "cannot open %s: %s", path,
                                strerror(errno));
        if (mode == STORE_READ)
            return nv_error_set(err, NV_ERR_NOT_FOUND,
                                "no database at %s: start a search first "
                                "('nasview search') or name one with --db",
                                path);
        memset(&fi, 0, sizeof fi);
    } else if (S_ISDIR(sb.st_mode)) {
        return nv_error_set(err, NV_ERR_IO, "%s is a directory, not a database",
                            path);
    } else if ((r = inspect(path, &fi, err))) {
        return r;
    }

    s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory opening %s",
                            path);
    }
    s->mode = mode;
    if (gethostname(s->host, sizeof s->host) != 0)
        snprintf(s->host, sizeof s->host, "localhost");
    s->host[sizeof s->host - 1] = '\0';

    if (mode == STORE_WRITE) {
        if ((r = open_writer(s, err)) || (r = mark_stale(s, err)))
            goto fail;
    } else {
        if (fi.tables == 0)
            r = nv_error_set(err, NV_ERR_NOT_FOUND,
                             "%s holds no searches yet (empty file)", path);
        else if (fi.version < STORE_SCHEMA_VERSION) {
            /* One-time upgrade through a short-lived writer (store.h). */
            if ((r = open_writer(s, err)))
                nv_error_prefix(err, "cannot upgrade the schema from "
                                     "version %d", fi.version);
            sqlite3_close(s->db);
            s->db = NULL;
        }
        if (r || (r = open_conn(s, SQLITE_OPEN_READONLY, err)))
            goto fail;
    }
    *out = s;
    return NV_OK;
fail:
    store_close(s);
    return r;
}

void store_close(Store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

const char *store_path(const Store *s)
{
    return s->path;
}

NvStatus store_changes(Store *s, uint64_t *counter, NvError *err)
{
    int dv = 0;
    if (query_int(s->db, "PRAGMA data_version", &dv) != SQLITE_OK)
        return store_db_fail(s, err, "cannot poll for changes");
    *counter = ((uint64_t)(uint32_t)dv << 32) ^
               (uint64_t)sqlite3_total_changes64(s->db);
    return NV_OK;
}

/* ---- writes --------------------------------------------------------------- */

NvStatus store_search_create(Store *s, const StoreSearch *in, int64_t *id,
                             NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = now_s();
    int rc;

    if ((r = need_write(s, err)) || (r = begin(s, err)))
        return r;
    if ((r = prepare(s,
                     "INSERT INTO searches (name, strategy, seed, budget, "
                     "dataset, F, N, epochs, train_size, val_size, batch, lr, "
                     "threads, retrain_duplicates, settings, status, pid, "
                     "host, created, updated, version) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                     "'running', ?16, ?17, ?18, ?18, ?19)",
                     &st, err)))
        return rollback(s, r);
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
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                        "%s: a search named '%s' exists "
                                        "already: choose another --name, or "
                                        "--resume it",
                                        s->path, in->name));
    if (rc != SQLITE_DONE)
        return rollback(s, store_db_fail(s, err, "cannot add the search"));
    *id = sqlite3_last_insert_rowid(s->db);
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_search_claim(Store *s, int64_t id, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    char status[16] = "", host[STORE_NAME_MAX] = "", name[STORE_NAME_MAX] = "";
    int64_t pid = 0;

    if ((r = need_write(s, err)) || (r = begin(s, err)))
        return r;
    if ((r = prepare(s, "SELECT status, pid, host, name FROM searches "
                        "WHERE id = ?1", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        store_col_text(st, 0, status, sizeof status);
        pid = store_col_int(st, 1, 0);
        store_col_text(st, 2, host, sizeof host);
        store_col_text(st, 3, name, sizeof name);
    }
    sqlite3_finalize(st);
    if (!status[0])
        return rollback(s, nv_error_set(err, NV_ERR_NOT_FOUND,
                                        "%s: no search with id %lld", s->path,
                                        (long long)id));
    if (strcmp(status, "done") == 0)
        return rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                        "search '%s' is done already: "
                                        "nothing to resume",
                                        name));
    if ((strcmp(status, "running") == 0 || strcmp(status, "paused") == 0) &&
        (strcmp(host, s->host) != 0 || store_pid_alive(pid)))
        return rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                        "search '%s' is %s in process %lld on "
                                        "%s: stop it first",
                                        name, status, (long long)pid, host));
    if ((r = prepare(s, "UPDATE searches SET status = 'running', pid = ?2, "
                        "host = ?3, updated = ?4, finished = NULL, "
                        "message = NULL WHERE id = ?1", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)getpid());
    sqlite3_bind_text(st, 3, s->host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_s());
    if ((r = step_done(s, st, "cannot claim the search", err)))
        return rollback(s, r);
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_search_set_status(Store *s, int64_t id, SearchStatus status,
                                 const char *message, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = now_s();
    int ends = status == SEARCH_DONE || status == SEARCH_INTERRUPTED ||
               status == SEARCH_FAILED;

    if ((r = need_write(s, err)))
        return r;
    if (status == SEARCH_STALE)
        return nv_error_set(err, NV_ERR_USAGE, "stale is never stored");
    if ((r = begin(s, err)))
        return r;
    if ((r = prepare(s, "UPDATE searches SET status = ?2, updated = ?3, "
                        "finished = CASE WHEN ?4 THEN ?3 ELSE NULL END, "
                        "message = CASE WHEN ?5 THEN ?6 ELSE message END "
                        "WHERE id = ?1", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, store_search_status_name(status), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, ends);
    sqlite3_bind_int(st, 5, message != NULL);
    bind_text_or_null(st, 6, message);
    if ((r = step_done(s, st, "cannot set the search's status", err)))
        return rollback(s, r);
    if (status == SEARCH_INTERRUPTED || status == SEARCH_FAILED) {
        if ((r = prepare(s, "UPDATE samples SET status = ?2, finished = ?3, "
                            "message = ?4 WHERE search_id = ?1 AND "
                            "status = 'running'", &st, err)))
            return rollback(s, r);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, status == SEARCH_FAILED ? "failed"
                                                          : "interrupted",
                          -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        bind_text_or_null(st, 4, message);
        if ((r = step_done(s, st, "cannot mark the running sample", err)))
            return rollback(s, r);
    }
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
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
    int64_t now = now_s();
    int rc, busy = 0;

    if ((r = need_write(s, err)) || (r = begin(s, err)))
        return r;
    /* An earlier attempt at this idx may be replaced only when it never
     * finished (invariant 3). */
    if ((r = prepare(s, "SELECT status FROM samples WHERE search_id = ?1 AND "
                        "idx = ?2", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, sm->idx);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 0);
        busy = old && strcmp(old, "interrupted") != 0 &&
               strcmp(old, "failed") != 0 && strcmp(old, "running") != 0;
    }
    sqlite3_finalize(st);
    if (busy)
        return rollback(s, nv_error_set(err, NV_ERR_DB,
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
        if ((r = prepare(s, clear[i], &st, err)))
            return rollback(s, r);
        sqlite3_bind_int64(st, 1, search_id);
        sqlite3_bind_int(st, 2, sm->idx);
        if ((r = step_done(s, st, "cannot replace an earlier attempt", err)))
            return rollback(s, r);
    }
    if ((r = prepare(s, "INSERT INTO samples (search_id, idx, genotype, hash, "
                        "status, log_prob, entropy, created) VALUES (?1, ?2, "
                        "?3, ?4, 'running', ?5, ?6, ?7)", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, sm->idx);
    sqlite3_bind_text(st, 3, sm->genotype, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sm->hash, -1, SQLITE_STATIC);
    bind_real_or_null(st, 5, sm->log_prob);
    bind_real_or_null(st, 6, sm->entropy);
    sqlite3_bind_int64(st, 7, now);
    if ((r = step_done(s, st, "cannot add the sample", err)))
        return rollback(s, r);

    if ((r = prepare(s, "INSERT INTO decisions (search_id, sample_idx, step, "
                        "cell, block, field, chosen, chosen_label, probs) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                     &st, err)))
        return rollback(s, r);
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int cell, block, field, support = geno_decision_support(t);
        char probs[GENO_MAX_SUPPORT * 18 + 4];
        const char *label = geno_decision_label(t, dec[t].chosen);
        geno_decision_locate(t, &cell, &block, &field);
        if (dec[t].chosen < 0 || dec[t].chosen >= support || !label) {
            sqlite3_finalize(st);
            return rollback(s, nv_error_set(err, NV_ERR_USAGE,
                                            "decision %d: value %d outside "
                                            "its support (%d)",
                                            t, dec[t].chosen, support));
        }
        probs_json(&dec[t], support, probs, sizeof probs);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, search_id);
        sqlite3_bind_int(st, 2, sm->idx);
        sqlite3_bind_int(st, 3, t);
        sqlite3_bind_text(st, 4, geno_cell_name(cell), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, block);
        sqlite3_bind_text(st, 6, geno_field_name(field), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, dec[t].chosen);
        sqlite3_bind_text(st, 8, label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, probs, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            r = store_db_fail(s, err, "cannot add a decision");
            sqlite3_finalize(st);
            return rollback(s, r);
        }
    }
    sqlite3_finalize(st);
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_progress_write(Store *s, int64_t search_id,
                              const StoreProgress *p, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = need_write(s, err)) ||
        (r = prepare(s, "INSERT INTO progress (search_id, sample_idx, epoch, "
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
    sqlite3_bind_int64(st, 14, now_s());
    /* A single INSERT is its own short transaction. */
    return step_done(s, st, "cannot write progress", err);
}

static NvStatus save_state(Store *s, int64_t search_id, int after,
                           const uint8_t *state, size_t len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = prepare(s, "DELETE FROM strategy_state WHERE search_id = ?1",
                     &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    if ((r = step_done(s, st, "cannot replace the strategy state", err)))
        return r;
    if ((r = prepare(s, "INSERT INTO strategy_state (search_id, after_sample, "
                        "state, created) VALUES (?1, ?2, ?3, ?4)", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, after);
    sqlite3_bind_blob64(st, 3, state ? (const void *)state : "",
                        (sqlite3_uint64)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_s());
    return step_done(s, st, "cannot save the strategy state", err);
}

NvStatus store_sample_finish(Store *s, int64_t search_id,
                             const StoreSample *sm, const uint8_t *state,
                             size_t state_len, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t now = now_s();
    int counts = sm->status == SAMPLE_DONE || sm->status == SAMPLE_DIVERGED ||
                 sm->status == SAMPLE_DUPLICATE;

    if ((r = need_write(s, err)) || (r = begin(s, err)))
        return r;
    if ((r = prepare(s, "UPDATE samples SET status = ?3, reward = ?4, "
                        "train_loss = ?5, params = ?6, mult_adds = ?7, "
                        "seconds = ?8, duplicate_of = ?9, message = ?10, "
                        "finished = ?11 WHERE search_id = ?1 AND idx = ?2 "
                        "AND status = 'running'", &st, err)))
        return rollback(s, r);
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
    if ((r = step_done(s, st, "cannot store the sample's result", err)))
        return rollback(s, r);
    if (sqlite3_changes(s->db) != 1)
        return rollback(s, nv_error_set(err, NV_ERR_DB,
                                        "%s: sample %d of search %lld is not "
                                        "running (was it started?)",
                                        s->path, sm->idx,
                                        (long long)search_id));
    if (state && (r = save_state(s, search_id, sm->idx, state, state_len, err)))
        return rollback(s, r);
    if ((r = prepare(s, "UPDATE searches SET updated = ?2, "
                        "samples_done = samples_done + ?3, "
                        "best_idx = CASE WHEN ?4 IS NOT NULL AND (best_reward "
                        "IS NULL OR ?4 > best_reward) THEN ?5 ELSE best_idx "
                        "END, best_reward = CASE WHEN ?4 IS NOT NULL AND "
                        "(best_reward IS NULL OR ?4 > best_reward) THEN ?4 "
                        "ELSE best_reward END WHERE id = ?1", &st, err)))
        return rollback(s, r);
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, counts);
    if (counts)
        bind_real_or_null(st, 4, sm->reward);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, sm->idx);
    if ((r = step_done(s, st, "cannot update the search", err)))
        return rollback(s, r);
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}

NvStatus store_sample_abort(Store *s, int64_t search_id, int idx,
                            SampleStatus status, const char *message,
                            NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    if ((r = need_write(s, err)))
        return r;
    if (status != SAMPLE_INTERRUPTED && status != SAMPLE_FAILED)
        return nv_error_set(err, NV_ERR_USAGE,
                            "a sample is aborted as interrupted or failed");
    if ((r = prepare(s, "UPDATE samples SET status = ?3, message = ?4, "
                        "finished = ?5 WHERE search_id = ?1 AND idx = ?2 AND "
                        "status = 'running'", &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, search_id);
    sqlite3_bind_int(st, 2, idx);
    sqlite3_bind_text(st, 3, store_sample_status_name(status), -1,
                      SQLITE_STATIC);
    bind_text_or_null(st, 4, message);
    sqlite3_bind_int64(st, 5, now_s());
    return step_done(s, st, "cannot mark the sample", err);
}

NvStatus store_state_save(Store *s, int64_t search_id, int after_sample,
                          const uint8_t *state, size_t len, NvError *err)
{
    NvStatus r;
    if ((r = need_write(s, err)) || (r = begin(s, err)))
        return r;
    if ((r = save_state(s, search_id, after_sample, state, len, err)))
        return rollback(s, r);
    return commit(s, err) ? rollback(s, NV_ERR_DB) : NV_OK;
}
