/* store.c - opening the nasview database (inspection, schema creation,
 * migrations, stale searches); the helpers the store's files share are in
 * store_db.c.
 * Writes live in store_write.c, reads in store_query.c.  See store.h for
 * the contract and the invariants.
 *
 * Opening, step by step (invariant 1 and 2 of store.h):
 *  1. An existing file is first opened SQLITE_OPEN_READONLY and inspected:
 *     application_id, user_version, the tables in sqlite_schema,
 *     PRAGMA quick_check, and every table, column and view its version
 *     requires (compared with the built-in scripts run in memory).  Only an empty file (no tables, both pragmas 0)
 *     or a nasview database no newer than STORE_SCHEMA_VERSION passes.
 *  2. Missing schema (empty or new file) or missing migrations are applied
 *     in one BEGIN IMMEDIATE transaction that re-reads the version first,
 *     so two processes racing to create or upgrade the same file do the
 *     work once.
 *  3. Then the connection the caller gets is opened (read-only or
 *     read-write) and configured.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/proc.h"
#include "base/text.h"
#include "store/store_db.h"
#include "store/store_sql.h"

/* ---- small helpers ------------------------------------------------------ */

int store_schema_version(void)
{
    return store_sql_scripts[store_sql_count - 1].version;
}

NvStatus store_name_check(const char *name, NvError *err)
{
    size_t len = strlen(name);
    if (len == 0 || len >= STORE_NAME_MAX)
        return nv_error_set(err, NV_ERR_USAGE,
                            "a search name has 1 to %d characters",
                            STORE_NAME_MAX - 1);
    if (!text_is_clean(name))
        return nv_error_set(err, NV_ERR_USAGE,
                            "a search name cannot hold control characters "
                            "(escapes, tabs, newlines) or bytes that are not "
                            "UTF-8");
    if (strspn(name, "0123456789") == len)
        return nv_error_set(err, NV_ERR_USAGE,
                            "a search name cannot be digits alone: '%s' "
                            "would read as the search with that id",
                            name);
    return NV_OK;
}

const char *store_search_status_name(SearchStatus st)
{
    static const char *const names[] = { "running",     "paused", "done",
                                         "interrupted", "failed", "stale" };
    enum { N = sizeof names / sizeof names[0] };
    _Static_assert(N == SEARCH_STALE + 1, "a name for every search status");
    return (unsigned)st < N ? names[st] : "unknown";
}

int store_sample_has_reward(SampleStatus st)
{
    return st == SAMPLE_DONE || st == SAMPLE_DIVERGED || st == SAMPLE_DUPLICATE;
}

const char *store_sample_status_name(SampleStatus st)
{
    static const char *const names[] = { "running",   "done",
                                         "diverged",  "duplicate",
                                         "interrupted", "failed" };
    enum { N = sizeof names / sizeof names[0] };
    _Static_assert(N == SAMPLE_FAILED + 1, "a name for every sample status");
    return (unsigned)st < N ? names[st] : "unknown";
}

/* open_status - the status for sqlite3_open_v2's failure rc. */
static NvStatus open_status(int rc)
{
    return rc == SQLITE_NOMEM ? NV_ERR_NOMEM : NV_ERR_IO;
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
        const unsigned char *name = sqlite3_column_text(st, 0);
        snprintf(fi->first_tables + len, sizeof fi->first_tables - len, "%s%s",
                 len ? ", " : "", name ? (const char *)name : "?");
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

/* reference_schema - a new in-memory database holding the schema of
 * version `version`: the built-in scripts up to it, as a file of that
 * version was left by them.  NULL when it cannot be built (out of memory). */
static sqlite3 *reference_schema(int version)
{
    sqlite3 *ref = NULL;
    if (sqlite3_open_v2(":memory:", &ref,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
        SQLITE_OK) {
        sqlite3_close(ref);
        return NULL;
    }
    for (int i = 0; i < store_sql_count; i++)
        if (store_sql_scripts[i].version <= version &&
            sqlite3_exec(ref, store_sql_scripts[i].sql, NULL, NULL, NULL) !=
                SQLITE_OK) {
            sqlite3_close(ref);
            return NULL;
        }
    return ref;
}

/* count_where - the integer the one-row query sql gives with its text
 * parameters a and b, or -1 on error. */
static int count_where(sqlite3 *db, const char *sql, const char *a,
                       const char *b)
{
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* append - add "what" to the list in buf (n bytes), comma separated. */
static void append(char *buf, size_t n, const char *what)
{
    size_t len = strlen(buf);
    if (len + 1 < n)
        snprintf(buf + len, n - len, "%s%s", len ? ", " : "", what);
}

/* schema_missing - compare the file's tables, their columns and its views
 * with what schema version `version` requires; the missing ones are listed
 * in why (n bytes, "" when none).  Returns an SQLite result code. */
static int schema_missing(sqlite3 *db, int version, char *why, size_t n)
{
    sqlite3 *ref = reference_schema(version);
    sqlite3_stmt *objs = NULL, *cols = NULL;
    int rc;
    why[0] = '\0';
    if (!ref)
        return SQLITE_NOMEM;
    rc = sqlite3_prepare_v2(ref,
                            "SELECT type, name FROM sqlite_schema WHERE type "
                            "IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                            "ORDER BY rowid",
                            -1, &objs, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(ref, "SELECT name FROM pragma_table_info(?1)",
                                -1, &cols, NULL);
    while (rc == SQLITE_OK && sqlite3_step(objs) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(objs, 0);
        const char *name = (const char *)sqlite3_column_text(objs, 1);
        char what[160];
        int have = count_where(db,
                               "SELECT count(*) FROM sqlite_schema WHERE "
                               "type = ?1 AND name = ?2",
                               type, name);
        if (have < 0)
            return sqlite3_finalize(objs), sqlite3_finalize(cols),
                   sqlite3_close(ref), sqlite3_errcode(db);
        if (have == 0) {
            snprintf(what, sizeof what, "%s %s", type, name);
            append(why, n, what);
            continue;
        }
        if (strcmp(type, "table") != 0)
            continue;
        sqlite3_bind_text(cols, 1, name, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(cols) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(cols, 0);
            if (count_where(db,
                            "SELECT count(*) FROM pragma_table_info(?1) "
                            "WHERE name = ?2",
                            name, col) == 0) {
                snprintf(what, sizeof what, "column %s.%s", name, col);
                append(why, n, what);
            }
        }
        sqlite3_reset(cols);
    }
    sqlite3_finalize(objs);
    sqlite3_finalize(cols);
    sqlite3_close(ref);
    return rc;
}

/* has_wal - true when path's write-ahead log exists: committed data may
 * then be in it rather than in the file itself. */
static bool has_wal(const char *path)
{
    char wal[4200];
    struct stat sb;
    if (snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal)
        return true; /* cannot tell: take the safe path */
    return stat(wal, &sb) == 0;
}

/* open_read - open path read-only.  immutable: through SQLite's
 * "immutable" URI parameter, which takes no locks and creates no -shm or
 * -wal file; right only while path has no write-ahead log (has_wal), whose
 * commits it would not see.  Returns an SQLite result code; *db is set
 * even on failure (for sqlite3_errmsg; the caller closes it). */
static int open_read(const char *path, bool immutable, sqlite3 **db)
{
    static const char hex[] = "0123456789ABCDEF";
    char uri[3 * 4096 + 32];
    size_t at;
    int rc;
    if (!immutable)
        return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
    /* file:///abs or file:rel, with what a URI reserves %-escaped */
    at = (size_t)snprintf(uri, sizeof uri, "file:%s", path[0] == '/' ? "//" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (at + 32 >= sizeof uri)
            return SQLITE_CANTOPEN;
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f) {
            uri[at++] = '%';
            uri[at++] = hex[*p >> 4];
            uri[at++] = hex[*p & 15];
        } else {
            uri[at++] = (char)*p;
        }
    }
    snprintf(uri + at, sizeof uri - at, "?immutable=1");
    rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    return rc;
}

/* inspect - open path read-only and check it (step 1).  *fi is filled.
 * Without a write-ahead log the file is read as immutable, so inspecting
 * a file that is then refused leaves no -shm or -wal beside it and works
 * in a directory this user cannot write; a race with a writer that starts
 * meanwhile is settled by step 2, which reads the version again. */
static NvStatus inspect(const char *path, FileInfo *fi, NvError *err)
{
    sqlite3 *db = NULL;
    NvStatus r = NV_OK;
    int rc = open_read(path, !has_wal(path), &db);
    if (rc != SQLITE_OK) {
        r = nv_error_set(err, open_status(rc), "cannot open %s: %s", path,
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
    } else if ((rc & 0xff) == SQLITE_NOMEM) {
        r = nv_error_set(err, NV_ERR_NOMEM, "cannot read %s: out of memory",
                         path);
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
        } else if ((rc & 0xff) == SQLITE_NOMEM) {
            /* not a verdict on the file */
            r = nv_error_set(err, NV_ERR_NOMEM,
                             "cannot check %s: out of memory", path);
        } else {
            r = damaged(path, sqlite3_errmsg(db), err);
        }
        sqlite3_finalize(st);
        if (r == NV_OK) {
            char missing[400], why[440];
            rc = schema_missing(db, fi->version, missing, sizeof missing);
            if (rc == SQLITE_NOMEM)
                r = nv_error_set(err, NV_ERR_NOMEM,
                                 "out of memory checking %s", path);
            else if (rc != SQLITE_OK)
                r = damaged(path, sqlite3_errstr(rc), err);
            else if (missing[0]) {
                snprintf(why, sizeof why, "missing %s", missing);
                r = damaged(path, why, err);
            }
        }
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
    if ((r = store_begin(s, err)))
        return r;
    rc = read_info(s->db, &fi);
    if (rc != SQLITE_OK)
        return store_rollback(s, store_db_fail(s, err, "cannot read the schema"));
    if ((r = classify(s->path, &fi, err)))
        return store_rollback(s, r);
    for (int i = 0; i < store_sql_count; i++) {
        const StoreSqlScript *sc = &store_sql_scripts[i];
        char what[96], pragma[64];
        if (sc->version <= fi.version)
            continue;
        snprintf(what, sizeof what, "applying %s", sc->name);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
                 sc->version);
        if ((r = store_exec(s, sc->sql, what, err)) ||
            (r = store_exec(s, pragma, what, err)))
            return store_rollback(s, r);
    }
    return (r = store_commit(s, err)) ? store_rollback(s, r) : NV_OK;
}

/* ---- stale searches (invariant 5) ----------------------------------------- */

static NvStatus mark_stale(Store *s, NvError *err)
{
    sqlite3_stmt *st;
    NvStatus r;
    int64_t ids[64], pids[64];
    int n = 0;

    if ((r = store_prepare(s,
                     "SELECT id, pid FROM searches WHERE status IN "
                     "('running', 'paused') AND host = ?1",
                     &st, err)))
        return r;
    sqlite3_bind_text(st, 1, s->host, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
        int64_t pid = store_col_int(st, 1, 0);
        if (!proc_alive(pid)) {
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

/* open_conn - s->db opened with flags (read-write) or, for flags
 * SQLITE_OPEN_READONLY, through open_read; a read-only file in a WAL-mode
 * database whose directory this user cannot write (SQLite cannot create
 * the -shm file) is read as immutable when it has no write-ahead log. */
static NvStatus open_conn(Store *s, int flags, NvError *err)
{
    int rc;
    if (flags == SQLITE_OPEN_READONLY) {
        rc = open_read(s->path, false, &s->db);
        int probe = rc == SQLITE_OK
                        ? sqlite3_exec(s->db, "SELECT count(*) FROM "
                                              "sqlite_schema",
                                       NULL, NULL, NULL) & 0xff
                        : SQLITE_OK;
        if ((probe == SQLITE_READONLY || probe == SQLITE_CANTOPEN) &&
            !has_wal(s->path)) {
            sqlite3_close(s->db);
            s->db = NULL;
            rc = open_read(s->path, true, &s->db);
        }
    } else {
        rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    }
    if (rc != SQLITE_OK) {
        NvStatus r = nv_error_set(err, open_status(rc), "cannot open %s: %s",
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
        (r = store_exec(s, "PRAGMA synchronous = NORMAL", "cannot set synchronous",
                  err)) ||
        (r = store_exec(s, "PRAGMA foreign_keys = ON", "cannot enable foreign keys",
                  err)))
        return r;
    return migrate(s, err);
}

/* check_dir - a search writes the database and its -wal and -shm files
 * beside it: the directory must exist and take new files. */
static NvStatus check_dir(const char *path, NvError *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    struct stat sb;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (stat(dir, &sb) != 0)
        return nv_error_set(err, NV_ERR_IO,
                            "cannot create %s: no directory %s (%s)", path,
                            dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return nv_error_set(err, NV_ERR_IO, "cannot create %s: %s is not a "
                                            "directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return nv_error_set(err, NV_ERR_IO,
                            "cannot write in directory %s (%s): a search "
                            "keeps the database %s and its -wal and -shm "
                            "files there",
                            dir, strerror(errno), path);
    return NV_OK;
}

NvStatus store_open(const char *path, StoreMode mode, Store **out,
                    NvError *err)
{
    struct stat sb;
    FileInfo fi;
    NvStatus r;
    Store *s;

    *out = NULL;
    if (!path[0])
        return nv_error_set(err, NV_ERR_USAGE, "the database file name is "
                                               "empty (--db FILE)");
    if (mode == STORE_WRITE && (r = check_dir(path, err)))
        return r;
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
    } else if (!S_ISREG(sb.st_mode)) {
        return nv_error_set(err, NV_ERR_IO, "%s is not a regular file, not a "
                                            "database", path);
    } else if (access(path, R_OK) != 0) {
        return nv_error_set(err, NV_ERR_IO, "cannot read %s: %s", path,
                            strerror(errno));
    } else if (mode == STORE_WRITE && access(path, W_OK) != 0) {
        return nv_error_set(err, NV_ERR_IO,
                            "cannot write %s: %s (ls, show and export can "
                            "still read it)",
                            path, strerror(errno));
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

