/* evaluator.h - where the search's children are trained: submit a job
 * (sample index, genotype, proxy settings with the child's own seed),
 * collect finished results.  Three kinds behind one interface:
 *
 *   in-process   each job trains in the calling process, one at a time,
 *                inside evaluator_collect (the behaviour of one worker);
 *   workers      K forked worker processes, started after the datasets
 *                are loaded so that they share them copy-on-write; each
 *                trains one job at a time and talks to the search over a
 *                socket pair with a small binary framing (eval_wire.h);
 *   MPI ranks    rank 0 searches, ranks 1..K train, each in a forked
 *                worker of its own (evaluator_mpi.h; built with Open MPI).
 *
 * The search loop does not know which kind runs.  Training is a pure
 * function of the job (DESIGN.md section 1), so a job's result does not
 * depend on the kind, the number of workers or the order jobs finish in;
 * results come back in the order they finish, and the caller puts them in
 * proposal order.
 *
 * Invariants:
 *  1. Every submitted job is collected exactly once, as a result, unless a
 *     collect returns an error or NV_ERR_INTERRUPTED: then every job not
 *     yet collected is abandoned (the evaluator can only be freed).
 *  2. hooks->start runs once per job, in the search process, just before
 *     its first attempt begins; hooks->progress and hooks->poll run only
 *     inside evaluator_collect, in the search process, so the caller stays
 *     the only writer of the database.
 *  3. A worker that dies costs only its job: the job is tried once more on
 *     a fresh worker, then collected as EVAL_CRASHED with the reason.
 *  4. evaluator_free stops every worker and waits for it: no orphans. */
#ifndef NASVIEW_EVALUATOR_H
#define NASVIEW_EVALUATOR_H

#include "base/nv_error.h"
#include "data/dataset.h"
#include "space/genotype.h"
#include "train/train.h"

typedef struct {
    int idx;           /* sample index: the job's key (unique in flight) */
    Genotype genotype; /* the child's cells */
    TrainConfig train; /* proxy settings, seed = the child's own seed */
} EvalJob;

typedef enum {
    EVAL_TRAINED = 0, /* result holds what train_child returned (it may
                         have diverged) */
    EVAL_CRASHED,     /* its worker died on both attempts; message says
                         how */
    EVAL_ERROR        /* train_child failed (status and message): not the
                         worker's fault, so not retried */
} EvalOutcome;

typedef struct {
    int idx;                    /* the job's sample index */
    EvalOutcome outcome;
    TrainResult result;         /* EVAL_TRAINED */
    NvStatus status;            /* EVAL_ERROR: train_child's status */
    int attempts;               /* 1, or 2 when a worker died under it */
    char message[NV_ERROR_MAX]; /* EVAL_CRASHED, EVAL_ERROR: why */
} EvalResult;

/* What hooks->poll answers. */
typedef enum {
    EVAL_GO = 0,   /* carry on */
    EVAL_STOP = 1, /* stop: collect returns NV_ERR_INTERRUPTED */
    EVAL_HOLD = 2  /* pause: training is held (workers stopped with
                      SIGSTOP) and poll is asked again about every 50 ms */
} EvalPoll;

typedef struct {
    /* start - job idx is about to begin training (first attempt only); a
     * failure ends the collect that called it with that error. */
    NvStatus (*start)(void *ctx, int idx, NvError *err);
    /* progress - a progress point of job idx (as train_child reports it;
     * workers send about five a second, plus every epoch end). */
    void (*progress)(void *ctx, int idx, const TrainProgress *p);
    /* poll - asked about every training step or 50 ms of waiting. */
    EvalPoll (*poll)(void *ctx);
    void *ctx;
} EvalHooks;

typedef struct Evaluator Evaluator;

/* evaluator_inprocess_new - an evaluator that trains each job in this
 * process (with the job's own thread count) while evaluator_collect runs.
 * train and val are borrowed and must outlive it; *hooks is copied.
 * Returns NULL with err filled when out of memory.  Owned by the caller
 * (evaluator_free). */
Evaluator *evaluator_inprocess_new(const Dataset *train, const Dataset *val,
                                   const EvalHooks *hooks, NvError *err);

/* evaluator_workers_new - fork `workers` (2 .. EVAL_MAX_WORKERS) worker
 * processes that share train and val (borrowed, must outlive the
 * evaluator) copy-on-write, and wait until each has said it is ready.
 * A worker that cannot start makes this fail at once with its message
 * (NV_ERR_RUNTIME, or the worker's own status), with every worker already
 * started stopped again.  *hooks is copied.  Owned by the caller
 * (evaluator_free).  Ignores SIGPIPE in this process for its lifetime
 * (messages to a dead worker fail with EPIPE instead). */
Evaluator *evaluator_workers_new(int workers, const Dataset *train,
                                 const Dataset *val, const EvalHooks *hooks,
                                 NvError *err);

/* The most worker processes one evaluator starts. */
#define EVAL_MAX_WORKERS 256

/* evaluator_slots - how many jobs train at the same time (1 in-process,
 * K with K workers): the natural size of a batch that may take any. */
int evaluator_slots(const Evaluator *ev);

/* evaluator_pending - jobs submitted and not yet collected. */
int evaluator_pending(const Evaluator *ev);

/* evaluator_submit - queue *job (copied); its idx must not be pending
 * already.  Jobs start in submission order as slots free up (a retried
 * job goes first).  NV_ERR_NOMEM when the queue cannot grow. */
NvStatus evaluator_submit(Evaluator *ev, const EvalJob *job, NvError *err);

/* evaluator_collect - wait for the next job to finish and fill *out (any
 * pending job; the first to finish).  Returns NV_OK with *out filled;
 * NV_ERR_INTERRUPTED when hooks->poll answered EVAL_STOP (no result);
 * NV_ERR_USAGE when nothing is pending; the error of hooks->start; or
 * NV_ERR_RUNTIME (or the worker's own status) when a dead worker cannot be
 * replaced or a fresh one says it cannot start (the search cannot go
 * on).  A worker that sends something that is not a message is treated
 * as dead (invariant 3). */
NvStatus evaluator_collect(Evaluator *ev, EvalResult *out, NvError *err);

/* evaluator_free - abandon pending jobs, kill (SIGKILL) and reap every
 * worker.  NULL is a no-op. */
void evaluator_free(Evaluator *ev);

#endif
