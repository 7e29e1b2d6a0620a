/* evaluator_impl.h - what the two evaluator kinds share behind
 * evaluator.h: the Evaluator object, the per-kind operations and the queue
 * of jobs not yet started.  Only evaluator*.c include this. */
#ifndef NASVIEW_EVALUATOR_IMPL_H
#define NASVIEW_EVALUATOR_IMPL_H

#include "search/evaluator.h"

/* A job with the number of attempts already started on it. */
typedef struct {
    EvalJob job;
    int attempts;
} EvalTask;

typedef struct {
    /* collect - evaluator_collect for this kind (ev->pending > 0). */
    NvStatus (*collect)(Evaluator *ev, EvalResult *out, NvError *err);
    /* hold - stop (on = 1) or continue (on = 0) every training job. */
    void (*hold)(Evaluator *ev, int on);
    /* done - free ev->impl, stopping whatever it started. */
    void (*done)(Evaluator *ev);
} EvalOps;

struct Evaluator {
    const EvalOps *ops;
    EvalHooks hooks;
    const Dataset *train, *val; /* borrowed */
    int slots;                  /* jobs at once */
    int pending;                /* submitted, not collected */
    EvalTask *queue;            /* [qlen] not started, next first */
    int qlen, qcap;
    int held;                   /* hold(1) in force */
    void *impl;
};

/* eval_queue_pop - take the next task off the queue into *t; 0 when the
 * queue is empty. */
int eval_queue_pop(Evaluator *ev, EvalTask *t);

/* eval_queue_push_front - put t back at the head of the queue (a retry
 * goes before jobs that never started).  NV_ERR_NOMEM when it cannot. */
NvStatus eval_queue_push_front(Evaluator *ev, const EvalTask *t,
                               NvError *err);

/* EvalReady - the results that finished and are not yet collected, in
 * the order they finished (the worker and MPI evaluators). */
typedef struct {
    EvalResult *r;
    int n, cap;
} EvalReady;

/* eval_ready_push - append res; NV_ERR_NOMEM when it cannot grow. */
NvStatus eval_ready_push(EvalReady *q, const EvalResult *res, NvError *err);

/* eval_ready_pop - take the oldest into *out: 1, or 0 when q is empty. */
int eval_ready_pop(EvalReady *q, EvalResult *out);

/* eval_ready_free - release q's storage. */
void eval_ready_free(EvalReady *q);

/* eval_collect_remote - the collect of an evaluator whose jobs train
 * elsewhere (worker processes, MPI ranks): until a result is ready in
 * *ready, wait while held (eval_wait), start queued jobs on free slots
 * (dispatch) and take in what arrives for up to poll_ms (pump).  NV_OK
 * with the oldest result in *out; NV_ERR_INTERRUPTED when told to stop;
 * dispatch's or pump's error otherwise. */
NvStatus eval_collect_remote(Evaluator *ev, EvalReady *ready,
                             NvStatus (*dispatch)(Evaluator *, NvError *),
                             NvStatus (*pump)(Evaluator *, int, NvError *),
                             int poll_ms, EvalResult *out, NvError *err);

/* eval_wait - ask hooks->poll until it answers EVAL_GO (returns 0) or
 * EVAL_STOP (returns 1), holding the jobs (ops->hold) while it answers
 * EVAL_HOLD and sleeping about 50 ms between questions. */
int eval_wait(Evaluator *ev);

/* eval_sleep_ms - sleep ms milliseconds (signals may cut it short). */
void eval_sleep_ms(int ms);

/* eval_workers_start - evaluator_workers_new for 1 .. EVAL_MAX_WORKERS
 * workers: an MPI rank trains each of its jobs in one forked worker, so
 * that a crash costs the child, not the rank (evaluator_mpi.c). */
Evaluator *eval_workers_start(int workers, const Dataset *train,
                              const Dataset *val, const EvalHooks *hooks,
                              NvError *err);

#endif
