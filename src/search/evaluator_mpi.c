/* evaluator_mpi.c - the MPI evaluator (evaluator_mpi.h): rank 0's side,
 * an Evaluator whose slots are ranks 1..K, and the ranks' side, which
 * loads the data itself and trains each job in one forked worker
 * (eval_workers_start), relaying its progress and result to rank 0.
 * Built only with Open MPI (evaluator_mpi_none.c otherwise); knows
 * nothing of the database or the strategies. */
#include "config.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/bytes.h"
#include "search/evaluator_impl.h"
#include "search/evaluator_mpi.h"

/* How long rank 0 waits for messages before asking hooks->poll (ms). */
#define MPI_POLL_MS 50
/* Sleep between two looks for a message (ms): cheap, and a job or a
 * result waits at most this long on top of the network. */
#define MPI_IDLE_MS 1
/* How long eval_mpi_finish waits for every rank's goodbye (s). */
#define MPI_BYE_S 60.0

#define MPI_TAG_NV 0

int eval_mpi_built(void)
{
    return 1;
}

NvStatus eval_mpi_init(int *rank, int *size, NvError *err)
{
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return nv_error_set(err, NV_ERR_RUNTIME, "--mpi: MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (*size < 2)
        return nv_error_set(err, NV_ERR_USAGE,
                            "--mpi: started as 1 MPI rank; a search needs "
                            "rank 0 and at least one rank that trains "
                            "(mpirun -np K+1 for K children at once)");
    if (*size - 1 > EVAL_MAX_WORKERS)
        return nv_error_set(err, NV_ERR_USAGE,
                            "--mpi: %d ranks; at most %d train", *size,
                            EVAL_MAX_WORKERS);
    return NV_OK;
}

/* ---- messages ----------------------------------------------------------- */

/* send_to - one frame of type with w's payload to rank dest; -1 when w
 * failed or MPI did. */
static int send_to(int dest, uint32_t type, const ByteWriter *w)
{
    uint8_t out[WIRE_HEADER + WIRE_MAX];
    size_t n = wire_encode(type, w, out);
    if (!n)
        return -1;
    return MPI_Send(out, (int)n, MPI_BYTE, dest, MPI_TAG_NV,
                    MPI_COMM_WORLD) == MPI_SUCCESS
               ? 0
               : -1;
}

static int send_empty(int dest, uint32_t type)
{
    ByteWriter w;
    int r;
    bytes_writer_init(&w);
    r = send_to(dest, type, &w);
    bytes_writer_done(&w);
    return r;
}

/* try_recv - take one message from src (MPI_ANY_SOURCE: anyone) if one
 * is waiting.  1: a whole frame in buf (room for WIRE_HEADER + WIRE_MAX),
 * *from, *type, *len its payload length; 0: nothing waiting; -1: a
 * message from *from that is not one frame (received and dropped). */
static int try_recv(int src, uint8_t *buf, int *from, uint32_t *type,
                    uint32_t *len)
{
    MPI_Status s;
    int flag = 0, count = 0;
    MPI_Iprobe(src, MPI_TAG_NV, MPI_COMM_WORLD, &flag, &s);
    if (!flag)
        return 0;
    MPI_Get_count(&s, MPI_BYTE, &count);
    *from = s.MPI_SOURCE;
    if (count < 0 || (size_t)count > WIRE_HEADER + WIRE_MAX) {
        uint8_t *junk = malloc(count > 0 ? (size_t)count : 1);
        if (junk)
            MPI_Recv(junk, count, MPI_BYTE, s.MPI_SOURCE, MPI_TAG_NV,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        free(junk);
        *type = 0;
        *len = (uint32_t)count;
        return -1;
    }
    MPI_Recv(buf, count, MPI_BYTE, s.MPI_SOURCE, MPI_TAG_NV, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (wire_frame(buf, (size_t)count, type, len) != 1 ||
        WIRE_HEADER + *len != (uint32_t)count) {
        *len = (uint32_t)count;
        return -1;
    }
    return 1;
}

/* ---- rank 0 ------------------------------------------------------------- */

typedef struct {
    int ready; /* answered the setup */
    int busy;  /* holds task */
    EvalTask task;
} Rank;

typedef struct {
    int n;             /* ranks that train: 1..n */
    Rank *r;           /* [n], r[i] is rank i + 1 */
    EvalReady ready;      /* results not yet collected */
} Ranks;

static NvStatus damaged(int rank, uint32_t type, uint32_t len,
                        const char *why, NvError *err)
{
    return nv_error_set(err, NV_ERR_RUNTIME,
                        "MPI rank %d sent a damaged message (type %u, %u "
                        "bytes: %.100s); a rank cannot be replaced, so the "
                        "search stops",
                        rank, type, len, why);
}

/* handle - one frame from rank `from` (invariant 4). */
static NvStatus handle(Evaluator *ev, int from, uint32_t type,
                       const uint8_t *p, uint32_t len, NvError *err)
{
    Ranks *rs = ev->impl;
    Rank *rk;
    NvError bad;
    nv_error_clear(&bad);
    if (from < 1 || from > rs->n)
        return damaged(from, type, len, "not a rank that trains", err);
    rk = &rs->r[from - 1];
    switch (type) {
    case WIRE_READY:
        if (len != 0 || rk->ready)
            break;
        rk->ready = 1;
        return NV_OK;
    case WIRE_FAIL: {
        char msg[NV_ERROR_MAX];
        NvStatus st;
        if (wire_get_fail(p, len, &st, msg, sizeof msg, &bad))
            break;
        return nv_error_set(err, st, "MPI rank %d: %s", from, msg);
    }
    case WIRE_PROGRESS: {
        TrainProgress pr;
        int idx;
        if (wire_get_progress(p, len, &idx, &pr, &bad))
            break;
        if (rk->busy && idx == rk->task.job.idx && ev->hooks.progress)
            ev->hooks.progress(ev->hooks.ctx, idx, &pr);
        return NV_OK;
    }
    case WIRE_RESULT:
    case WIRE_CRASH: {
        EvalResult res;
        if (type == WIRE_RESULT ? wire_get_result(p, len, &res, &bad)
                                : wire_get_crash(p, len, &res, &bad))
            break;
        if (!rk->busy || res.idx != rk->task.job.idx) {
            snprintf(bad.msg, sizeof bad.msg,
                     "a result for sample %d it was not training", res.idx);
            break;
        }
        if (type == WIRE_RESULT)
            res.attempts = 1;
        rk->busy = 0;
        return eval_ready_push(&rs->ready, &res, err);
    }
    default:
        snprintf(bad.msg, sizeof bad.msg, "a message of unknown type %u",
                 type);
        break;
    }
    return damaged(from, type, len, bad.msg[0] ? bad.msg : "unexpected", err);
}

/* pump - handle messages from any rank for up to ms, returning early once
 * a result is ready. */
static NvStatus pump(Evaluator *ev, int ms, NvError *err)
{
    Ranks *rs = ev->impl;
    uint8_t buf[WIRE_HEADER + WIRE_MAX];
    double end = clock_now_s() + ms / 1000.0;
    int had = rs->ready.n;
    NvStatus r;
    for (;;) {
        int from = -1;
        uint32_t type = 0, len = 0;
        int got = try_recv(MPI_ANY_SOURCE, buf, &from, &type, &len);
        if (got < 0)
            return damaged(from, type, len, "not one frame", err);
        if (got > 0) {
            if ((r = handle(ev, from, type, buf + WIRE_HEADER, len, err)))
                return r;
            if (rs->ready.n > had)
                return NV_OK;
            continue;
        }
        if (clock_now_s() >= end)
            return NV_OK;
        eval_sleep_ms(MPI_IDLE_MS);
    }
}

/* dispatch - give queued jobs to idle ranks (invariant 2). */
static NvStatus dispatch(Evaluator *ev, NvError *err)
{
    Ranks *rs = ev->impl;
    NvStatus r;
    for (int i = 0; i < rs->n && ev->qlen > 0; i++) {
        Rank *rk = &rs->r[i];
        EvalTask t;
        ByteWriter w;
        int bad;
        if (!rk->ready || rk->busy)
            continue;
        eval_queue_pop(ev, &t);
        if (t.attempts == 0 && ev->hooks.start &&
            (r = ev->hooks.start(ev->hooks.ctx, t.job.idx, err))) {
            eval_queue_push_front(ev, &t, NULL);
            return r;
        }
        t.attempts++;
        rk->task = t;
        rk->busy = 1;
        bytes_writer_init(&w);
        wire_put_job(&w, &t.job);
        bad = send_to(i + 1, WIRE_JOB, &w);
        bytes_writer_done(&w);
        if (bad)
            return nv_error_set(err, NV_ERR_RUNTIME,
                                "cannot send sample %d to MPI rank %d",
                                t.job.idx, i + 1);
    }
    return NV_OK;
}

static NvStatus mpi_collect(Evaluator *ev, EvalResult *out, NvError *err)
{
    Ranks *rs = ev->impl;
    return eval_collect_remote(ev, &rs->ready, dispatch, pump, MPI_POLL_MS,
                               out, err);
}

static void mpi_hold(Evaluator *ev, int on)
{
    Ranks *rs = ev->impl;
    for (int i = 0; i < rs->n; i++)
        send_empty(i + 1, on ? WIRE_HOLD : WIRE_GO);
}

static void mpi_done(Evaluator *ev)
{
    Ranks *rs = ev->impl;
    if (!rs)
        return;
    for (int i = 0; i < rs->n; i++)
        send_empty(i + 1, WIRE_RESET);
    free(rs->r);
    eval_ready_free(&rs->ready);
    free(rs);
    ev->impl = NULL;
}

static const EvalOps mpi_ops = { mpi_collect, mpi_hold, mpi_done };

Evaluator *evaluator_mpi_new(const WireSetup *setup, const EvalHooks *hooks,
                             NvError *err)
{
    Evaluator *ev;
    Ranks *rs;
    ByteWriter w;
    int size = 0, rank = -1;
    NvStatus r = NV_OK;

    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank != 0 || size < 2) {
        nv_error_set(err, NV_ERR_USAGE,
                     "the MPI evaluator runs on rank 0 of 2 or more");
        return NULL;
    }
    ev = calloc(1, sizeof *ev);
    rs = calloc(1, sizeof *rs);
    if (rs)
        rs->r = calloc((size_t)size - 1, sizeof *rs->r);
    if (!ev || !rs || !rs->r) {
        if (rs)
            free(rs->r);
        free(rs);
        free(ev);
        nv_error_set(err, NV_ERR_NOMEM, "out of memory for %d ranks",
                     size - 1);
        return NULL;
    }
    ev->ops = &mpi_ops;
    ev->hooks = *hooks;
    ev->slots = size - 1;
    ev->impl = rs;
    rs->n = size - 1;
    bytes_writer_init(&w);
    wire_put_setup(&w, setup);
    for (int i = 0; i < rs->n && r == NV_OK; i++)
        if (send_to(i + 1, WIRE_SETUP, &w))
            r = nv_error_set(err, NV_ERR_RUNTIME,
                             "cannot send the setup to MPI rank %d", i + 1);
    bytes_writer_done(&w);
    /* Wait until every rank is ready, or one of them says why not. */
    while (r == NV_OK) {
        int all = 1;
        for (int i = 0; i < rs->n; i++)
            all = all && rs->r[i].ready;
        if (all)
            break;
        if (eval_wait(ev))
            r = nv_error_set(err, NV_ERR_INTERRUPTED,
                             "stopped while the MPI ranks started");
        else
            r = pump(ev, MPI_POLL_MS, err);
    }
    if (r != NV_OK) {
        evaluator_free(ev);
        return NULL;
    }
    return ev;
}

/* ---- ranks 1..K ----------------------------------------------------------- */

typedef struct {
    int rank;
    char host[128];
    int held;            /* rank 0 said WIRE_HOLD */
    int stop;            /* drop the job in training */
    int quit;            /* rank 0 said WIRE_QUIT */
    int bad;             /* rank 0 sent something that is not a message */
    Dataset *train, *val;
    Evaluator *local;    /* one worker process */
    ByteWriter w;        /* reused for progress (no allocation) */
} Serve;

/* serve_control - act on one control frame from rank 0 (any other type
 * is not expected while a job trains, so it is damage). */
static void serve_control(Serve *s, uint32_t type, uint32_t len)
{
    if (len != 0) {
        s->bad = s->stop = 1;
        return;
    }
    switch (type) {
    case WIRE_HOLD:
        s->held = 1;
        break;
    case WIRE_GO:
        s->held = 0;
        break;
    case WIRE_RESET:
        s->stop = 1;
        s->held = 0;
        break;
    case WIRE_QUIT:
        s->stop = s->quit = 1;
        break;
    default:
        s->bad = s->stop = 1;
        break;
    }
}

static EvalPoll serve_poll(void *ctx)
{
    Serve *s = ctx;
    uint8_t buf[WIRE_HEADER + WIRE_MAX];
    int from;
    uint32_t type, len;
    int got;
    while (!s->stop && (got = try_recv(0, buf, &from, &type, &len)) != 0) {
        if (got < 0)
            s->bad = s->stop = 1;
        else
            serve_control(s, type, len);
    }
    return s->stop ? EVAL_STOP : s->held ? EVAL_HOLD : EVAL_GO;
}

static void serve_progress(void *ctx, int idx, const TrainProgress *p)
{
    Serve *s = ctx;
    bytes_writer_reset(&s->w);
    wire_put_progress(&s->w, idx, p);
    send_to(0, WIRE_PROGRESS, &s->w);
}

/* serve_drop - free the worker and the datasets (worker first: it shares
 * them). */
static void serve_drop(Serve *s)
{
    evaluator_free(s->local);
    s->local = NULL;
    dataset_free(s->train);
    dataset_free(s->val);
    s->train = s->val = NULL;
}

static void serve_fail(Serve *s, NvStatus st, const char *msg)
{
    ByteWriter w;
    char full[NV_ERROR_MAX];
    snprintf(full, sizeof full, "(host %s) %s", s->host, msg);
    bytes_writer_init(&w);
    wire_put_fail(&w, st ? st : NV_ERR_RUNTIME, full);
    send_to(0, WIRE_FAIL, &w);
    bytes_writer_done(&w);
}

/* serve_setup - load the data the setup names and start the worker;
 * READY, or FAIL with why. */
static void serve_setup(Serve *s, const uint8_t *p, uint32_t len)
{
    WireSetup su;
    Dataset *full = NULL;
    NvError e;
    NvStatus r;
    EvalHooks h = { NULL, serve_progress, serve_poll, s };
    serve_drop(s);
    nv_error_clear(&e);
    if ((r = wire_get_setup(p, len, &su, &e)) ||
        (r = dataset_load(su.spec, DATASET_TRAIN, &full, &e)) ||
        (r = dataset_split(full, su.train_size, su.val_size, su.split_seed,
                           &s->train, &s->val, &e))) {
        dataset_free(full);
        serve_drop(s);
        serve_fail(s, r, e.msg);
        return;
    }
    dataset_free(full);
    s->stop = 0;
    if (!(s->local = eval_workers_start(1, s->train, s->val, &h, &e))) {
        serve_drop(s);
        serve_fail(s, e.status, e.msg);
        return;
    }
    send_empty(0, WIRE_READY);
}

/* serve_job - train one job in the worker and send its result. */
static void serve_job(Serve *s, const uint8_t *p, uint32_t len)
{
    EvalJob job;
    EvalResult res;
    NvError e;
    NvStatus r;
    nv_error_clear(&e);
    if (!s->local || wire_get_job(p, len, &job, &e)) {
        s->bad = 1;
        return;
    }
    if ((r = evaluator_submit(s->local, &job, &e)) == NV_OK)
        r = evaluator_collect(s->local, &res, &e);
    if (r == NV_ERR_INTERRUPTED) {
        serve_drop(s); /* reset or quit: the job is abandoned */
        return;
    }
    bytes_writer_reset(&s->w);
    if (r != NV_OK) {
        serve_drop(s);
        serve_fail(s, r, e.msg);
        return;
    }
    if (res.outcome == EVAL_CRASHED) {
        wire_put_crash(&s->w, res.idx, res.attempts, res.message);
        send_to(0, WIRE_CRASH, &s->w);
    } else {
        wire_put_result(&s->w, res.idx,
                        res.outcome == EVAL_ERROR ? res.status : NV_OK,
                        &res.result, res.message);
        send_to(0, WIRE_RESULT, &s->w);
    }
}

NvStatus eval_mpi_serve(NvError *err)
{
    Serve s;
    uint8_t buf[WIRE_HEADER + WIRE_MAX];
    memset(&s, 0, sizeof s);
    MPI_Comm_rank(MPI_COMM_WORLD, &s.rank);
    if (gethostname(s.host, sizeof s.host - 1) != 0)
        snprintf(s.host, sizeof s.host, "?");
    bytes_writer_init(&s.w);
    while (!s.quit && !s.bad) {
        int from;
        uint32_t type, len;
        int got = try_recv(0, buf, &from, &type, &len);
        if (got == 0) {
            eval_sleep_ms(MPI_IDLE_MS);
            continue;
        }
        if (got < 0) {
            s.bad = 1;
            break;
        }
        switch (type) {
        case WIRE_SETUP:
            serve_setup(&s, buf + WIRE_HEADER, len);
            break;
        case WIRE_JOB:
            s.stop = 0;
            serve_job(&s, buf + WIRE_HEADER, len);
            break;
        case WIRE_RESET:
            serve_drop(&s);
            s.held = 0;
            break;
        default:
            serve_control(&s, type, len);
            break;
        }
    }
    serve_drop(&s);
    bytes_writer_done(&s.w);
    send_empty(0, WIRE_BYE);
    if (s.bad)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "MPI rank %d (host %s): rank 0 sent something "
                            "that is not a message",
                            s.rank, s.host);
    return NV_OK;
}

void eval_mpi_finish(int rank)
{
    int size = 0, inited = 0, finalized = 0;
    MPI_Initialized(&inited);
    MPI_Finalized(&finalized);
    if (!inited || finalized)
        return;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0 && size > 1) {
        uint8_t buf[WIRE_HEADER + WIRE_MAX];
        char *bye = calloc((size_t)size, 1);
        int left = size - 1;
        double end = clock_now_s() + MPI_BYE_S;
        for (int i = 1; i < size; i++)
            send_empty(i, WIRE_QUIT);
        /* Read everything still coming (progress, a late result) until
         * every rank has said goodbye. */
        while (left > 0 && clock_now_s() < end) {
            int from = -1;
            uint32_t type = 0, len = 0;
            int got = try_recv(MPI_ANY_SOURCE, buf, &from, &type, &len);
            if (got == 0) {
                eval_sleep_ms(MPI_IDLE_MS);
                continue;
            }
            if (got > 0 && type == WIRE_BYE && from > 0 && from < size &&
                bye && !bye[from]) {
                bye[from] = 1;
                left--;
            }
        }
        free(bye);
        if (left > 0) {
            fprintf(stderr, "nasview: %d MPI ranks did not leave in %.0f s; "
                            "aborting the job\n",
                    left, MPI_BYE_S);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    MPI_Finalize();
}
