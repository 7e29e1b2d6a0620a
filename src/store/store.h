/* store.h - the nasview database: the only module that talks to SQLite.
 *
 * One file holds every search, every sample with its 50 decisions and their
 * probability vectors, the training progress of children and the strategy
 * snapshots that let a search resume (schema: db/schema.sql and
 * db/migrations/, documented in nasview(1), DATABASE).  Readers (TUI, ls,
 * show, export, compare) open it with STORE_READ and never write to it
 * (the one exception: a one-time schema upgrade, see store_open); each
 * search process does all its writes through one STORE_WRITE connection.
 *
 * This module knows nothing about training, strategies or the screen: it
 * stores and returns plain rows.  Strings in the structs below are fixed
 * arrays, so results need no per-field freeing; arrays of rows returned
 * through `**out` are malloc'ed and freed by the caller with free().
 *
 * Design and invariants (store.c has the details):
 *  1. A file is written only after a read-only inspection found it to be a
 *     nasview database of this or an older schema version, or an empty
 *     file.  Anything else (not SQLite, damaged, another program's tables,
 *     a newer schema) is refused with a message and left byte-for-byte
 *     unchanged.
 *  2. Schema changes happen in one transaction: the whole of schema.sql
 *     plus migrations for a new file, the missing migrations for an old one.
 *  3. A sample row and its 50 decisions appear in one transaction
 *     (store_sample_start); its result, with or without a strategy snapshot,
 *     in another (store_sample_finish).  nasview's search loop stores its
 *     snapshot on its own (store_state_save) at the end of each batch of
 *     samples, so a resumed search restarts at the batch after the newest
 *     snapshot and reuses the samples of that batch already finished.
 *  4. Write transactions are short (BEGIN IMMEDIATE, a few rows) and none is
 *     held open between calls, so two searches can write the same file and
 *     readers never wait long (busy timeout STORE_BUSY_TIMEOUT_MS).
 *  5. A search whose status is running or paused but whose process is gone
 *     (same host, pid not alive) is reported as SEARCH_STALE to readers and
 *     marked interrupted, with its running sample, by the next STORE_WRITE
 *     open. */
#ifndef NASVIEW_STORE_H
#define NASVIEW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "space/genotype.h"
#include "base/nv_error.h"

/* store_schema_version - the schema version this program creates and
 * reads (PRAGMA user_version): that of the last built-in migration, so
 * adding a migration file (db/migrations, store.am) is all it takes. */
int store_schema_version(void);
#define STORE_SCHEMA_VERSION (store_schema_version())
/* PRAGMA application_id of a nasview database: "NASV". */
#define STORE_APPLICATION_ID 0x4E415356
/* How long a writer waits for another writer's transaction (ms). */
#define STORE_BUSY_TIMEOUT_MS 10000

#define STORE_NAME_MAX 128
/* The most samples a search may have (its budget); every index and count
 * read from a file is kept within it. */
#define STORE_MAX_SAMPLES 1000000
#define STORE_TEXT_MAX 512
#define STORE_SETTINGS_MAX 2048

typedef struct Store Store;

typedef enum { STORE_READ = 0, STORE_WRITE = 1 } StoreMode;

/* Status transitions, each made by one function, and only these:
 *
 *   search        from                         to           by
 *   (new)                                      running      store_search_create
 *                 running                      paused       store_search_set_status
 *                 paused                       running      store_search_set_status
 *                 running, paused              done         store_search_set_status
 *                 running, paused              interrupted  store_search_set_status
 *                                                           (a signal; or, at
 *                                                           open, mark_stale in
 *                                                           store.c: its process
 *                                                           vanished)
 *                 running, paused              failed       store_search_set_status
 *                 interrupted, failed, stale   running      store_search_claim
 *                                                           (resume; done is
 *                                                           refused)
 *                 done                         running      store_search_claim
 *                                                           with a panel to
 *                                                           train (weight
 *                                                           sharing, resumed
 *                                                           with --ws-panel)
 *   stale is never stored: a reader reports running or paused as stale when
 *   its process is gone (store_search_get).
 *
 *   sample        from          to                         by
 *   (new)                       running                    store_sample_start
 *                 interrupted,  running (the earlier       store_sample_start
 *                 failed        attempt's rows replaced:   (resume trains the
 *                               same index, same child)    same child again)
 *                 running       done, diverged,            store_sample_finish
 *                               duplicate, failed
 *                 running       interrupted, failed        store_sample_abort
 *   A done, diverged or duplicate sample never changes again: a resume
 *   reuses it (search_batch.c, invariant 1). */
typedef enum {
    SEARCH_RUNNING = 0,
    SEARCH_PAUSED,
    SEARCH_DONE,
    SEARCH_INTERRUPTED,
    SEARCH_FAILED,
    SEARCH_STALE /* running/paused in the file, but its process is gone;
                    never stored, only reported */
} SearchStatus;

typedef enum {
    SAMPLE_RUNNING = 0,
    SAMPLE_DONE,
    SAMPLE_DIVERGED,
    SAMPLE_DUPLICATE,
    SAMPLE_INTERRUPTED,
    SAMPLE_FAILED
} SampleStatus;

/* A search: its settings (what store_search_create stores) and, when read
 * back, its summary. */
typedef struct {
    int64_t id;
    char name[STORE_NAME_MAX];
    char strategy[16];              /* "rl", "random", "evolution" */
    uint64_t seed;
    int budget;
    char dataset[STORE_TEXT_MAX];
    int F, N, epochs, batch, threads;
    int64_t train_size, val_size;
    double lr;
    int retrain_duplicates;
    int bn_recalibrate;             /* 0 for searches made before schema 4 */
    int workers;                    /* children its last run trained at
                                       once (1 before schema 5) */
    double samples_per_hour;        /* measured over its last samples
                                       (store_search_get and _list compute
                                       it); NaN when too few */
    char reward_kind[16];           /* "standalone" or "shared" (weight
                                       sharing); "" is written as
                                       "standalone" */
    int ws_steps, ws_samples;       /* weight sharing: shared-weight steps
                                       and architectures per round; 0 for
                                       stand-alone searches */
    int ws_panel;                   /* weight sharing: top and random
                                       architectures trained stand-alone at
                                       the end (each) */
    char streams[16];               /* "common" or "independent" (how the
                                       seed became random streams); ""
                                       is written as "common", and
                                       searches before schema 9 say so */
    int space_version;              /* GENO_SPACE_VERSION it sampled
                                       from; 0 is written as 1 */
    char reward_metric[16];         /* what a reward measures: "accuracy"
                                       or a zero-cost score, "naswot",
                                       "synflow", "params", "mult_adds"
                                       (reward_metric.h); "" is written as
                                       "accuracy"; "accuracy" for searches
                                       made before schema 10 */
    char settings[STORE_SETTINGS_MAX]; /* JSON object, every setting */
    /* filled when read */
    SearchStatus status;            /* SEARCH_STALE computed for readers */
    int64_t pid;
    char host[STORE_NAME_MAX];
    int64_t created, updated, finished; /* unix seconds; finished 0 = not */
    char version[32];
    char message[STORE_TEXT_MAX];
    int samples_done;   /* samples with a reward: done, diverged, duplicate */
    double best_reward; /* NaN when no sample has a reward yet */
    int best_idx;       /* -1 when none; the first of equal bests */
} StoreSearch;

/* One sample.  Unknown numbers are NaN (reals) or -1 (integers). */
typedef struct {
    int64_t search_id;
    int idx;
    char genotype[GENO_TEXT_MAX];   /* canonical text */
    char hash[17];                  /* 16 hex digits */
    SampleStatus status;
    double reward, train_loss, seconds, log_prob, entropy;
    int64_t params, mult_adds;
    int duplicate_of;               /* -1 when not a duplicate */
    int64_t created, finished;      /* finished 0 = not yet */
    char message[STORE_TEXT_MAX];
} StoreSample;

/* One of a sample's 50 decisions. */
typedef struct {
    int step;                       /* 0..GENO_DECISIONS-1 */
    int cell, block, field;         /* GenoCellKind, 0..4, GenoField */
    int chosen;                     /* value index */
    int support;                    /* number of values (probs used) */
    float probs[GENO_MAX_SUPPORT];  /* zeros past support */
} StoreDecision;

/* One point of a child's training progress. */
typedef struct {
    int sample_idx;
    int epoch, epochs;
    int64_t step, steps;
    double loss, acc, images_per_s, elapsed_s, eta_s;
    int evaluating, epoch_end;
    int64_t time;                   /* unix seconds; set by the store */
} StoreProgress;

typedef enum {
    STORE_ORDER_IDX = 0, /* proposal order */
    STORE_ORDER_REWARD,  /* reward, unknown rewards last; ties by idx */
    STORE_ORDER_PARAMS   /* parameters, unknown last; ties by idx */
} StoreOrder;

typedef struct {
    StoreOrder order;
    int descending;           /* reverse the order (ties stay by idx asc) */
    int limit;                /* at most this many rows; 0 = all */
    const StoreSample *after; /* keyset paging: only rows strictly after
                                 this one (the last row of the previous
                                 page) in this order; NULL = from the top */
} StoreSampleQuery;

/* --- opening ------------------------------------------------------------ */

/* store_open - open the database at path.
 * STORE_READ: the file must exist (NV_ERR_NOT_FOUND otherwise, message
 * names it); it is never written, except that a nasview database of an
 * older schema version is upgraded once, in one transaction, through a
 * short-lived writing connection before the read-only one opens (fails
 * with NV_ERR_DB when the file is not writable).
 * STORE_WRITE: creates the file when missing (not its directory); sets WAL,
 * synchronous=NORMAL, foreign keys, the busy timeout; applies missing
 * migrations; marks stale searches of this host interrupted (invariant 5).
 * Both: a file that is not SQLite, is damaged (quick_check), holds another
 * program's tables or a newer schema fails with NV_ERR_DB and is left
 * unchanged (invariant 1).  On success *out is owned by the caller
 * (store_close). */
NvStatus store_open(const char *path, StoreMode mode, Store **out,
                    NvError *err);

/* store_close - close s; NULL is a no-op. */
void store_close(Store *s);

/* store_path - the path s was opened with (owned by s). */
const char *store_path(const Store *s);

/* store_changes - a number that changes whenever another connection
 * committed to the file, or this one wrote (PRAGMA data_version plus this
 * connection's change count).  Cheap: poll it and re-query only when it
 * differs from the last value.  Compare for equality only. */
NvStatus store_changes(Store *s, uint64_t *counter, NvError *err);

/* --- names ---------------------------------------------------------------- */

/* store_search_status_name - "running", ..., "stale". */
const char *store_search_status_name(SearchStatus st);

/* store_sample_has_reward - 1 when a sample of status st has a reward
 * that counts (done, diverged: 0, duplicate: its original's), 0 for
 * running, interrupted and failed samples. */
int store_sample_has_reward(SampleStatus st);

/* store_sample_status_name - "running", "done", "diverged", "duplicate",
 * "interrupted", "failed". */
const char *store_sample_status_name(SampleStatus st);

/* store_name_check - NV_OK when name can name a search: 1 to
 * STORE_NAME_MAX - 1 bytes of UTF-8 without control characters (so it
 * prints as itself in every table and terminal), not made of digits alone
 * (a number names the search with that id).  Otherwise NV_ERR_USAGE with
 * the reason. */
NvStatus store_name_check(const char *name, NvError *err);

/* --- reading searches ---------------------------------------------------- */

/* store_search_list - every search with its summary, by id.  *out is a
 * malloc'ed array of *n rows (NULL when 0) owned by the caller (free). */
NvStatus store_search_list(Store *s, StoreSearch **out, size_t *n,
                           NvError *err);

/* store_search_get - search id with its summary into *out.
 * NV_ERR_NOT_FOUND when there is none. */
NvStatus store_search_get(Store *s, int64_t id, StoreSearch *out,
                          NvError *err);

/* store_search_find - a search named by key: a name, or an id written in
 * decimal (a name wins over an id when both match).  NV_ERR_NOT_FOUND with
 * a message naming key when neither matches. */
NvStatus store_search_find(Store *s, const char *key, StoreSearch *out,
                           NvError *err);

/* store_search_params - the strategy hyper-parameters stored with search
 * id (the "strategy_params" object of its settings JSON) as text
 * name/value pairs: fn is called once per pair, in stored order, with
 * strings valid only during the call; the first non-NV_OK return of fn
 * stops the walk and is returned (fn fills err).  ctx is passed through. */
typedef NvStatus (*StoreParamFn)(const char *name, const char *value,
                                 void *ctx, NvError *err);
NvStatus store_search_params(Store *s, int64_t id, StoreParamFn fn,
                             void *ctx, NvError *err);

/* --- reading samples ------------------------------------------------------- */

/* store_samples - a page of the samples of search_id in q's order (q NULL:
 * all, by idx).  *out is a malloc'ed array of *n rows (NULL when 0), owned
 * by the caller (free).  For new rows since idx K: order IDX, after a
 * sample with idx K. */
NvStatus store_samples(Store *s, int64_t search_id, const StoreSampleQuery *q,
                       StoreSample **out, size_t *n, NvError *err);

/* store_sample_get - sample idx of search_id into *out and, when dec is not
 * NULL, its decisions into dec[0..GENO_DECISIONS) with *n_dec set to how
 * many were stored (GENO_DECISIONS for every sample written by nasview).
 * NV_ERR_NOT_FOUND when there is no such sample. */
NvStatus store_sample_get(Store *s, int64_t search_id, int idx,
                          StoreSample *out, StoreDecision *dec, int *n_dec,
                          NvError *err);

/* store_sample_curve - every progress point of one sample, oldest first:
 * its training curve.  *out malloc'ed (NULL when 0), owned by the caller. */
NvStatus store_sample_curve(Store *s, int64_t search_id, int idx,
                            StoreProgress **out, size_t *n, NvError *err);

/* store_progress_live - the newest progress point of the child of
 * search_id that is training now (a sample with status running).  *found
 * is 0 when no child is in flight (then *out is untouched). */
NvStatus store_progress_live(Store *s, int64_t search_id, StoreProgress *out,
                             int *found, NvError *err);

/* store_progress_children - the newest progress point of every child of
 * search_id training now (samples with status running), by sample idx,
 * into out[0..cap): one line per child in flight.  *n says how many were
 * filled (at most cap; a child with no point yet has none). */
NvStatus store_progress_children(Store *s, int64_t search_id,
                                 StoreProgress *out, int cap, int *n,
                                 NvError *err);

/* store_find_trained - the first sample of search_id with this hash that
 * was trained (status done or diverged): what a duplicate reuses.  *found
 * is 0 when none. */
NvStatus store_find_trained(Store *s, int64_t search_id, const char *hash,
                            StoreSample *out, int *found, NvError *err);

/* A final training run of a sample's cell (table final_runs). */
typedef struct {
    int64_t id;                     /* set when read */
    int64_t search_id;
    int sample_idx;
    char genotype[GENO_TEXT_MAX];
    char hash[17];
    char dataset[STORE_TEXT_MAX];
    int F, N, epochs, batch, threads;
    double lr;
    uint64_t seed;
    int64_t train_size, val_size;
    char settings[STORE_SETTINGS_MAX]; /* JSON object */
    char status[16];                /* "done", "diverged", "interrupted" */
    int epochs_done;
    double val_acc, test_acc, train_loss; /* NaN when not known */
    int64_t params;
    double seconds;
    char weights[STORE_TEXT_MAX];   /* "" when none */
    char checkpoint[STORE_TEXT_MAX];
    int64_t created;                /* set by the store */
} StoreFinalRun;

/* One epoch of a final run; NaN where not measured. */
typedef struct {
    int epoch;                      /* 1-based */
    double train_loss, val_acc, test_acc, seconds;
} StoreRunEpoch;

/* store_final_runs - the final runs of sample idx of search_id, oldest
 * first (idx -1: of every sample).  *out malloc'ed (NULL when 0), owned by
 * the caller (free).  A database of schema 4 or older has none. */
NvStatus store_final_runs(Store *s, int64_t search_id, int idx,
                          StoreFinalRun **out, size_t *n, NvError *err);

/* store_final_run_curve - the epochs of final run run_id, in order.
 * *out malloc'ed (NULL when 0), owned by the caller (free). */
NvStatus store_final_run_curve(Store *s, int64_t run_id, StoreRunEpoch **out,
                               size_t *n, NvError *err);

/* --- writing (STORE_WRITE only; NV_ERR_USAGE on a read-only store) -------- */

/* store_search_create - insert a new search from in's settings fields
 * (id, status and summary fields are ignored): status running, this
 * process's pid and host, created/updated now, this program's version.
 * *id receives the new id.  A name already taken fails with NV_ERR_USAGE
 * naming it. */
NvStatus store_search_create(Store *s, const StoreSearch *in, int64_t *id,
                             NvError *err);

/* store_search_delete - remove search id and every row of it (samples,
 * decisions, progress, strategy state) in one transaction; *samples
 * receives how many samples went.  NV_ERR_USAGE when a live process is
 * writing it (running or paused), NV_ERR_NOT_FOUND when there is none. */
NvStatus store_search_delete(Store *s, int64_t id, int *samples,
                             NvError *err);

/* store_search_rename - give search id the name name (store_name_check's
 * rules; unique).  NV_ERR_USAGE for a bad or taken name or a search a live
 * process is writing. */
NvStatus store_search_rename(Store *s, int64_t id, const char *name,
                             NvError *err);

/* store_search_claim - take over search id for this process (resume): sets
 * status running, pid, host, clears finished and message.  Fails with
 * NV_ERR_USAGE when it is done (unless done_ok), or still running or
 * paused in a live process. */
NvStatus store_search_claim(Store *s, int64_t id, int done_ok, NvError *err);

/* store_search_set_ws_panel - the panel size (top and random
 * architectures, each) of weight-sharing search id, as a resume with
 * --ws-panel asks.  One statement. */
NvStatus store_search_set_ws_panel(Store *s, int64_t id, int ws_panel,
                                   NvError *err);

/* store_search_set_workers - record that the run of search id now going
 * on trains `workers` children at once (1 .. 65536). */
NvStatus store_search_set_workers(Store *s, int64_t id, int workers,
                                  NvError *err);

/* store_search_set_status - set status (not SEARCH_STALE) and message
 * (NULL keeps it, "" clears it); done, interrupted and failed also set
 * finished.  Any sample of the search still running becomes interrupted
 * when st is interrupted or failed. */
NvStatus store_search_set_status(Store *s, int64_t id, SearchStatus st,
                                 const char *message, NvError *err);

/* store_sample_start - one transaction: the row of sample idx (status
 * running, replacing an earlier interrupted or failed attempt at the same
 * idx together with its decisions and progress) and its decisions
 * dec[0..GENO_DECISIONS).  sm supplies genotype, hash, log_prob,
 * entropy, and params and mult_adds when known before training (-1:
 * NULL until the result). */
NvStatus store_sample_start(Store *s, int64_t search_id, const StoreSample *sm,
                            const StoreDecision dec[GENO_DECISIONS],
                            NvError *err);

/* store_progress_write - append one progress point of sample idx
 * (p->sample_idx).  The caller limits the rate (about once a second and at
 * each epoch end). */
NvStatus store_progress_write(Store *s, int64_t search_id,
                              const StoreProgress *p, NvError *err);

/* store_sample_finish - one transaction: the result of sample sm->idx
 * (status, reward, train_loss, params, mult_adds, seconds, duplicate_of,
 * message; finished = now), the strategy snapshot state[0..state_len)
 * taken after observing it (replacing older snapshots of the search; state
 * may be NULL to keep the old one), and the search's updated time. */
NvStatus store_sample_finish(Store *s, int64_t search_id,
                             const StoreSample *sm, const uint8_t *state,
                             size_t state_len, NvError *err);

/* store_sample_abort - mark sample idx interrupted or failed (with
 * message), e.g. when its training was stopped. */
NvStatus store_sample_abort(Store *s, int64_t search_id, int idx,
                            SampleStatus st, const char *message,
                            NvError *err);

/* store_state_save - store a strategy snapshot taken after sample
 * after_sample (-1: before the first proposal), replacing older ones. */
NvStatus store_state_save(Store *s, int64_t search_id, int after_sample,
                          const uint8_t *state, size_t len, NvError *err);

/* store_shared_save - one transaction: replace the shared-weight
 * checkpoint of search_id with state[0..len) taken after `rounds`
 * shared-weight phases. */
NvStatus store_shared_save(Store *s, int64_t search_id, int rounds,
                           const uint8_t *state, size_t len, NvError *err);

/* store_shared_load - the shared-weight checkpoint of search_id: *rounds
 * and *state (malloc'ed, the caller's) of *len bytes.  NV_ERR_NOT_FOUND
 * (with *state NULL) when there is none. */
NvStatus store_shared_load(Store *s, int64_t search_id, int *rounds,
                           uint8_t **state, size_t *len, NvError *err);

/* One architecture of a weight-sharing search trained stand-alone (the
 * fidelity panel). */
typedef struct {
    int sample_idx;
    int top;              /* 1: among the best by shared-weight reward;
                             0: drawn at random from the others */
    double shared_reward; /* its score with the final shared weights on
                             the panel's validation images
                             (shared_score_final; earlier builds stored
                             the sample's own reward) */
    double reward;        /* stand-alone validation accuracy */
    SampleStatus status;  /* SAMPLE_DONE or SAMPLE_DIVERGED */
    int64_t params;
    double seconds;
} StoreWsPanel;

/* store_ws_panel_add - one transaction: the stand-alone result of a panel
 * architecture (replacing an earlier one of the same sample). */
NvStatus store_ws_panel_add(Store *s, int64_t search_id, const StoreWsPanel *p,
                         NvError *err);

/* store_ws_panel_list - the panel of search_id by sample_idx: *out malloc'ed
 * (NULL when empty), *n rows, the caller's (free). */
NvStatus store_ws_panel_list(Store *s, int64_t search_id, StoreWsPanel **out,
                          size_t *n, NvError *err);

/* store_state_load - the newest snapshot of search_id: *after_sample, and
 * *state (malloc'ed, owned by the caller) of *len bytes.
 * NV_ERR_NOT_FOUND when the search has none. */
NvStatus store_state_load(Store *s, int64_t search_id, int *after_sample,
                          uint8_t **state, size_t *len, NvError *err);

/* store_final_run_add - one transaction: the row of final run *r (id and
 * created are ignored; created = now) and its epochs ep[0..nep).  *id
 * receives the new id.  The sample must exist (NV_ERR_NOT_FOUND). */
NvStatus store_final_run_add(Store *s, const StoreFinalRun *r,
                             const StoreRunEpoch *ep, size_t nep, int64_t *id,
                             NvError *err);

/* ---- the environment of a search (schema 9) ----------------------------- */

/* Where and with what a search was created: see db/migrations/009. */
typedef struct {
    char version[32];     /* nasview's PACKAGE_VERSION */
    char revision[64];    /* git describe at build time, else the version */
    char compiler[128];   /* __VERSION__ */
    char blas[256];       /* openblas_get_config() */
    char cpu[128];        /* model name in /proc/cpuinfo; "" unknown */
    int cores;            /* processors online */
    int workers;          /* children trained at once */
    int threads;          /* BLAS threads per child */
    double load[3];       /* 1, 5, 15 minute load averages; NaN unknown */
} StoreEnv;

/* store_search_env_put - record e as the environment of search id (a
 * STORE_WRITE store), replacing any.  NV_ERR_DB on failure. */
NvStatus store_search_env_put(Store *s, int64_t id, const StoreEnv *e,
                              NvError *err);

/* store_search_env_get - the recorded environment of search id into *e;
 * NV_ERR_NOT_FOUND for a search made before schema 9 (none recorded). */
NvStatus store_search_env_get(Store *s, int64_t id, StoreEnv *e,
                              NvError *err);

#endif
