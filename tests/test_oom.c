/* test_oom.c - allocation failure, everywhere: for N = 1, 2, ... the Nth
 * allocation fails while (a) a child network is built and trained (one
 * thread and two) and each strategy proposes, observes, saves and loads,
 * (b) a search and its samples are written to a new database and (c) a
 * two-sample search runs end to end, until a run no longer reaches N.
 * nasview's own allocations are failed through the linker's --wrap (each
 * one in turn), SQLite's through store_fault.h (every 7th by default, each
 * one with NASVIEW_OOM_STRIDE=1).
 * Each failure must end in a clean error (NV_ERR_NOMEM and a message that
 * says so; no crash, no abort), leak nothing (the sanitizer build's
 * LeakSanitizer checks at exit), and leave the database with only whole
 * rows: it still opens, every sample has its 50 decisions, the snapshot
 * matches the last finished sample, and a failed search resumes to
 * exactly the result of an undisturbed one.  A run that succeeds despite
 * the failure must give the undisturbed result. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "oom_alloc.h"
#include "synthetic.h"
#include "data/dataset.h"
#include "search/search.h"
#include "search/strategy.h"
#include "store/store.h"
#include "store/store_fault.h"
#include "train/train.h"

/* Every nasview allocation is failed in turn; SQLite makes thousands, so
 * by default every 7th of them (NASVIEW_OOM_STRIDE sets the step; 1: all,
 * about four minutes). */
static long oom_stride = 7;

static long oom_next(OomSource src, long n)
{
    return src == OOM_SQLITE ? n + oom_stride : n + 1;
}

/* clean - a failure is a status with a message that says memory ran out. */
static void expect_clean(const char *what, long n, NvStatus st,
                         const NvError *err)
{
    CHECK(st == NV_ERR_NOMEM && strstr(err->msg, "out of memory"),
          "%s, %s allocation %ld failed: status %s, message '%s'", what,
          oom_source_name(oom_last()), n, nv_status_name(st),
          err->msg);
}

static char dir[256];

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

/* remove_db - the database file and its -wal and -shm. */
static void remove_db(const char *p)
{
    char q[320];
    unlink(p);
    snprintf(q, sizeof q, "%s-wal", p);
    unlink(q);
    snprintf(q, sizeof q, "%s-shm", p);
    unlink(q);
}

/* copy_file - dst becomes a copy of src; 0 on success. */
static int copy_file(const char *src, const char *dst)
{
    char buf[8192];
    size_t k;
    int bad = 0;
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    if (!in || !out)
        bad = 1;
    while (!bad && (k = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, k, out) != k;
    if (in)
        fclose(in);
    if (out && fclose(out))
        bad = 1;
    return bad ? -1 : 0;
}

/* ---- a tiny dataset -------------------------------------------------------- */

#define IMG 8
#define CLASSES 4

static void put_be32(FILE *f, uint32_t v)
{
    unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };
    fwrite(b, 1, 4, f);
}

/* write_idx_pair - PREFIX-{images-idx3,labels-idx1}-ubyte of n images:
 * class k is a bright square in its own corner. */
static void write_idx_pair(const char *prefix, int n)
{
    char p[320];
    FILE *fi, *fl;
    snprintf(p, sizeof p, "%s/ds/%s-images-idx3-ubyte", dir, prefix);
    fi = fopen(p, "wb");
    snprintf(p, sizeof p, "%s/ds/%s-labels-idx1-ubyte", dir, prefix);
    fl = fopen(p, "wb");
    CHECK(fi && fl, "cannot write the dataset in %s", dir);
    if (!fi || !fl)
        exit(1);
    put_be32(fi, 0x803);
    put_be32(fi, (uint32_t)n);
    put_be32(fi, IMG);
    put_be32(fi, IMG);
    put_be32(fl, 0x801);
    put_be32(fl, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        int k = i % CLASSES;
        for (int y = 0; y < IMG; y++)
            for (int x = 0; x < IMG; x++) {
                int on = (y < IMG / 2) == (k & 1) && (x < IMG / 2) == (k >> 1);
                fputc(on ? 200 : (i * 7 + x * 3 + y) % 40, fi);
            }
        fputc(k, fl);
    }
    fclose(fi);
    fclose(fl);
}

/* ---- (a) a child network built and trained -------------------------------- */

static TrainConfig tiny_train(void)
{
    TrainConfig c = train_config_default();
    c.F = 2;
    c.N = 1;
    c.epochs = 1;
    c.batch = 4;
    c.threads = 1;
    c.seed = 5;
    return c;
}

/* Each case returns how many runs it made, the last without a failure. */
/* With threads > 1, a run may also fall back to one thread when the pool
 * cannot be made: then its result may differ in rounding, not in size. */
static long train_case(OomSource src, int threads, const Dataset *train,
                       const Dataset *val)
{
    TrainConfig c = tiny_train();
    TrainResult r0, *ref = &r0;
    NvError e0;
    long n, runs = 0;
    c.threads = threads;
    CHECK(train_child(geno_nasnet_a(), &c, train, val, NULL, NULL, NULL, ref,
                      &e0) == NV_OK, "undisturbed child: %s", e0.msg);
    for (n = 1;; n = oom_next(src, n), runs++) {
        TrainResult tr;
        NvError err;
        nv_error_clear(&err);
        memset(&tr, 0, sizeof tr);
        oom_arm(src, n);
        NvStatus st = train_child(geno_nasnet_a(), &c, train, val, NULL, NULL,
                                  NULL, &tr, &err);
        oom_disarm();
        if (st != NV_OK)
            expect_clean("train_child", n, st, &err);
        else
            CHECK((threads > 1 && oom_hit()) ||
                      (tr.val_acc == ref->val_acc &&
                       tr.train_loss == ref->train_loss),
                  "train_child, allocation %ld failed: NV_OK but a different "
                  "result (%g %g vs %g %g)", n, tr.val_acc, tr.train_loss,
                  ref->val_acc, ref->train_loss);
        if (st == NV_OK)
            CHECK(tr.params == ref->params && !tr.diverged,
                  "train_child, allocation %ld failed: NV_OK but %lld "
                  "parameters (%lld)%s", n, (long long)tr.params,
                  (long long)ref->params, tr.diverged ? ", diverged" : "");
        if (!oom_hit()) {
            CHECK(st == NV_OK, "train_child without failure: %s", err.msg);
            break;
        }
    }
    return runs + 1;
}

/* ---- (a') the strategies without training --------------------------------- */

#define STRAT_STEPS 6

/* strat_run - STRAT_STEPS proposals scored by the synthetic objective, a
 * save, a load into a new strategy and one more proposal; the decisions of
 * that last one into last.  Returns NV_OK or the first failure. */
static NvStatus strat_run(const StrategyConfig *cfg, const Synthetic *o,
                          int last[GENO_DECISIONS], NvError *err)
{
    Strategy *s = strategy_new(cfg, err), *t = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    Proposal p;
    NvStatus st = NV_OK;
    if (!s)
        return err->status;
    for (int i = 0; i < STRAT_STEPS && st == NV_OK; i++)
        if ((st = strategy_propose(s, &p, err)) == NV_OK)
            st = strategy_observe(s, &p, synthetic_reward(o, p.decisions),
                                  err);
    if (st == NV_OK && (st = strategy_save(s, &buf, &len, err)) == NV_OK) {
        if (!(t = strategy_new(cfg, err)))
            st = err->status;
        else if ((st = strategy_load(t, buf, len, err)) == NV_OK &&
                 (st = strategy_propose(t, &p, err)) == NV_OK)
            memcpy(last, p.decisions, sizeof p.decisions);
    }
    free(buf);
    strategy_free(t);
    strategy_free(s);
    return st;
}

static long strategy_case(StrategyKind kind)
{
    StrategyConfig cfg = strategy_config_default(kind, 11);
    Synthetic o;
    int ref[GENO_DECISIONS], got[GENO_DECISIONS];
    NvError err;
    long n, runs = 0;
    synthetic_init(&o, 5);
    if (kind == STRATEGY_RL) {
        CHECK(strategy_config_set(&cfg, "ppo_batch", "2", &err) == NV_OK &&
                  strategy_config_set(&cfg, "lstm_hidden", "8", &err) ==
                      NV_OK, "rl settings: %s", err.msg);
    } else if (kind == STRATEGY_EVOLUTION) {
        CHECK(strategy_config_set(&cfg, "population", "3", &err) == NV_OK &&
                  strategy_config_set(&cfg, "tournament", "2", &err) ==
                      NV_OK, "evolution settings: %s", err.msg);
    }
    CHECK(strat_run(&cfg, &o, ref, &err) == NV_OK, "undisturbed %s: %s",
          strategy_kind_name(kind), err.msg);
    for (n = 1;; n++, runs++) {
        nv_error_clear(&err);
        oom_arm(OOM_NASVIEW, n);
        NvStatus st = strat_run(&cfg, &o, got, &err);
        oom_disarm();
        if (st != NV_OK)
            expect_clean(strategy_kind_name(kind), n, st, &err);
        else
            CHECK(memcmp(got, ref, sizeof got) == 0,
                  "%s, allocation %ld failed: NV_OK but other proposals",
                  strategy_kind_name(kind), n);
        if (!oom_hit()) {
            CHECK(st == NV_OK, "%s without failure: %s",
                  strategy_kind_name(kind), err.msg);
            break;
        }
    }
    return runs + 1;
}

/* ---- (b) the store ---------------------------------------------------------- */

/* The writes of one search with two samples, in order; the effects of
 * steps before the failing one must be in the file, those after it not,
 * and the failing step's all or nothing. */
enum {
    W_OPEN, W_CREATE, W_STATE, W_START0, W_PROGRESS0, W_FINISH0, W_START1,
    W_ABORT1, W_START1B, W_FINISH1, W_DONE, W_STEPS
};

static void fill_sample(StoreSample *sm, StoreDecision dec[], int idx)
{
    memset(sm, 0, sizeof *sm);
    sm->idx = idx;
    geno_format(geno_nasnet_a(), sm->genotype, sizeof sm->genotype);
    snprintf(sm->hash, sizeof sm->hash, "%016x", 0xabc0 + idx);
    sm->log_prob = -3.5;
    sm->entropy = 40.0;
    sm->status = SAMPLE_DONE;
    sm->reward = 0.25 * (idx + 1);
    sm->train_loss = 1.0;
    sm->params = 1000 + idx;
    sm->mult_adds = 5000;
    sm->seconds = 0.5;
    sm->duplicate_of = -1;
    snprintf(sm->message, sizeof sm->message, "a message long enough to be "
             "copied by SQLite rather than kept by reference, %d", idx);
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int support = geno_decision_support(t);
        dec[t].step = t;
        dec[t].chosen = (t * 7 + idx) % support;
        for (int v = 0; v < GENO_MAX_SUPPORT; v++)
            dec[t].probs[v] = v < support ? 1.0f / (float)support : 0.0f;
    }
}

/* store_writes - the steps; returns how many succeeded (W_STEPS: all). */
static int store_writes(const char *p, NvStatus *st, NvError *err)
{
    Store *s = NULL;
    StoreSearch row;
    StoreSample sm;
    StoreDecision dec[GENO_DECISIONS];
    StoreProgress pt = { 0, 0, 1, 1, 2, 1.5, 0.5, 100, 0.1, 0.1, 0, 1, 0 };
    const uint8_t state0[] = "state-0", state1[] = "state-1";
    int64_t id = 0;
    int k = 0;

    memset(&row, 0, sizeof row);
    snprintf(row.name, sizeof row.name, "oom");
    snprintf(row.strategy, sizeof row.strategy, "random");
    row.seed = 1;
    row.budget = 2;
    snprintf(row.dataset, sizeof row.dataset, "%s/ds", dir);
    row.F = 2;
    row.N = 1;
    row.epochs = 1;
    row.batch = 4;
    row.threads = 1;
    row.train_size = 8;
    row.val_size = 4;
    row.lr = 0.05;
    snprintf(row.settings, sizeof row.settings,
             "{\"strategy\":\"random\",\"strategy_params\":{}}");
    if ((*st = store_open(p, STORE_WRITE, &s, err)))
        return k;
    k++;
    fill_sample(&sm, dec, 0);
    if ((*st = store_search_create(s, &row, &id, err)) || !++k ||
        (*st = store_state_save(s, id, -1, state0, 4, err)) || !++k ||
        (*st = store_sample_start(s, id, &sm, dec, err)) || !++k ||
        (*st = store_progress_write(s, id, &pt, err)) || !++k ||
        (*st = store_sample_finish(s, id, &sm, state0, sizeof state0, err)) ||
        !++k)
        goto out;
    fill_sample(&sm, dec, 1);
    if ((*st = store_sample_start(s, id, &sm, dec, err)) || !++k ||
        (*st = store_sample_abort(s, id, 1, SAMPLE_INTERRUPTED,
                                  "stopped while training, for the test",
                                  err)) || !++k ||
        (*st = store_sample_start(s, id, &sm, dec, err)) || !++k ||
        (*st = store_sample_finish(s, id, &sm, state1, sizeof state1, err)) ||
        !++k ||
        (*st = store_search_set_status(s, id, SEARCH_DONE, "finished", err)) ||
        !++k)
        goto out;
out:
    store_close(s);
    return k;
}

static size_t sample_curve_len(Store *s, int64_t id)
{
    StoreProgress *pts = NULL;
    size_t n = 0;
    NvError err;
    if (store_sample_curve(s, id, 0, &pts, &n, &err) != NV_OK)
        n = 0;
    free(pts);
    return n;
}

/* sample_state - what the file holds of sample idx: 0 absent, 1 running,
 * 2 interrupted, 3 done (with its result); -1 something half-written. */
static int sample_state(Store *s, int64_t id, int idx)
{
    StoreSample sm, want;
    StoreDecision dec[GENO_DECISIONS], wdec[GENO_DECISIONS];
    int n_dec = 0;
    NvError err;
    NvStatus st = store_sample_get(s, id, idx, &sm, dec, &n_dec, &err);
    if (st == NV_ERR_NOT_FOUND)
        return 0;
    if (st != NV_OK || n_dec != GENO_DECISIONS)
        return -1;
    fill_sample(&want, wdec, idx);
    if (strcmp(sm.genotype, want.genotype) || strcmp(sm.hash, want.hash) ||
        sm.log_prob != want.log_prob)
        return -1;
    for (int t = 0; t < GENO_DECISIONS; t++)
        if (dec[t].chosen != wdec[t].chosen ||
            memcmp(dec[t].probs, wdec[t].probs, sizeof dec[t].probs))
            return -1;
    switch (sm.status) {
    case SAMPLE_RUNNING:
        return 1;
    case SAMPLE_INTERRUPTED:
        return strcmp(sm.message, "stopped while training, for the test")
                   ? -1 : 2;
    case SAMPLE_DONE:
        return sm.reward == want.reward && sm.params == want.params &&
                       strcmp(sm.message, want.message) == 0
                   ? 3 : -1;
    default:
        return -1;
    }
}

/* store_check - the file after k steps succeeded: reopens, and holds the
 * effects of steps < k, maybe those of step k, none after. */
static void store_check(const char *p, int k, long n)
{
    Store *s = NULL;
    StoreSearch *rows = NULL;
    size_t nrows = 0;
    NvError err;
    NvStatus st = store_open(p, STORE_WRITE, &s, &err);
    CHECK(st == NV_OK, "allocation %ld: the file no longer opens: %s", n,
          err.msg);
    if (st != NV_OK)
        return;
    st = store_search_list(s, &rows, &nrows, &err);
    CHECK(st == NV_OK && nrows <= 1, "allocation %ld: %zu searches (%s)", n,
          nrows, err.msg);
    /* reached: the last step whose effect is in the file */
    int reached = W_OPEN;
    if (st == NV_OK && nrows == 1) {
        int64_t id = rows[0].id, after = -2;
        uint8_t *state = NULL;
        size_t len = 0;
        int s0 = sample_state(s, id, 0), s1 = sample_state(s, id, 1);
        int a = -9;
        NvStatus ls = store_state_load(s, id, &a, &state, &len, &err);
        if (ls == NV_OK)
            after = a;
        CHECK(ls == NV_OK || ls == NV_ERR_NOT_FOUND, "allocation %ld: %s", n,
              err.msg);
        CHECK(s0 >= 0 && s1 >= 0, "allocation %ld: half-written sample "
              "(%d %d)", n, s0, s1);
        reached = W_CREATE;
        if (after == -1 && len == 4 && !memcmp(state, "stat", 4))
            reached = W_STATE;
        if (s0 >= 1)
            reached = W_START0;
        if (s0 >= 1 && sample_curve_len(s, id) > 0)
            reached = W_PROGRESS0;
        if (s0 == 3 && s1 != 3) {
            CHECK(after == 0 && len == 8 && !memcmp(state, "state-0", 8) &&
                      rows[0].samples_done >= 1,
                  "allocation %ld: sample 0 finished without its snapshot "
                  "(after %lld)", n, (long long)after);
        }
        if (s0 == 3)
            reached = W_FINISH0;
        if (s1 == 1)
            reached = reached == W_FINISH0 ? W_START1 : -1;
        if (s1 == 2)
            reached = reached == W_FINISH0 ? W_ABORT1 : -1;
        if (s1 == 3) {
            CHECK(after == 1 && len == 8 && !memcmp(state, "state-1", 8) &&
                      rows[0].samples_done == 2 && rows[0].best_idx == 1,
                  "allocation %ld: sample 1 finished without its snapshot",
                  n);
            reached = reached == W_FINISH0 ? W_FINISH1 : -1;
        }
        if (rows[0].status == SEARCH_DONE)
            reached = reached == W_FINISH1 ? W_DONE : -1;
        free(state);
    }
    /* W_START1B's effect looks like W_START1's */
    int ok = reached == k - 1 || reached == k ||
             (reached == W_START1 && (k == W_START1B || k == W_START1B + 1));
    CHECK(ok, "allocation %ld: %d steps succeeded but the file shows step "
          "%d", n, k, reached);
    free(rows);
    store_close(s);
}

static long store_case(OomSource src)
{
    char p[300];
    long n, runs = 0;
    path_in(p, sizeof p, "store.db");
    for (n = 1;; n = oom_next(src, n), runs++) {
        NvError err;
        NvStatus st = NV_OK;
        nv_error_clear(&err);
        remove_db(p);
        oom_arm(src, n);
        int k = store_writes(p, &st, &err);
        oom_disarm();
        if (k < W_STEPS)
            expect_clean("store", n, st, &err);
        store_check(p, k, n);
        if (!oom_hit()) {
            CHECK(k == W_STEPS, "store without failure: %s", err.msg);
            break;
        }
    }
    remove_db(p);
    return runs + 1;
}

/* ---- (c) the search loop ---------------------------------------------------- */

static SearchConfig tiny_search(void)
{
    NvError err;
    SearchConfig c = search_config_default(STRATEGY_RL, 7);
    snprintf(c.name, sizeof c.name, "oom");
    c.train = tiny_train();
    c.budget = 2;
    snprintf(c.dataset, sizeof c.dataset, "%s/ds", dir);
    c.train_size = 8;
    c.val_size = 4;
    CHECK(strategy_config_set(&c.strategy, "ppo_batch", "2", &err) == NV_OK,
          "ppo_batch: %s", err.msg);
    CHECK(strategy_config_set(&c.strategy, "lstm_hidden", "8", &err) ==
              NV_OK, "lstm_hidden: %s", err.msg);
    return c;
}

/* The rewards of an undisturbed search, and what a run is compared with. */
typedef struct {
    int n;
    double reward[2];
    char hash[2][17];
} SearchResult;

static int search_result(Store *s, int64_t id, SearchResult *r, NvError *err)
{
    StoreSample *rows = NULL;
    size_t n = 0;
    if (store_samples(s, id, NULL, &rows, &n, err) != NV_OK)
        return -1;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < n && i < 2; i++) {
        r->reward[i] = rows[i].reward;
        memcpy(r->hash[i], rows[i].hash, sizeof r->hash[i]);
    }
    r->n = (int)n;
    free(rows);
    return 0;
}

/* search_check - after a search that returned st: whole rows only, and
 * the search (resumed when it failed) ends with the reference result. */
static void search_check(const char *p, const char *name, NvStatus st,
                         long n, const SearchResult *ref)
{
    Store *s = NULL;
    StoreSearch row;
    StoreSample *rows = NULL;
    size_t nrows = 0;
    SearchResult got;
    NvError err;
    NvStatus r = store_open(p, STORE_WRITE, &s, &err);
    CHECK(r == NV_OK, "search, allocation %ld: the file no longer opens: %s",
          n, err.msg);
    if (r != NV_OK)
        return;
    r = store_search_find(s, name, &row, &err);
    if (r == NV_ERR_NOT_FOUND) {
        CHECK(st != NV_OK, "search, allocation %ld: NV_OK without a search",
              n);
        store_close(s);
        return;
    }
    CHECK(r == NV_OK, "search, allocation %ld: %s", n, err.msg);
    if (r != NV_OK) {
        store_close(s);
        return;
    }
    if (st == NV_OK)
        CHECK(row.status == SEARCH_DONE, "search, allocation %ld: NV_OK but "
              "status %s", n, store_search_status_name(row.status));
    else
        CHECK(row.status == SEARCH_FAILED || row.status == SEARCH_RUNNING,
              "search, allocation %ld: failed but status %s", n,
              store_search_status_name(row.status));
    /* every sample whole; the snapshot is right after the last finished */
    int last_finished = -1;
    if (store_samples(s, row.id, NULL, &rows, &nrows, &err) == NV_OK) {
        for (size_t i = 0; i < nrows; i++) {
            StoreSample one;
            StoreDecision dec[GENO_DECISIONS];
            int n_dec = 0;
            CHECK(store_sample_get(s, row.id, rows[i].idx, &one, dec, &n_dec,
                                   &err) == NV_OK &&
                      n_dec == GENO_DECISIONS,
                  "search, allocation %ld: sample %d has %d decisions", n,
                  rows[i].idx, n_dec);
            if (rows[i].status == SAMPLE_DONE ||
                rows[i].status == SAMPLE_DIVERGED ||
                rows[i].status == SAMPLE_DUPLICATE)
                last_finished = rows[i].idx;
            else
                CHECK(rows[i].status != SAMPLE_RUNNING ||
                          row.status == SEARCH_RUNNING,
                      "search, allocation %ld: sample %d still running in "
                      "a %s search", n, rows[i].idx,
                      store_search_status_name(row.status));
        }
    }
    free(rows);
    int has_state;
    {
        uint8_t *state = NULL;
        size_t len = 0;
        int after = -9;
        NvStatus ls = store_state_load(s, row.id, &after, &state, &len, &err);
        has_state = ls == NV_OK;
        /* snapshots are taken at batch boundaries (search_batch.c): the
         * last one is at or before the last finished sample */
        CHECK((ls == NV_OK && after >= -1 && after <= last_finished) ||
                  (ls == NV_ERR_NOT_FOUND && last_finished == -1 &&
                   nrows == 0),
              "search, allocation %ld: snapshot after %d, last finished "
              "sample %d (%s)", n, after, last_finished,
              ls == NV_OK ? "" : err.msg);
        free(state);
    }
    /* A failed search resumes to the undisturbed result (one still marked
     * running, because even that write failed, would need a new process). */
    if (row.status == SEARCH_FAILED) {
        SearchHooks hooks = { .workers = 1 }; /* in this process */
        r = search_resume(s, name, &hooks, -1, NULL, &err);
        CHECK(r == NV_OK || (!has_state && strstr(err.msg, "cannot resume")),
              "search, allocation %ld: resume: %s", n, err.msg);
        if (r != NV_OK) {
            store_close(s);
            return;
        }
    }
    if (row.status != SEARCH_RUNNING) {
        CHECK(search_result(s, row.id, &got, &err) == 0 && got.n == 2 &&
                  memcmp(&got, ref, sizeof got) == 0,
              "search, allocation %ld: result differs from the undisturbed "
              "run (%d samples, %g %g vs %g %g)", n, got.n, got.reward[0],
              got.reward[1], ref->reward[0], ref->reward[1]);
    }
    store_close(s);
}

/* Each run is a new search in a copy of an empty database (creating the
 * schema every time would dominate; the store case covers that). */
static long search_case(OomSource src)
{
    char p[300];
    SearchConfig c = tiny_search();
    SearchHooks hooks = { .workers = 1 }; /* in this process */
    SearchResult ref;
    Store *s = NULL;
    NvError err;
    int64_t id = 0;
    long n, runs = 0;

    char empty[300];
    path_in(p, sizeof p, "search.db");
    path_in(empty, sizeof empty, "empty.db");
    remove_db(empty);
    CHECK(store_open(empty, STORE_WRITE, &s, &err) == NV_OK, "%s", err.msg);
    store_close(s);
    s = NULL;
    remove_db(p);
    CHECK(store_open(p, STORE_WRITE, &s, &err) == NV_OK &&
              search_run(s, &c, &hooks, &id, &err) == NV_OK &&
              search_result(s, id, &ref, &err) == 0 && ref.n == 2,
          "the undisturbed search: %s", err.msg);
    store_close(s);
    for (n = 1;; n = oom_next(src, n), runs++) {
        NvStatus st;
        nv_error_clear(&err);
        remove_db(p);
        s = NULL;
        if (copy_file(empty, p) || store_open(p, STORE_WRITE, &s, &err)) {
            CHECK(0, "search: cannot open %s: %s", p, err.msg);
            break;
        }
        oom_arm(src, n);
        st = search_run(s, &c, &hooks, NULL, &err);
        oom_disarm();
        store_close(s);
        if (st != NV_OK)
            expect_clean("search", n, st, &err);
        search_check(p, c.name, st, n, &ref);
        if (!oom_hit()) {
            CHECK(st == NV_OK, "search without failure: %s", err.msg);
            break;
        }
    }
    remove_db(p);
    remove_db(empty);
    return runs + 1;
}

static void report(const char *what, int src, long runs)
{
    long every = src == OOM_SQLITE ? oom_stride : 1;
    printf("%s: %ld runs, failing %s allocation 1, %ld, %ld, ...\n", what,
           runs, oom_source_name(src), 1 + every, 1 + 2 * every);
}

int main(void)
{
    NvError err;
    char ds[300];
    Dataset *full = NULL, *train = NULL, *val = NULL;

    const char *stride = getenv("NASVIEW_OOM_STRIDE");
    if (stride && atol(stride) > 0)
        oom_stride = atol(stride);
    if (store_fault_install(oom_sqlite_refuses, &err) != NV_OK) {
        fprintf(stderr, "test_oom: %s\n", err.msg);
        return 1;
    }
    /* thousands of small databases: memory, not a disk, when there is one */
    const char *tmp = getenv("TMPDIR");
    if (!tmp)
        tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/nasview-oom-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(ds, sizeof ds, "%s/ds", dir);
    CHECK(mkdir(ds, 0700) == 0, "mkdir %s", ds);
    write_idx_pair("train", 16);
    write_idx_pair("t10k", 4);

    CHECK(dataset_load(ds, DATASET_TRAIN, &full, &err) == NV_OK &&
              dataset_split(full, 8, 4, 1, &train, &val, &err) == NV_OK,
          "the tiny dataset: %s", err.msg);
    dataset_free(full);
    if (check_failures)
        return check_exit("test_oom");

    for (int src = OOM_NASVIEW; src <= OOM_SQLITE; src++) {
        if (src == OOM_NASVIEW)
        {
            report("child network", src, train_case(src, 1, train, val));
            report("child network, 2 threads", src,
                   train_case(src, 2, train, val));
            for (int k = STRATEGY_RL; k <= STRATEGY_EVOLUTION; k++) {
                char what[64];
                snprintf(what, sizeof what, "strategy %s",
                         strategy_kind_name((StrategyKind)k));
                report(what, src, strategy_case((StrategyKind)k));
            }
        }
        report("store", src, store_case(src));
        report("search loop", src, search_case(src));
    }
    dataset_free(train);
    dataset_free(val);
    {
        char p[320];
        const char *names[] = { "train-images-idx3-ubyte",
                                "train-labels-idx1-ubyte",
                                "t10k-images-idx3-ubyte",
                                "t10k-labels-idx1-ubyte" };
        for (int i = 0; i < 4; i++) {
            snprintf(p, sizeof p, "%s/%s", ds, names[i]);
            unlink(p);
        }
        rmdir(ds);
        rmdir(dir);
    }
    return check_exit("test_oom");
}
