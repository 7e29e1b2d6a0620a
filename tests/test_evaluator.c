/* test_evaluator.c - the evaluator interface (search/evaluator.h) on a
 * tiny in-memory dataset: the in-process kind and 3 worker processes give
 * bit-identical results for the same jobs, whatever order they finish in,
 * and the same error for a job training refuses; a worker that cannot
 * start fails the evaluator with its message;
 * start runs once per job and progress reaches the caller; a stop from
 * poll ends a collect with NV_ERR_INTERRUPTED and freeing the evaluator
 * leaves no child process behind; misuse is refused; the worker messages
 * (eval_wire.h) round-trip exactly and refuse truncated, overlong,
 * out-of-range and random bytes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "base/rng.h"
#include "search/eval_wire.h"
#include "search/evaluator.h"

enum { JOBS = 5, TRAIN_N = 96, VAL_N = 32 };

typedef struct {
    int starts[JOBS];
    int progress[JOBS];
    int stop_after_starts; /* > 0: poll answers stop after that many */
    int total_starts;
} Seen;

static NvStatus on_start(void *ctx, int idx, NvError *err)
{
    Seen *s = ctx;
    (void)err;
    if (idx >= 0 && idx < JOBS)
        s->starts[idx]++;
    s->total_starts++;
    return NV_OK;
}

static void on_progress(void *ctx, int idx, const TrainProgress *p)
{
    Seen *s = ctx;
    (void)p;
    if (idx >= 0 && idx < JOBS)
        s->progress[idx]++;
}

static EvalPoll on_poll(void *ctx)
{
    Seen *s = ctx;
    return s->stop_after_starts > 0 &&
                   s->total_starts >= s->stop_after_starts
               ? EVAL_STOP
               : EVAL_GO;
}

/* A dataset of n random 1x8x8 images of 4 classes (owned by the caller,
 * dataset_free). */
static Dataset *tiny(int64_t n, uint64_t seed)
{
    Dataset *d = calloc(1, sizeof *d);
    Rng r;
    if (!d)
        return NULL;
    d->n = n;
    d->c = 1;
    d->h = d->w = 8;
    d->classes = 4;
    d->pixels = malloc((size_t)n * 64);
    d->labels = malloc((size_t)n);
    if (!d->pixels || !d->labels) {
        dataset_free(d);
        return NULL;
    }
    rng_seed(&r, seed, 1);
    for (int64_t i = 0; i < n; i++) {
        d->labels[i] = (uint8_t)rng_below(&r, 4);
        for (int k = 0; k < 64; k++)
            d->pixels[i * 64 + k] =
                (uint8_t)(rng_below(&r, 128) + 32 * d->labels[i]);
    }
    d->mean[0] = 0.4f;
    d->std[0] = 0.25f;
    snprintf(d->name, sizeof d->name, "tiny");
    return d;
}

static void make_jobs(EvalJob *jobs)
{
    Rng r;
    rng_seed(&r, 11, 2);
    for (int i = 0; i < JOBS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].idx = i;
        if (i == 0)
            jobs[i].genotype = *geno_nasnet_a();
        else
            geno_sample_uniform(&jobs[i].genotype, &r);
        jobs[i].train = train_config_default();
        jobs[i].train.F = 2;
        jobs[i].train.N = 1;
        jobs[i].train.batch = 32;
        jobs[i].train.epochs = 1 + i % 2; /* unequal lengths */
        jobs[i].train.threads = 1;
        jobs[i].train.seed = 100 + (uint64_t)i;
    }
}

/* run_all - submit every job to ev and collect them into res by idx. */
static void run_all(Evaluator *ev, const EvalJob *jobs, EvalResult *res,
                    const char *who)
{
    NvError err;
    int got[JOBS] = { 0 };
    for (int i = 0; i < JOBS; i++)
        CHECK(evaluator_submit(ev, &jobs[i], &err) == NV_OK, "%s: submit %s",
              who, err.msg);
    CHECK(evaluator_pending(ev) == JOBS, "%s: %d pending", who,
          evaluator_pending(ev));
    for (int k = 0; k < JOBS; k++) {
        EvalResult r;
        if (evaluator_collect(ev, &r, &err) != NV_OK) {
            CHECK(0, "%s: collect: %s", who, err.msg);
            return;
        }
        CHECK(r.idx >= 0 && r.idx < JOBS && !got[r.idx], "%s: result %d",
              who, r.idx);
        if (r.idx < 0 || r.idx >= JOBS)
            continue;
        got[r.idx] = 1;
        res[r.idx] = r;
        CHECK(r.outcome == EVAL_TRAINED && r.attempts == 1,
              "%s: job %d outcome %d (%s)", who, r.idx, (int)r.outcome,
              r.message);
    }
    CHECK(evaluator_pending(ev) == 0, "%s: all collected", who);
    {
        EvalResult r;
        CHECK(evaluator_collect(ev, &r, &err) == NV_ERR_USAGE,
              "%s: collect with nothing pending is refused", who);
    }
}

static void no_children_left(const char *who)
{
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
          "%s: a worker process is left", who);
}

/* ---- the worker messages ------------------------------------------------ */

/* Every decoder on payload p[0..n): whole is accepted (when ok), every
 * shorter prefix and one extra byte are refused. */
typedef int (*Decode)(const uint8_t *p, size_t n);

static int dec_job(const uint8_t *p, size_t n)
{
    EvalJob j;
    return wire_get_job(p, n, &j, NULL) == NV_OK;
}

static int dec_progress(const uint8_t *p, size_t n)
{
    TrainProgress t;
    int idx;
    return wire_get_progress(p, n, &idx, &t, NULL) == NV_OK;
}

static int dec_result(const uint8_t *p, size_t n)
{
    EvalResult r;
    return wire_get_result(p, n, &r, NULL) == NV_OK;
}

static int dec_fail(const uint8_t *p, size_t n)
{
    NvStatus st;
    char msg[NV_ERROR_MAX];
    return wire_get_fail(p, n, &st, msg, sizeof msg, NULL) == NV_OK;
}

static int dec_setup(const uint8_t *p, size_t n)
{
    WireSetup s;
    return wire_get_setup(p, n, &s, NULL) == NV_OK;
}

static int dec_crash(const uint8_t *p, size_t n)
{
    EvalResult r;
    return wire_get_crash(p, n, &r, NULL) == NV_OK;
}

static void hostile(const ByteWriter *w, Decode dec, const char *what)
{
    uint8_t buf[WIRE_MAX + 1];
    CHECK(!w->failed && w->len <= WIRE_MAX, "%s: encoded", what);
    CHECK(dec(w->buf, w->len), "%s: accepted whole", what);
    for (size_t k = 0; k < w->len; k++)
        CHECK(!dec(w->buf, k), "%s: accepted cut to %zu of %zu bytes", what,
              k, w->len);
    memcpy(buf, w->buf, w->len);
    buf[w->len] = 0;
    CHECK(!dec(buf, w->len + 1), "%s: accepted a byte too many", what);
}

static void wire_checks(const EvalJob *job)
{
    ByteWriter w;
    NvError err;
    uint8_t frame[WIRE_HEADER + WIRE_MAX];
    uint32_t type, len;

    /* job */
    bytes_writer_init(&w);
    wire_put_job(&w, job);
    {
        EvalJob back;
        CHECK(wire_get_job(w.buf, w.len, &back, &err) == NV_OK &&
                  memcmp(&back.genotype, &job->genotype,
                         sizeof back.genotype) == 0 &&
                  back.idx == job->idx && back.train.seed == job->train.seed &&
                  back.train.F == job->train.F &&
                  memcmp(&back.train.lr, &job->train.lr, sizeof(float)) == 0 &&
                  back.train.threads == job->train.threads,
              "job round trip: %s", err.msg);
    }
    hostile(&w, dec_job, "job");
    w.buf[4] = 99; /* block 0 of the normal cell: an input past its range */
    CHECK(!dec_job(w.buf, w.len), "job with a genotype outside the space");
    bytes_writer_done(&w);
    EvalJob zero = *job;
    zero.train.batch = 0;
    bytes_writer_init(&w);
    wire_put_job(&w, &zero);
    CHECK(!dec_job(w.buf, w.len), "job with batch 0");
    bytes_writer_done(&w);

    /* progress */
    TrainProgress pr = { 1, 3, 70, 210, 0.5f, 0.75f, 1234.5, 1.5, 3.0, 0 };
    bytes_writer_init(&w);
    wire_put_progress(&w, 4, &pr);
    {
        TrainProgress back;
        int idx = -1;
        CHECK(wire_get_progress(w.buf, w.len, &idx, &back, &err) == NV_OK &&
                  idx == 4 && back.step == 70 && back.loss == 0.5f &&
                  back.eta_s == 3.0 && back.epochs == 3,
              "progress round trip: %s", err.msg);
    }
    hostile(&w, dec_progress, "progress");
    bytes_writer_done(&w);

    /* result, trained and failed */
    TrainResult tr = { 0.8125f, -1.0f, 0.25f, 4242, 99999, 1.25, 0, 0, 0 };
    bytes_writer_init(&w);
    wire_put_result(&w, 7, NV_OK, &tr, "ignored");
    {
        EvalResult back;
        CHECK(wire_get_result(w.buf, w.len, &back, &err) == NV_OK &&
                  back.idx == 7 && back.outcome == EVAL_TRAINED &&
                  memcmp(&back.result.val_acc, &tr.val_acc, sizeof(float)) ==
                      0 &&
                  back.result.params == 4242 && back.message[0] == '\0',
              "result round trip: %s", err.msg);
    }
    hostile(&w, dec_result, "result");
    bytes_writer_done(&w);
    bytes_writer_init(&w);
    wire_put_result(&w, 7, NV_ERR_NOMEM, &tr, "out of memory for batches");
    {
        EvalResult back;
        CHECK(wire_get_result(w.buf, w.len, &back, &err) == NV_OK &&
                  back.outcome == EVAL_ERROR && back.status == NV_ERR_NOMEM &&
                  strcmp(back.message, "out of memory for batches") == 0,
              "error result round trip: %s", err.msg);
    }
    hostile(&w, dec_result, "error result");
    bytes_writer_done(&w);
    tr.val_acc = 1.5f;
    bytes_writer_init(&w);
    wire_put_result(&w, 7, NV_OK, &tr, "");
    CHECK(!dec_result(w.buf, w.len), "a reward of 1.5 is not a result");
    bytes_writer_done(&w);
    bytes_writer_init(&w);
    wire_put_result(&w, 7, (NvStatus)77, &tr, "x");
    CHECK(!dec_result(w.buf, w.len), "an unknown status is refused");
    bytes_writer_done(&w);

    /* start failure */
    bytes_writer_init(&w);
    wire_put_fail(&w, NV_ERR_IO, "cannot read the dataset");
    {
        NvStatus st = NV_OK;
        char msg[NV_ERROR_MAX];
        CHECK(wire_get_fail(w.buf, w.len, &st, msg, sizeof msg, &err) ==
                      NV_OK &&
                  st == NV_ERR_IO &&
                  strcmp(msg, "cannot read the dataset") == 0,
              "fail round trip: %s", err.msg);
    }
    hostile(&w, dec_fail, "start failure");
    bytes_writer_done(&w);
    bytes_writer_init(&w);
    wire_put_fail(&w, NV_OK, "fine");
    CHECK(!dec_fail(w.buf, w.len), "a start failure must be an error");

    bytes_writer_done(&w);

    /* MPI: setup and crash */
    {
        WireSetup su, back;
        memset(&su, 0, sizeof su);
        snprintf(su.spec, sizeof su.spec, "cifar10:/data/cifar");
        su.train_size = 4000;
        su.val_size = 1000;
        su.split_seed = 0x123456789abcdef0ull;
        bytes_writer_init(&w);
        wire_put_setup(&w, &su);
        CHECK(wire_get_setup(w.buf, w.len, &back, &err) == NV_OK &&
                  strcmp(back.spec, su.spec) == 0 &&
                  back.train_size == 4000 && back.val_size == 1000 &&
                  back.split_seed == su.split_seed,
              "setup round trip: %s", err.msg);
        hostile(&w, dec_setup, "setup");
        bytes_writer_done(&w);
        su.val_size = 0;
        bytes_writer_init(&w);
        wire_put_setup(&w, &su);
        CHECK(!dec_setup(w.buf, w.len), "a setup with no validation images");
        bytes_writer_done(&w);
        su.val_size = 1;
        su.spec[0] = '\0';
        bytes_writer_init(&w);
        wire_put_setup(&w, &su);
        CHECK(!dec_setup(w.buf, w.len), "a setup without a dataset");
        bytes_writer_done(&w);
    }
    {
        EvalResult back;
        bytes_writer_init(&w);
        wire_put_crash(&w, 5, 2, "killed by signal 9");
        CHECK(wire_get_crash(w.buf, w.len, &back, &err) == NV_OK &&
                  back.idx == 5 && back.attempts == 2 &&
                  back.outcome == EVAL_CRASHED &&
                  strcmp(back.message, "killed by signal 9") == 0,
              "crash round trip: %s", err.msg);
        hostile(&w, dec_crash, "crash");
        bytes_writer_done(&w);
        bytes_writer_init(&w);
        wire_put_crash(&w, 5, 3, "x");
        CHECK(!dec_crash(w.buf, w.len), "a crash after 3 attempts");
        bytes_writer_done(&w);
    }
    bytes_writer_init(&w);
    wire_put_fail(&w, NV_OK, "fine");

    /* framing */
    CHECK(wire_encode(WIRE_FAIL, &w, frame) == WIRE_HEADER + w.len,
          "encode a frame");
    CHECK(wire_frame(frame, WIRE_HEADER + w.len, &type, &len) == 1 &&
              type == WIRE_FAIL && len == w.len,
          "frame read back");
    for (size_t k = 0; k < WIRE_HEADER + w.len; k++)
        CHECK(wire_frame(frame, k, &type, &len) == 0,
              "frame of %zu bytes is whole", k);
    frame[4] = 0xff;
    frame[5] = 0xff; /* 65535 bytes announced */
    CHECK(wire_frame(frame, WIRE_HEADER, &type, &len) == -1 && len == 65535,
          "an overlong frame is refused at its header");
    bytes_writer_done(&w);
    {
        ByteWriter big;
        uint8_t zeros[64] = { 0 };
        bytes_writer_init(&big);
        for (int i = 0; i < 40; i++)
            bytes_put(&big, zeros, sizeof zeros);
        CHECK(wire_encode(WIRE_JOB, &big, frame) == 0,
              "a payload over WIRE_MAX is not encoded");
        bytes_writer_done(&big);
    }

    /* random bytes: never a crash, and nearly never a job */
    Rng r;
    uint8_t junk[256];
    int accepted = 0;
    rng_seed(&r, 5, 9);
    for (int t = 0; t < 20000; t++) {
        size_t n = rng_below(&r, sizeof junk);
        for (size_t k = 0; k < n; k++)
            junk[k] = (uint8_t)rng_below(&r, 256);
        accepted += dec_job(junk, n);
        dec_progress(junk, n);
        dec_result(junk, n);
        dec_fail(junk, n);
        wire_frame(junk, n, &type, &len);
    }
    CHECK(accepted == 0, "%d random buffers read as a job", accepted);
}

int main(void)
{
    NvError err;
    Dataset *train = tiny(TRAIN_N, 1), *val = tiny(VAL_N, 2);
    EvalJob jobs[JOBS];
    EvalResult a[JOBS], b[JOBS];
    Seen sa, sb;
    if (!train || !val) {
        CHECK(0, "out of memory");
        return check_exit("test_evaluator");
    }
    make_jobs(jobs);
    wire_checks(&jobs[1]);
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);

    memset(&sa, 0, sizeof sa);
    EvalHooks ha = { on_start, on_progress, on_poll, &sa };
    Evaluator *in = evaluator_inprocess_new(train, val, &ha, &err);
    CHECK(in && evaluator_slots(in) == 1, "in-process: one slot");
    if (in)
        run_all(in, jobs, a, "in-process");
    evaluator_free(in);

    memset(&sb, 0, sizeof sb);
    EvalHooks hb = { on_start, on_progress, on_poll, &sb };
    Evaluator *wk = evaluator_workers_new(3, train, val, &hb, &err);
    CHECK(wk && evaluator_slots(wk) == 3, "workers: %s",
          wk ? "three slots" : err.msg);
    if (wk)
        run_all(wk, jobs, b, "workers");
    evaluator_free(wk);
    no_children_left("workers");

    for (int i = 0; i < JOBS; i++) {
        CHECK(sa.starts[i] == 1 && sb.starts[i] == 1,
              "job %d started %d and %d times", i, sa.starts[i],
              sb.starts[i]);
        CHECK(sa.progress[i] > 0 && sb.progress[i] > 0,
              "job %d: progress reached the caller (%d, %d)", i,
              sa.progress[i], sb.progress[i]);
        CHECK(memcmp(&a[i].result.val_acc, &b[i].result.val_acc,
                     sizeof a[i].result.val_acc) == 0 &&
                  memcmp(&a[i].result.train_loss, &b[i].result.train_loss,
                         sizeof a[i].result.train_loss) == 0 &&
                  a[i].result.params == b[i].result.params &&
                  a[i].result.mult_adds == b[i].result.mult_adds &&
                  a[i].result.diverged == b[i].result.diverged,
              "job %d: in-process %.9g/%.9g, workers %.9g/%.9g", i,
              (double)a[i].result.val_acc, (double)a[i].result.train_loss,
              (double)b[i].result.val_acc, (double)b[i].result.train_loss);
    }

    /* A stop from poll: collect says so, free reaps every worker. */
    Seen sc;
    memset(&sc, 0, sizeof sc);
    sc.stop_after_starts = 2;
    EvalHooks hc = { on_start, on_progress, on_poll, &sc };
    wk = evaluator_workers_new(2, train, val, &hc, &err);
    CHECK(wk != NULL, "workers for the stop: %s", err.msg);
    if (wk) {
        EvalResult r;
        NvStatus st = NV_OK;
        for (int i = 0; i < JOBS; i++)
            evaluator_submit(wk, &jobs[i], &err);
        for (int k = 0; k < JOBS && st == NV_OK; k++)
            st = evaluator_collect(wk, &r, &err);
        CHECK(st == NV_ERR_INTERRUPTED, "stop: collect returned %d (%s)",
              (int)st, err.msg);
    }
    evaluator_free(wk);
    no_children_left("stop");

    /* A job train_child refuses is an error result, the same from both
     * kinds, and not retried. */
    {
        EvalJob bad = jobs[0];
        EvalResult r1, r2;
        memset(&r1, 0, sizeof r1);
        memset(&r2, 0, sizeof r2);
        bad.train.batch = 1;
        Seen sd;
        memset(&sd, 0, sizeof sd);
        EvalHooks hd = { on_start, on_progress, on_poll, &sd };
        Evaluator *e1 = evaluator_inprocess_new(train, val, &hd, &err);
        Evaluator *e2 = evaluator_workers_new(2, train, val, &hd, &err);
        CHECK(e1 && e2, "evaluators for a bad job: %s", err.msg);
        if (e1 && e2) {
            CHECK(evaluator_submit(e1, &bad, &err) == NV_OK &&
                      evaluator_collect(e1, &r1, &err) == NV_OK,
                  "in-process bad job: %s", err.msg);
            CHECK(evaluator_submit(e2, &bad, &err) == NV_OK &&
                      evaluator_collect(e2, &r2, &err) == NV_OK,
                  "workers bad job: %s", err.msg);
            CHECK(r1.outcome == EVAL_ERROR && r2.outcome == EVAL_ERROR &&
                      r1.status == NV_ERR_USAGE && r2.status == r1.status &&
                      r2.attempts == 1 && r1.message[0] &&
                      strcmp(r1.message, r2.message) == 0,
                  "bad job: outcomes %d %d, '%s' / '%s'", (int)r1.outcome,
                  (int)r2.outcome, r1.message, r2.message);
        }
        evaluator_free(e1);
        evaluator_free(e2);
        no_children_left("bad job");
    }

    /* A worker that cannot start fails the evaluator with its message. */
    {
        Dataset empty = *train;
        empty.n = 0;
        Evaluator *e = evaluator_workers_new(2, &empty, val, &ha, &err);
        CHECK(!e && err.status == NV_ERR_RUNTIME &&
                  strstr(err.msg, "worker ") && strstr(err.msg, "(pid ") &&
                  strstr(err.msg, "no training or validation images"),
              "a worker that cannot start: %s", e ? "started" : err.msg);
        evaluator_free(e);
        no_children_left("worker start failure");
    }

    /* Misuse. */
    CHECK(evaluator_workers_new(1, train, val, &ha, &err) == NULL &&
              err.status == NV_ERR_USAGE,
          "one worker process is refused (in-process is for that)");
    CHECK(evaluator_workers_new(EVAL_MAX_WORKERS + 1, train, val, &ha,
                                &err) == NULL && err.status == NV_ERR_USAGE,
          "too many workers are refused");
    evaluator_free(NULL);

    dataset_free(train);
    dataset_free(val);
    return check_exit("test_evaluator");
}
