/* test_store.c - the store on real files: schema and migrations, a search
 * written and read back (decisions, probabilities, curve, live progress,
 * paging, duplicates, snapshots), read-only refusal to write, stale
 * searches of a vanished process, and hostile files (not SQLite, another
 * program's database, newer schema, damaged) refused and left unchanged;
 * fidelity panels written and read back. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store/store.h"
#include "store/store_fidelity.h"
#include "store/store_sql.h"

static char dir[256];

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static long file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *slurp(const char *p, long *n)
{
    FILE *f = fopen(p, "rb");
    unsigned char *b;
    *n = file_size(p);
    if (!f || *n < 0)
        return NULL;
    b = malloc((size_t)*n + 1);
    if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static void spit(const char *p, const unsigned char *b, long n)
{
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL, "cannot write %s", p);
    if (!f)
        return;
    CHECK(fwrite(b, 1, (size_t)n, f) == (size_t)n, "short write %s", p);
    fclose(f);
}

/* expect_refused - opening p in both modes fails with NV_ERR_DB whose
 * message holds `why`, and the file's bytes stay the same. */
static void expect_refused(const char *p, const char *why)
{
    long n0, n1;
    unsigned char *before = slurp(p, &n0), *after;
    for (int mode = 0; mode < 2; mode++) {
        Store *s = NULL;
        NvError err;
        nv_error_clear(&err);
        NvStatus st = store_open(p, (StoreMode)mode, &s, &err);
        CHECK(st == NV_ERR_DB, "%s mode %d: status %d (%s)", p, mode, st,
              err.msg);
        CHECK(strstr(err.msg, why) != NULL, "%s: message '%s' lacks '%s'", p,
              err.msg, why);
        CHECK(s == NULL, "no store on failure");
        store_close(s);
    }
    after = slurp(p, &n1);
    CHECK(before && after && n0 == n1 && memcmp(before, after, (size_t)n0) == 0,
          "%s changed", p);
    free(before);
    free(after);
}

static void fill_search(StoreSearch *in, const char *name)
{
    memset(in, 0, sizeof *in);
    snprintf(in->name, sizeof in->name, "%s", name);
    snprintf(in->strategy, sizeof in->strategy, "random");
    in->seed = 7;
    in->budget = 10;
    snprintf(in->dataset, sizeof in->dataset, "fashion-mnist");
    in->F = 8;
    in->N = 1;
    in->epochs = 1;
    in->batch = 64;
    in->threads = 1;
    in->train_size = 1000;
    in->val_size = 500;
    in->lr = 0.05;
    snprintf(in->settings, sizeof in->settings,
             "{\"strategy_params\":{\"population\":20,\"update\":\"ppo\"}}");
}

/* add_sample - sample idx with a random genotype and uniform probs. */
static void add_sample(Store *s, int64_t id, int idx, Rng *rng, double reward,
                       SampleStatus status)
{
    Genotype g;
    StoreSample sm;
    StoreDecision dec[GENO_DECISIONS];
    int d[GENO_DECISIONS];
    NvError err;
    uint8_t state[3] = { 1, 2, (uint8_t)idx };

    geno_sample_uniform(&g, rng);
    geno_canonicalize(&g);
    geno_to_decisions(&g, d);
    memset(&sm, 0, sizeof sm);
    sm.idx = idx;
    geno_format(&g, sm.genotype, sizeof sm.genotype);
    geno_hash_hex(&g, sm.hash);
    sm.log_prob = -10.0;
    sm.entropy = 5.0;
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int k = geno_decision_support(t);
        memset(&dec[t], 0, sizeof dec[t]);
        dec[t].chosen = d[t];
        for (int v = 0; v < k; v++)
            dec[t].probs[v] = 1.0f / (float)k;
    }
    CHECK(store_sample_start(s, id, &sm, dec, &err) == NV_OK, "start: %s",
          err.msg);
    StoreProgress p = { idx, 0, 1, 5, 10, 1.5, 0.4, 100, 1, 1, 0, 0, 0 };
    CHECK(store_progress_write(s, id, &p, &err) == NV_OK, "progress: %s",
          err.msg);
    p.step = 10;
    p.loss = 1.0;
    p.epoch_end = 1;
    CHECK(store_progress_write(s, id, &p, &err) == NV_OK, "progress: %s",
          err.msg);
    sm.status = status;
    sm.reward = reward;
    sm.train_loss = 1.0;
    sm.params = 1000 + idx;
    sm.mult_adds = 5000;
    sm.seconds = 2.5;
    sm.duplicate_of = -1;
    CHECK(store_sample_finish(s, id, &sm, state, sizeof state, &err) == NV_OK,
          "finish: %s", err.msg);
}

static void test_scripts(void)
{
    CHECK(store_sql_count >= 2, "schema plus at least one migration");
    CHECK(store_sql_scripts[0].version == 1, "schema.sql is version 1");
    for (int i = 1; i < store_sql_count; i++)
        CHECK(store_sql_scripts[i].version > store_sql_scripts[i - 1].version,
              "migrations in order at %d", i);
    CHECK(STORE_SCHEMA_VERSION == 10, "schema version %d: a migration added "
          "or lost? (update this, the man page and store_files.sh)",
          STORE_SCHEMA_VERSION);
}

static void test_roundtrip(void)
{
    char p[512];
    Store *w = NULL, *r = NULL;
    NvError err;
    StoreSearch in, got, *list = NULL;
    size_t n = 0;
    int64_t id = 0;
    Rng rng;
    uint64_t c0 = 0, c1 = 0;

    path_in(p, sizeof p, "a.db");
    nv_error_clear(&err);
    CHECK(store_open(p, STORE_READ, &r, &err) == NV_ERR_NOT_FOUND,
          "reader of a missing file: %s", err.msg);
    CHECK(file_size(p) < 0, "a reader does not create the file");

    CHECK(store_open(p, STORE_WRITE, &w, &err) == NV_OK, "create: %s", err.msg);
    CHECK(store_open(p, STORE_READ, &r, &err) == NV_OK, "read: %s", err.msg);
    if (!w || !r) {
        store_close(w);
        store_close(r);
        return;
    }
    fill_search(&in, "random-7");
    in.bn_recalibrate = 1;
    CHECK(store_search_create(w, &in, &id, &err) == NV_OK, "create search: %s",
          err.msg);
    CHECK(store_search_create(w, &in, &id, &err) == NV_ERR_USAGE &&
              strstr(err.msg, "exists already"),
          "duplicate name refused: %s", err.msg);
    CHECK(store_search_create(r, &in, &id, &err) == NV_ERR_USAGE,
          "reader cannot write");
    CHECK(store_changes(r, &c0, &err) == NV_OK, "changes: %s", err.msg);

    rng_seed(&rng, 3, 0);
    add_sample(w, id, 0, &rng, 0.5, SAMPLE_DONE);
    add_sample(w, id, 1, &rng, 0.8, SAMPLE_DONE);
    add_sample(w, id, 2, &rng, 0.0, SAMPLE_DIVERGED);
    add_sample(w, id, 3, &rng, 0.8, SAMPLE_DONE);
    add_sample(w, id, 4, &rng, 0.6, SAMPLE_DONE);
    CHECK(store_changes(r, &c1, &err) == NV_OK && c1 != c0,
          "change counter moved after writes");
    CHECK(store_changes(r, &c0, &err) == NV_OK && c1 == c0,
          "change counter still without writes");

    CHECK(store_search_list(r, &list, &n, &err) == NV_OK && n == 1,
          "list: %zu %s", n, err.msg);
    if (n == 1) {
        CHECK(strcmp(list[0].name, "random-7") == 0, "name");
        CHECK(list[0].samples_done == 5, "done %d", list[0].samples_done);
        CHECK(fabs(list[0].best_reward - 0.8) < 1e-9 && list[0].best_idx == 1,
              "best %g at %d (ties keep the earliest)", list[0].best_reward,
              list[0].best_idx);
        CHECK(list[0].status == SEARCH_RUNNING, "running (our pid lives)");
        CHECK(list[0].F == 8 && list[0].train_size == 1000 && list[0].seed == 7,
              "settings back");
        CHECK(list[0].bn_recalibrate == 1, "bn_recalibrate back: %d",
              list[0].bn_recalibrate);
        CHECK(strcmp(list[0].reward_kind, "standalone") == 0 &&
                  list[0].ws_steps == 0 && list[0].ws_samples == 0,
              "a search is stand-alone unless told: '%s'",
              list[0].reward_kind);
    }
    free(list);
    /* the shared-weight checkpoint: none yet, then replaced as a whole */
    {
        uint8_t *b = NULL;
        size_t bl = 0;
        int rounds = -1;
        static const uint8_t one[3] = { 1, 2, 3 }, two[2] = { 9, 8 };
        CHECK(store_shared_load(r, id, &rounds, &b, &bl, &err) ==
                      NV_ERR_NOT_FOUND && !b,
              "no checkpoint yet");
        CHECK(store_shared_save(r, id, 1, one, 3, &err) == NV_ERR_USAGE,
              "reader cannot checkpoint");
        CHECK(store_shared_save(w, id, 1, one, 3, &err) == NV_OK &&
                  store_shared_save(w, id, 2, two, 2, &err) == NV_OK,
              "checkpoint: %s", err.msg);
        CHECK(store_shared_load(r, id, &rounds, &b, &bl, &err) == NV_OK &&
                  rounds == 2 && bl == 2 && memcmp(b, two, 2) == 0,
              "checkpoint back: %s", err.msg);
        free(b);
    }
    CHECK(store_search_find(r, "random-7", &got, &err) == NV_OK &&
              got.id == id, "find by name");
    CHECK(store_search_find(r, "1", &got, &err) == NV_OK && got.id == id,
          "find by id");
    CHECK(store_search_find(r, "nope", &got, &err) == NV_ERR_NOT_FOUND &&
              strstr(err.msg, "nope"), "unknown: %s", err.msg);

    /* Paging by reward, descending, two rows a page: 1, 3, 4, 0, 2. */
    {
        static const int want[] = { 1, 3, 4, 0, 2 };
        StoreSample last, *page;
        StoreSampleQuery q = { STORE_ORDER_REWARD, 1, 2, NULL };
        int seen = 0;
        for (;;) {
            CHECK(store_samples(r, id, &q, &page, &n, &err) == NV_OK, "page: %s",
                  err.msg);
            for (size_t i = 0; i < n && seen < 5; i++, seen++)
                CHECK(page[i].idx == want[seen], "row %d is idx %d, want %d",
                      seen, page[i].idx, want[seen]);
            if (n == 0) {
                free(page);
                break;
            }
            last = page[n - 1];
            q.after = &last;
            free(page);
        }
        CHECK(seen == 5, "paged through %d rows", seen);
        StoreSampleQuery after2 = { STORE_ORDER_IDX, 0, 0, NULL };
        StoreSample s2;
        s2.idx = 2;
        after2.after = &s2;
        CHECK(store_samples(r, id, &after2, &page, &n, &err) == NV_OK &&
                  n == 2 && page[0].idx == 3 && page[1].idx == 4,
              "rows after idx 2");
        free(page);
        StoreSampleQuery byp = { STORE_ORDER_PARAMS, 1, 1, NULL };
        CHECK(store_samples(r, id, &byp, &page, &n, &err) == NV_OK && n == 1 &&
                  page[0].params == 1004, "largest network first");
        free(page);
    }

    /* One sample in full. */
    {
        StoreSample sm;
        StoreDecision dec[GENO_DECISIONS];
        int nd = 0;
        StoreProgress *curve = NULL;
        Genotype g;
        CHECK(store_sample_get(r, id, 1, &sm, dec, &nd, &err) == NV_OK,
              "sample: %s", err.msg);
        CHECK(nd == GENO_DECISIONS, "%d decisions", nd);
        CHECK(sm.status == SAMPLE_DONE && fabs(sm.reward - 0.8) < 1e-9,
              "result back");
        CHECK(geno_parse(sm.genotype, &g, &err) == NV_OK, "genotype parses");
        for (int t = 0; t < nd; t++) {
            double sum = 0;
            for (int v = 0; v < dec[t].support; v++)
                sum += dec[t].probs[v];
            CHECK(fabs(sum - 1.0) < 1e-5, "decision %d sums to %g", t, sum);
            CHECK(dec[t].step == t, "step order");
        }
        CHECK(store_sample_curve(r, id, 1, &curve, &n, &err) == NV_OK &&
                  n == 2 && curve[1].epoch_end == 1 && curve[0].step == 5,
              "curve of 2 points");
        free(curve);
        CHECK(store_sample_get(r, id, 99, &sm, NULL, NULL, &err) ==
                  NV_ERR_NOT_FOUND, "no sample 99");
    }

    /* Live progress only while a child runs; duplicates; snapshots. */
    {
        StoreProgress live;
        int found = 1, after = -2;
        StoreSample prev;
        uint8_t *state = NULL;
        size_t len = 0;
        CHECK(store_progress_live(r, id, &live, &found, &err) == NV_OK &&
                  !found, "no child in flight");
        CHECK(store_sample_get(r, id, 3, &prev, NULL, NULL, &err) == NV_OK,
              "sample 3");
        CHECK(store_find_trained(r, id, prev.hash, &prev, &found, &err) ==
                      NV_OK &&
                  found && prev.idx == 3, "trained sample by hash");
        CHECK(store_state_load(r, id, &after, &state, &len, &err) == NV_OK &&
                  after == 4 && len == 3 && state[2] == 4,
              "newest snapshot after sample 4");
        free(state);
    }

    /* Reader sees the interrupted child; a retry replaces it. */
    {
        StoreSample sm;
        StoreProgress live;
        int found = 0;
        Rng again = rng;
        add_sample(w, id, 5, &rng, 0.1, SAMPLE_DONE);
        CHECK(store_sample_get(r, id, 5, &sm, NULL, NULL, &err) == NV_OK,
              "sample 5");
        /* A started but unfinished attempt at 6 */
        rng = again;
        Genotype g;
        geno_sample_uniform(&g, &rng);
        StoreDecision dec[GENO_DECISIONS];
        int d[GENO_DECISIONS];
        geno_to_decisions(&g, d);
        memset(dec, 0, sizeof dec);
        for (int t = 0; t < GENO_DECISIONS; t++) {
            dec[t].chosen = d[t];
            dec[t].probs[d[t]] = 1.0f;
        }
        memset(&sm, 0, sizeof sm);
        sm.idx = 6;
        geno_format(&g, sm.genotype, sizeof sm.genotype);
        geno_hash_hex(&g, sm.hash);
        CHECK(store_sample_start(w, id, &sm, dec, &err) == NV_OK, "start 6");
        StoreProgress pr = { 6, 0, 1, 3, 10, 2.0, 0.1, 100, 1, 2, 0, 0, 0 };
        CHECK(store_progress_write(w, id, &pr, &err) == NV_OK, "progress 6");
        CHECK(store_progress_live(r, id, &live, &found, &err) == NV_OK &&
                  found && live.sample_idx == 6 && live.step == 3,
              "live progress of the child in flight");
        {
            /* Two children in flight: one line each, newest point, by idx */
            StoreSample s7 = sm;
            StoreProgress kids[4];
            int nk = -1;
            s7.idx = 7;
            CHECK(store_sample_start(w, id, &s7, dec, &err) == NV_OK,
                  "start 7");
            StoreProgress p7 = { 7, 0, 1, 1, 10, 2.5, 0.1, 100, 1, 2, 0, 0, 0 };
            CHECK(store_progress_write(w, id, &p7, &err) == NV_OK, "progress 7");
            pr.step = 4;
            CHECK(store_progress_write(w, id, &pr, &err) == NV_OK, "progress 6");
            CHECK(store_progress_children(r, id, kids, 4, &nk, &err) == NV_OK &&
                      nk == 2 && kids[0].sample_idx == 6 &&
                      kids[0].step == 4 && kids[1].sample_idx == 7 &&
                      kids[1].step == 1,
                  "progress of both children in flight: %d", nk);
            CHECK(store_progress_children(r, id, kids, 1, &nk, &err) == NV_OK &&
                      nk == 1 && kids[0].sample_idx == 6,
                  "at most cap children");
            CHECK(store_sample_abort(w, id, 7, SAMPLE_INTERRUPTED, "stopped",
                                     &err) == NV_OK, "abort 7");
            CHECK(store_progress_children(r, id, kids, 4, &nk, &err) == NV_OK &&
                      nk == 1 && kids[0].sample_idx == 6,
                  "a finished child has no line");
            StoreSearch row;
            CHECK(store_search_get(r, id, &row, &err) == NV_OK &&
                      row.workers == 1, "one worker by default");
            CHECK(store_search_set_workers(w, id, 3, &err) == NV_OK &&
                      store_search_get(r, id, &row, &err) == NV_OK &&
                      row.workers == 3, "workers recorded");
            CHECK(store_search_set_workers(r, id, 3, &err) != NV_OK,
                  "workers: a read-only store refuses");
            CHECK(store_search_set_workers(w, id, 0, &err) == NV_ERR_USAGE,
                  "0 workers refused");
        }
        CHECK(store_sample_abort(w, id, 6, SAMPLE_INTERRUPTED, "stopped",
                                 &err) == NV_OK, "abort");
        CHECK(store_sample_start(w, id, &sm, dec, &err) == NV_OK,
              "retry replaces the interrupted attempt: %s", err.msg);
        StoreProgress *curve;
        CHECK(store_sample_curve(r, id, 6, &curve, &n, &err) == NV_OK && n == 0,
              "old attempt's progress went with it");
        free(curve);
        CHECK(store_sample_start(w, id, &sm, dec, &err) == NV_OK,
              "restart of a running sample");
        sm.idx = 5;
        CHECK(store_sample_start(w, id, &sm, dec, &err) == NV_ERR_DB,
              "a finished sample is never replaced");
        CHECK(store_search_set_status(w, id, SEARCH_INTERRUPTED, "signal",
                                      &err) == NV_OK, "interrupt");
        CHECK(store_sample_get(r, id, 6, &sm, NULL, NULL, &err) == NV_OK &&
                  sm.status == SAMPLE_INTERRUPTED, "running sample interrupted");
        CHECK(store_search_get(r, id, &got, &err) == NV_OK &&
                  got.status == SEARCH_INTERRUPTED && got.finished > 0 &&
                  strcmp(got.message, "signal") == 0, "search interrupted");
        CHECK(store_search_claim(w, id, 0, &err) == NV_OK, "claim: %s", err.msg);
        CHECK(store_search_get(r, id, &got, &err) == NV_OK &&
                  got.status == SEARCH_RUNNING && got.finished == 0,
              "claimed search runs");
    }
    store_close(w);
    store_close(r);
}

static NvStatus count_param(const char *name, const char *value, void *ctx,
                            NvError *err)
{
    int *k = ctx;
    if ((*k == 0 && strcmp(name, "population") == 0 &&
         strcmp(value, "20") == 0) ||
        (*k == 1 && strcmp(name, "update") == 0 && strcmp(value, "ppo") == 0))
        (*k)++;
    else
        return nv_error_set(err, NV_ERR_USAGE, "unexpected %s=%s", name, value);
    return NV_OK;
}

static void test_params(void)
{
    char p[512];
    Store *r = NULL;
    NvError err;
    int k = 0;
    path_in(p, sizeof p, "a.db");
    CHECK(store_open(p, STORE_READ, &r, &err) == NV_OK, "open: %s", err.msg);
    if (!r)
        return;
    CHECK(store_search_params(r, 1, count_param, &k, &err) == NV_OK && k == 2,
          "strategy params in order: %d %s", k, err.msg);
    store_close(r);
}

/* A search whose process died shows as stale to readers and becomes
 * interrupted when a writer opens the file. */
static void test_stale(void)
{
    char p[512];
    Store *s = NULL;
    NvError err;
    StoreSearch got;
    pid_t pid;
    int wst;

    path_in(p, sizeof p, "stale.db");
    pid = fork();
    if (pid == 0) {
        StoreSearch in;
        int64_t id;
        Rng rng;
        Store *w = NULL;
        fill_search(&in, "doomed");
        if (store_open(p, STORE_WRITE, &w, &err) ||
            store_search_create(w, &in, &id, &err))
            _exit(1);
        rng_seed(&rng, 1, 0);
        add_sample(w, id, 0, &rng, 0.5, SAMPLE_DONE);
        _exit(0); /* dies without a word, like kill -9 */
    }
    CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) &&
              WEXITSTATUS(wst) == 0, "child wrote its search");
    CHECK(store_open(p, STORE_READ, &s, &err) == NV_OK, "read: %s", err.msg);
    if (s) {
        CHECK(store_search_find(s, "doomed", &got, &err) == NV_OK &&
                  got.status == SEARCH_STALE && strstr(got.message, "vanished"),
              "stale to a reader: %d %s", got.status, got.message);
        store_close(s);
    }
    CHECK(store_open(p, STORE_WRITE, &s, &err) == NV_OK, "write: %s", err.msg);
    if (s) {
        CHECK(store_search_find(s, "doomed", &got, &err) == NV_OK &&
                  got.status == SEARCH_INTERRUPTED && got.finished > 0,
              "interrupted after a writer opened");
        store_close(s);
    }
}

/* Three processes creating the same new file at the same moment: one
 * creates the schema, none fails or takes it for a foreign file. */
static void test_concurrent_create(void)
{
    for (int round = 0; round < 12; round++) {
        char p[512];
        pid_t pids[3];
        int gate[2];
        snprintf(p, sizeof p, "%s/race%d.db", dir, round);
        CHECK(pipe(gate) == 0, "pipe");
        for (int k = 0; k < 3; k++) {
            pids[k] = fork();
            if (pids[k] == 0) {
                Store *w = NULL;
                StoreSearch in;
                NvError err;
                int64_t id;
                char name[32], go;
                close(gate[1]);
                /* All three start when the parent closes the gate. */
                if (read(gate[0], &go, 1) < 0)
                    _exit(2);
                snprintf(name, sizeof name, "racer-%d", k);
                fill_search(&in, name);
                if (store_open(p, STORE_WRITE, &w, &err) ||
                    store_search_create(w, &in, &id, &err)) {
                    fprintf(stderr, "racer %d: %s\n", k, err.msg);
                    _exit(1);
                }
                store_close(w);
                _exit(0);
            }
        }
        close(gate[0]);
        close(gate[1]);
        for (int k = 0; k < 3; k++) {
            int wst = 0;
            CHECK(waitpid(pids[k], &wst, 0) == pids[k] && WIFEXITED(wst) &&
                      WEXITSTATUS(wst) == 0,
                  "round %d: racer %d failed", round, k);
        }
        Store *r = NULL;
        NvError err;
        StoreSearch *list = NULL;
        size_t n = 0;
        CHECK(store_open(p, STORE_READ, &r, &err) == NV_OK &&
                  store_search_list(r, &list, &n, &err) == NV_OK && n == 3,
              "round %d: three searches (%zu) %s", round, n, err.msg);
        free(list);
        store_close(r);
    }
}

static void test_hostile(void)
{
    char p[512], good[512];
    unsigned char *b;
    long n;

    path_in(p, sizeof p, "text.db");
    spit(p, (const unsigned char *)"hello, I am a text file\n", 24);
    expect_refused(p, "not an SQLite database");

    path_in(p, sizeof p, "random.db");
    {
        unsigned char junk[8192];
        Rng rng;
        rng_seed(&rng, 9, 0);
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (unsigned char)rng_next(&rng);
        spit(p, junk, sizeof junk);
    }
    expect_refused(p, "not an SQLite database");

    path_in(good, sizeof good, "a.db");
    {
        /* The last writer to close checkpoints the WAL into the file. */
        Store *s = NULL;
        NvError err;
        CHECK(store_open(good, STORE_WRITE, &s, &err) == NV_OK, "%s", err.msg);
        store_close(s);
    }
    b = slurp(good, &n);
    CHECK(b && n > 4096, "a.db readable (%ld bytes)", n);
    if (!b)
        return;
    /* Header offsets: user_version at 60, application_id at 68 (big
     * endian). */
    path_in(p, sizeof p, "newer.db");
    b[63] = 99;
    spit(p, b, n);
    expect_refused(p, "newer");
    b[63] = STORE_SCHEMA_VERSION;

    path_in(p, sizeof p, "other.db");
    b[68] = 'X';
    spit(p, b, n);
    expect_refused(p, "another program");
    b[68] = 'N';

    /* A damaged b-tree page: page 2 onwards overwritten with a pattern. */
    path_in(p, sizeof p, "damaged.db");
    for (long i = 4096 + 8; i < 4096 + 200 && i < n; i++)
        b[i] = 0xA5;
    spit(p, b, n);
    expect_refused(p, "damaged");

    /* Truncated after the first page: the other pages are missing. */
    path_in(p, sizeof p, "half.db");
    b[4096 + 8] = b[8]; /* any bytes: only the first page is kept */
    spit(p, b, 4096);
    expect_refused(p, "damaged");

    /* Truncated in the middle of the first page. */
    path_in(p, sizeof p, "short.db");
    spit(p, b, 50);
    expect_refused(p, "damaged");
    free(b);

    /* An empty file is a new database to a writer, nothing to a reader. */
    path_in(p, sizeof p, "empty.db");
    spit(p, (const unsigned char *)"", 0);
    {
        Store *s = NULL;
        NvError err;
        CHECK(store_open(p, STORE_READ, &s, &err) == NV_ERR_NOT_FOUND,
              "empty file to a reader: %s", err.msg);
        CHECK(file_size(p) == 0, "reader left the empty file alone");
        CHECK(store_open(p, STORE_WRITE, &s, &err) == NV_OK, "writer: %s",
              err.msg);
        store_close(s);
    }
}

/* A fidelity panel: members, levels and results appended and read back;
 * names unique; a replaced result; a reader cannot write. */
static void test_panel(void)
{
    char p[512];
    Store *w = NULL, *r = NULL;
    NvError err;
    int64_t id = 0, id2 = 0;
    int idx = -1;
    path_in(p, sizeof p, "panel.db");
    CHECK(store_open(p, STORE_WRITE, &w, &err) == NV_OK, "open: %s", err.msg);
    if (!w)
        return;
    CHECK(store_panel_create(w, "p1", 7, &id, &err) == NV_OK, "%s", err.msg);
    CHECK(store_panel_create(w, "p1", 8, &id2, &err) == NV_ERR_USAGE,
          "a panel name is unique");
    CHECK(store_panel_create(w, "12", 8, &id2, &err) == NV_ERR_USAGE,
          "digits alone are no name");
    StorePanelMember m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 3; i++) {
        snprintf(m.source, sizeof m.source, "random:%d", i);
        snprintf(m.genotype, sizeof m.genotype, "g%d", i);
        snprintf(m.hash, sizeof m.hash, "%016x", i);
        CHECK(store_panel_add_member(w, id, &m, &idx, &err) == NV_OK &&
                  idx == i,
              "member %d at %d: %s", i, idx, err.msg);
    }
    StorePanelLevel l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "full");
    snprintf(l.score, sizeof l.score, "val_acc");
    snprintf(l.spec, sizeof l.spec, "train=10");
    CHECK(store_panel_add_level(w, id, &l, &idx, &err) == NV_OK && idx == 0,
          "level 0: %s", err.msg);
    CHECK(store_panel_add_level(w, id, &l, &idx, &err) == NV_ERR_USAGE,
          "a level name is unique in a panel");
    snprintf(l.name, sizeof l.name, "naswot");
    snprintf(l.score, sizeof l.score, "naswot");
    CHECK(store_panel_add_level(w, id, &l, &idx, &err) == NV_OK && idx == 1,
          "level 1: %s", err.msg);
    StorePanelResult res;
    memset(&res, 0, sizeof res);
    res.member_idx = 2;
    res.level_idx = 1;
    snprintf(res.status, sizeof res.status, "done");
    res.score = -INFINITY;
    res.seconds = 0.5;
    res.params = 10;
    res.mult_adds = -1;
    CHECK(store_panel_put_result(w, id, &res, &err) == NV_OK, "%s", err.msg);
    res.member_idx = 0;
    res.level_idx = 0;
    res.score = 0.25;
    CHECK(store_panel_put_result(w, id, &res, &err) == NV_OK, "%s", err.msg);
    res.score = 0.5; /* replaces */
    CHECK(store_panel_put_result(w, id, &res, &err) == NV_OK, "%s", err.msg);
    store_close(w);

    CHECK(store_open(p, STORE_READ, &r, &err) == NV_OK, "read: %s", err.msg);
    if (!r)
        return;
    StorePanel pn;
    CHECK(store_panel_find(r, "p1", &pn, &err) == NV_OK && pn.id == id &&
              pn.seed == 7,
          "find: %s", err.msg);
    CHECK(store_panel_find(r, "p2", &pn, &err) == NV_ERR_NOT_FOUND,
          "find a missing panel");
    StorePanelMember *mem = NULL;
    StorePanelLevel *lev = NULL;
    StorePanelResult *rs = NULL;
    size_t nm = 0, nl = 0, nr = 0;
    CHECK(store_panel_members(r, id, &mem, &nm, &err) == NV_OK && nm == 3 &&
              strcmp(mem[2].source, "random:2") == 0 &&
              strcmp(mem[1].genotype, "g1") == 0,
          "members");
    CHECK(store_panel_levels(r, id, &lev, &nl, &err) == NV_OK && nl == 2 &&
              strcmp(lev[1].score, "naswot") == 0 &&
              strcmp(lev[0].spec, "train=10") == 0,
          "levels");
    CHECK(store_panel_results(r, id, &rs, &nr, &err) == NV_OK && nr == 2,
          "results: %zu", nr);
    if (nr == 2) {
        CHECK(rs[0].member_idx == 0 && rs[0].score == 0.5 &&
                  rs[0].mult_adds == -1 && rs[0].params == 10,
              "replaced result");
        CHECK(rs[1].member_idx == 2 && rs[1].score == -INFINITY,
              "-inf kept: %g", rs[1].score);
    }
    CHECK(store_panel_create(r, "p3", 1, &id2, &err) == NV_ERR_USAGE,
          "a reader cannot create a panel");
    free(mem);
    free(lev);
    free(rs);
    store_close(r);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/nasview-store.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_scripts();
    test_roundtrip();
    test_params();
    test_stale();
    test_concurrent_create();
    test_hostile();
    test_panel();
    if (!check_failures) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "files kept in %s\n", dir);
    }
    return check_exit("test_store");
}
