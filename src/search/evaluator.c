/* evaluator.c - the evaluator interface (evaluator.h): the queue of jobs
 * every kind shares, the poll/hold protocol, and the in-process kind,
 * which trains one job at a time inside evaluator_collect.  The worker
 * processes are in evaluator_workers.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/evaluator_impl.h"

void eval_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int eval_queue_pop(Evaluator *ev, EvalTask *t)
{
    if (ev->qlen == 0)
        return 0;
    *t = ev->queue[0];
    ev->qlen--;
    memmove(ev->queue, ev->queue + 1, (size_t)ev->qlen * sizeof *ev->queue);
    return 1;
}

static NvStatus queue_grow(Evaluator *ev, NvError *err)
{
    if (ev->qlen < ev->qcap)
        return NV_OK;
    int cap = ev->qcap ? 2 * ev->qcap : 16;
    EvalTask *q = realloc(ev->queue, (size_t)cap * sizeof *q);
    if (!q)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory queueing %d children", cap);
    ev->queue = q;
    ev->qcap = cap;
    return NV_OK;
}

NvStatus eval_queue_push_front(Evaluator *ev, const EvalTask *t, NvError *err)
{
    NvStatus r;
    if ((r = queue_grow(ev, err)))
        return r;
    memmove(ev->queue + 1, ev->queue, (size_t)ev->qlen * sizeof *ev->queue);
    ev->queue[0] = *t;
    ev->qlen++;
    return NV_OK;
}

NvStatus eval_collect_remote(Evaluator *ev, EvalReady *ready,
                             NvStatus (*dispatch)(Evaluator *, NvError *),
                             NvStatus (*pump)(Evaluator *, int, NvError *),
                             int poll_ms, EvalResult *out, NvError *err)
{
    NvStatus r;
    for (;;) {
        if (eval_wait(ev))
            return nv_error_set(err, NV_ERR_INTERRUPTED, "stopped");
        if ((r = dispatch(ev, err)))
            return r;
        if (eval_ready_pop(ready, out)) {
            ev->pending--;
            return NV_OK;
        }
        if ((r = pump(ev, poll_ms, err)))
            return r;
    }
}

int eval_wait(Evaluator *ev)
{
    for (;;) {
        EvalPoll p = ev->hooks.poll ? ev->hooks.poll(ev->hooks.ctx) : EVAL_GO;
        if (p == EVAL_STOP)
            return 1;
        if (p == EVAL_GO) {
            if (ev->held) {
                ev->ops->hold(ev, 0);
                ev->held = 0;
            }
            return 0;
        }
        if (!ev->held) {
            ev->ops->hold(ev, 1);
            ev->held = 1;
        }
        eval_sleep_ms(50);
    }
}

int evaluator_slots(const Evaluator *ev)
{
    return ev->slots;
}

int evaluator_pending(const Evaluator *ev)
{
    return ev->pending;
}

NvStatus evaluator_submit(Evaluator *ev, const EvalJob *job, NvError *err)
{
    NvStatus r;
    if ((r = queue_grow(ev, err)))
        return r;
    ev->queue[ev->qlen].job = *job;
    ev->queue[ev->qlen].attempts = 0;
    ev->qlen++;
    ev->pending++;
    return NV_OK;
}

NvStatus evaluator_collect(Evaluator *ev, EvalResult *out, NvError *err)
{
    if (ev->pending <= 0)
        return nv_error_set(err, NV_ERR_USAGE,
                            "evaluator: nothing to collect");
    return ev->ops->collect(ev, out, err);
}

void evaluator_free(Evaluator *ev)
{
    if (!ev)
        return;
    ev->ops->done(ev);
    free(ev->queue);
    free(ev);
}

/* ---- in-process --------------------------------------------------------- */

typedef struct {
    Evaluator *ev;
    int idx;
} InprocCtx;

static int inproc_progress(const TrainProgress *p, void *ctx)
{
    InprocCtx *c = ctx;
    if (c->ev->hooks.progress)
        c->ev->hooks.progress(c->ev->hooks.ctx, c->idx, p);
    /* A pause holds training right here, mid-child. */
    return eval_wait(c->ev);
}

static NvStatus inproc_collect(Evaluator *ev, EvalResult *out, NvError *err)
{
    EvalTask t;
    NvError terr;
    NvStatus st;
    if (eval_wait(ev))
        return nv_error_set(err, NV_ERR_INTERRUPTED, "stopped");
    if (!eval_queue_pop(ev, &t))
        return nv_error_set(err, NV_ERR_USAGE, "evaluator: queue empty");
    if (ev->hooks.start &&
        (st = ev->hooks.start(ev->hooks.ctx, t.job.idx, err)))
        return st;
    memset(out, 0, sizeof *out);
    out->idx = t.job.idx;
    out->attempts = 1;
    InprocCtx c = { ev, t.job.idx };
    nv_error_clear(&terr);
    st = train_child(&t.job.genotype, &t.job.train, ev->train, ev->val, NULL,
                     inproc_progress, &c, &out->result, &terr);
    if (st == NV_OK && out->result.interrupted)
        return nv_error_set(err, NV_ERR_INTERRUPTED, "stopped");
    ev->pending--;
    if (st != NV_OK) {
        out->outcome = EVAL_ERROR;
        out->status = st;
        snprintf(out->message, sizeof out->message, "%s", terr.msg);
    } else {
        out->outcome = EVAL_TRAINED;
    }
    return NV_OK;
}

static void inproc_hold(Evaluator *ev, int on)
{
    (void)ev, (void)on; /* eval_wait itself blocks the one training job */
}

static void inproc_done(Evaluator *ev)
{
    (void)ev;
}

static const EvalOps inproc_ops = { inproc_collect, inproc_hold,
                                    inproc_done };

Evaluator *evaluator_inprocess_new(const Dataset *train, const Dataset *val,
                                   const EvalHooks *hooks, NvError *err)
{
    Evaluator *ev = calloc(1, sizeof *ev);
    if (!ev) {
        nv_error_set(err, NV_ERR_NOMEM, "out of memory for the evaluator");
        return NULL;
    }
    ev->ops = &inproc_ops;
    ev->hooks = *hooks;
    ev->train = train;
    ev->val = val;
    ev->slots = 1;
    return ev;
}

NvStatus eval_ready_push(EvalReady *q, const EvalResult *res, NvError *err)
{
    if (q->n == q->cap) {
        int cap = q->cap ? 2 * q->cap : 8;
        EvalResult *r = realloc(q->r, (size_t)cap * sizeof *r);
        if (!r)
            return nv_error_set(err, NV_ERR_NOMEM,
                                "out of memory for children's results");
        q->r = r;
        q->cap = cap;
    }
    q->r[q->n++] = *res;
    return NV_OK;
}

int eval_ready_pop(EvalReady *q, EvalResult *out)
{
    if (q->n == 0)
        return 0;
    *out = q->r[0];
    q->n--;
    memmove(q->r, q->r + 1, (size_t)q->n * sizeof *q->r);
    return 1;
}

void eval_ready_free(EvalReady *q)
{
    free(q->r);
    q->r = NULL;
    q->n = q->cap = 0;
}
