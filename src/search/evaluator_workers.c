/* evaluator_workers.c - the worker-process evaluator (evaluator.h): K
 * forked processes, each training one job at a time with the datasets it
 * inherited copy-on-write from the search process.
 *
 * The messages and their framing are in eval_wire.h; each worker talks to
 * the search over one AF_UNIX stream socket.
 *
 * Invariants:
 *  1. A worker holds at most one job; jobs go only to workers that said
 *     READY.  The search never blocks writing (a job is a few hundred
 *     bytes into an empty socket) and reads with poll(), so a stuck or
 *     dead worker never stalls the others.
 *  2. End of file or a read error on a worker's socket means it died, and
 *     a worker that sends something that is not a message is killed: it
 *     is reaped, replaced by a fresh fork, and its job queued again at the
 *     head (first death) or reported EVAL_CRASHED (second).
 *  3. Workers ignore SIGINT and SIGHUP (a terminal's Ctrl-C or hangup
 *     reaches the whole process group; the search decides what a stop
 *     means) and SIGUSR1/SIGUSR2,
 *     and die with the search (PR_SET_PDEATHSIG where there is one; a
 *     write to a closed socket otherwise).  Nothing in a worker touches the
 *     database, and a worker leaves by _exit, so the search's stdio buffers
 *     and SQLite connection are not flushed or closed twice. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/clock.h"
#include "base/bytes.h"
#include "search/eval_wire.h"
#include "search/evaluator_impl.h"

/* How often a worker sends progress (seconds); epoch ends always go. */
#define WORKER_PROGRESS_PERIOD 0.2
/* How long the search waits in poll() before asking hooks->poll (ms). */
#define WORKERS_POLL_MS 50

typedef struct {
    pid_t pid;    /* 0: no process */
    int fd;       /* the search's end of the socket, -1: none */
    int ready;    /* sent WIRE_READY */
    int busy;     /* holds task */
    EvalTask task;
    uint8_t buf[WIRE_HEADER + WIRE_MAX]; /* bytes read, not yet framed */
    size_t have;
} Worker;

typedef struct {
    int n;
    Worker *w;            /* [n] */
    EvalReady ready;      /* results not yet collected */
    struct sigaction old_pipe;
} Workers;

/* ---- framing ------------------------------------------------------------ */

static int write_full(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_full(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* send_frame - type and w's bytes as one frame, written at once from the
 * stack (no allocation: a worker sends progress while it trains); -1 when
 * the peer is gone or w failed. */
static int send_frame(int fd, uint32_t type, const ByteWriter *w)
{
    uint8_t out[WIRE_HEADER + WIRE_MAX];
    size_t n = wire_encode(type, w, out);
    return n ? write_full(fd, out, n) : -1;
}

/* ---- the worker process ------------------------------------------------- */

typedef struct {
    int fd;
    int idx;
    double last;   /* when progress was last sent */
    int was_evaluating;
    int dead;      /* the search is gone */
    ByteWriter *w; /* the worker's one writer, reused for every message */
} WorkerCtx;

static int worker_progress(const TrainProgress *p, void *ctx)
{
    WorkerCtx *c = ctx;
    double t = clock_now_s();
    int64_t per = p->epochs > 0 ? p->steps / p->epochs : p->steps;
    int epoch_end = per > 0 && p->step > 0 && !p->evaluating &&
                    p->step % per == 0;
    if (c->last < 0 || epoch_end || p->evaluating != c->was_evaluating ||
        t - c->last >= WORKER_PROGRESS_PERIOD) {
        bytes_writer_reset(c->w);
        wire_put_progress(c->w, c->idx, p);
        if (send_frame(c->fd, WIRE_PROGRESS, c->w))
            c->dead = 1;
        c->last = t;
        c->was_evaluating = p->evaluating;
    }
    return c->dead;
}

/* worker_fail - tell the search this worker cannot start, and leave. */
static void worker_fail(int fd, NvStatus st, const char *msg)
    __attribute__((noreturn));
static void worker_fail(int fd, NvStatus st, const char *msg)
{
    ByteWriter w;
    bytes_writer_init(&w);
    wire_put_fail(&w, st, msg);
    send_frame(fd, WIRE_FAIL, &w);
    _exit(1);
}

/* worker_main - the whole life of a worker process: say READY, then train
 * each job it is sent until its socket closes. */
static void worker_main(int fd, const Dataset *train, const Dataset *val)
    __attribute__((noreturn));
static void worker_main(int fd, const Dataset *train, const Dataset *val)
{
    ByteWriter w;
    uint8_t hdr[WIRE_HEADER], payload[WIRE_MAX];

    if (!train || !val || train->n < 1 || val->n < 1 || !train->pixels ||
        !val->pixels)
        worker_fail(fd, NV_ERR_RUNTIME,
                    "no training or validation images to train on");
    bytes_writer_init(&w);
    if (send_frame(fd, WIRE_READY, &w))
        _exit(1);
    for (;;) {
        uint32_t type, len;
        EvalJob job;
        TrainResult res;
        NvError err;
        NvStatus st;
        if (read_full(fd, hdr, sizeof hdr))
            _exit(0); /* the search closed the socket: done */
        if (wire_frame(hdr, sizeof hdr, &type, &len) < 0 ||
            read_full(fd, payload, len) || type != WIRE_JOB ||
            wire_get_job(payload, len, &job, NULL) != NV_OK)
            _exit(2); /* not the search talking: a crash it will see */
        WorkerCtx c = { fd, job.idx, -1.0, 0, 0, &w };
        nv_error_clear(&err);
        st = train_child(&job.genotype, &job.train, train, val, NULL,
                         worker_progress, &c, &res, &err);
        if (c.dead)
            _exit(0);
        if (st != NV_OK)
            memset(&res, 0, sizeof res);
        bytes_writer_reset(&w);
        wire_put_result(&w, job.idx, st, &res, err.msg);
        if (send_frame(fd, WIRE_RESULT, &w))
            _exit(0);
    }
}

/* ---- the search's side -------------------------------------------------- */

/* spawn - fork worker i (which must have no process). */
static NvStatus spawn(Evaluator *ev, int i, NvError *err)
{
    Workers *ws = ev->impl;
    Worker *wk = &ws->w[i];
    int sv[2];
    pid_t parent = getpid(), pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "cannot make a socket for worker %d: %s", i + 1,
                            strerror(errno));
    fflush(NULL); /* nothing buffered is written twice */
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "cannot start worker %d: %s", i + 1, strerror(e));
    }
    if (pid == 0) {
        struct sigaction sa;
        sigset_t none;
        close(sv[0]);
        for (int k = 0; k < ws->n; k++)
            if (ws->w[k].fd >= 0)
                close(ws->w[k].fd);
        memset(&sa, 0, sizeof sa);
        sigemptyset(&sa.sa_mask);
        sa.sa_handler = SIG_IGN;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGUSR2, &sa, NULL);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGPIPE, &sa, NULL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (getppid() != parent)
            _exit(1); /* the search died before prctl took effect */
        worker_main(sv[1], ev->train, ev->val);
    }
    close(sv[1]);
    wk->pid = pid;
    wk->fd = sv[0];
    wk->ready = 0;
    wk->busy = 0;
    wk->have = 0;
    return NV_OK;
}

/* reap - kill and wait for worker i; describe how it ended into why. */
static void reap(Worker *wk, char *why, size_t n)
{
    int status = 0;
    if (wk->fd >= 0)
        close(wk->fd);
    wk->fd = -1;
    if (wk->pid > 0) {
        pid_t r;
        /* It may be alive still (it closed its socket or sent nonsense). */
        if (waitpid(wk->pid, &status, WNOHANG) == 0) {
            kill(wk->pid, SIGKILL);
            while ((r = waitpid(wk->pid, &status, 0)) < 0 && errno == EINTR)
                ;
        }
        if (why) {
            if (WIFSIGNALED(status))
                snprintf(why, n, "killed by signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
            else if (WIFEXITED(status))
                snprintf(why, n, "exited with status %d",
                         WEXITSTATUS(status));
            else
                snprintf(why, n, "ended");
        }
    }
    wk->pid = 0;
    wk->ready = 0;
    wk->busy = 0;
    wk->have = 0;
}

/* died - worker i is gone, or is to be (it sent something that is not a
 * message; `reason` says what, NULL: it ended by itself): invariant 2. */
static NvStatus died(Evaluator *ev, int i, const char *reason, NvError *err)
{
    Workers *ws = ev->impl;
    Worker *wk = &ws->w[i];
    char why[NV_ERROR_MAX / 2];
    int was_ready = wk->ready, busy = wk->busy;
    pid_t pid = wk->pid;
    EvalTask t = wk->task;
    NvStatus r;

    reap(wk, why, sizeof why);
    if (reason)
        snprintf(why, sizeof why, "%s", reason);
    if (!was_ready)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "worker %d (pid %d) %s before it was ready",
                            i + 1, (int)pid, why);
    if (busy) {
        if (t.attempts < 2) {
            if ((r = eval_queue_push_front(ev, &t, err)))
                return r;
        } else {
            EvalResult res;
            memset(&res, 0, sizeof res);
            res.idx = t.job.idx;
            res.outcome = EVAL_CRASHED;
            res.attempts = t.attempts;
            snprintf(res.message, sizeof res.message,
                     "its worker process died on both attempts (the last, "
                     "pid %d, %s)",
                     (int)pid, why);
            if ((r = eval_ready_push(&ws->ready, &res, err)))
                return r;
        }
    }
    if ((r = spawn(ev, i, err)))
        return r;
    if (ev->held)
        kill(ws->w[i].pid, SIGSTOP);
    return NV_OK;
}

/* frame - handle one whole frame from worker i. */
static NvStatus frame(Evaluator *ev, int i, uint32_t type,
                      const uint8_t *p, uint32_t len, NvError *err)
{
    Workers *ws = ev->impl;
    Worker *wk = &ws->w[i];
    NvError bad;
    nv_error_clear(&bad);
    switch (type) {
    case WIRE_READY:
        if (len != 0 || wk->ready)
            break;
        wk->ready = 1;
        return NV_OK;
    case WIRE_FAIL: {
        char msg[NV_ERROR_MAX];
        NvStatus st;
        if (wire_get_fail(p, len, &st, msg, sizeof msg, &bad))
            break;
        return nv_error_set(err, st, "worker %d (pid %d): %s", i + 1,
                            (int)wk->pid, msg);
    }
    case WIRE_PROGRESS: {
        TrainProgress pr;
        int idx;
        if (wire_get_progress(p, len, &idx, &pr, &bad))
            break;
        if (wk->busy && idx == wk->task.job.idx && ev->hooks.progress)
            ev->hooks.progress(ev->hooks.ctx, idx, &pr);
        return NV_OK;
    }
    case WIRE_RESULT: {
        EvalResult res;
        if (wire_get_result(p, len, &res, &bad))
            break;
        if (!wk->busy || res.idx != wk->task.job.idx) {
            snprintf(bad.msg, sizeof bad.msg,
                     "a result for sample %d it was not training", res.idx);
            break;
        }
        res.attempts = wk->task.attempts;
        wk->busy = 0;
        return eval_ready_push(&ws->ready, &res, err);
    }
    default:
        snprintf(bad.msg, sizeof bad.msg, "a message of unknown type %u",
                 type);
        break;
    }
    {
        char reason[NV_ERROR_MAX / 2];
        snprintf(reason, sizeof reason,
                 "sent a damaged message (type %u, %u bytes: %.100s)", type,
                 len, bad.msg[0] ? bad.msg : "unexpected");
        return died(ev, i, reason, err);
    }
}

/* drain - read what worker i has sent and handle its whole frames. */
static NvStatus drain(Evaluator *ev, int i, NvError *err)
{
    Workers *ws = ev->impl;
    Worker *wk = &ws->w[i];
    ssize_t k = read(wk->fd, wk->buf + wk->have, sizeof wk->buf - wk->have);
    NvStatus r;
    if (k < 0 && (errno == EINTR || errno == EAGAIN))
        return NV_OK;
    if (k <= 0)
        return died(ev, i, NULL, err);
    wk->have += (size_t)k;
    for (;;) {
        uint32_t type, len;
        pid_t pid = wk->pid;
        int f = wire_frame(wk->buf, wk->have, &type, &len);
        if (f < 0) {
            char reason[96];
            snprintf(reason, sizeof reason,
                     "sent a message of %u bytes (at most %u)", len,
                     WIRE_MAX);
            return died(ev, i, reason, err);
        }
        if (f == 0)
            break;
        if ((r = frame(ev, i, type, wk->buf + WIRE_HEADER, len, err)))
            return r;
        if (wk->pid != pid)
            return NV_OK; /* replaced meanwhile: its bytes are gone */
        wk->have -= WIRE_HEADER + len;
        memmove(wk->buf, wk->buf + WIRE_HEADER + len, wk->have);
    }
    return NV_OK;
}

/* dispatch - give queued jobs to idle ready workers. */
static NvStatus dispatch(Evaluator *ev, NvError *err)
{
    Workers *ws = ev->impl;
    NvStatus r;
    for (int i = 0; i < ws->n && ev->qlen > 0; i++) {
        Worker *wk = &ws->w[i];
        EvalTask t;
        ByteWriter w;
        int bad;
        if (!wk->ready || wk->busy || wk->fd < 0)
            continue;
        eval_queue_pop(ev, &t);
        if (t.attempts == 0 && ev->hooks.start &&
            (r = ev->hooks.start(ev->hooks.ctx, t.job.idx, err))) {
            eval_queue_push_front(ev, &t, NULL);
            return r;
        }
        t.attempts++;
        wk->task = t;
        wk->busy = 1;
        bytes_writer_init(&w);
        wire_put_job(&w, &t.job);
        bad = send_frame(wk->fd, WIRE_JOB, &w);
        bytes_writer_done(&w);
        if (bad && (r = died(ev, i, NULL, err)))
            return r;
    }
    return NV_OK;
}

/* pump - wait up to ms for messages from any worker and handle them. */
static NvStatus pump(Evaluator *ev, int ms, NvError *err)
{
    Workers *ws = ev->impl;
    struct pollfd pf[EVAL_MAX_WORKERS];
    int map[EVAL_MAX_WORKERS], n = 0, k;
    NvStatus r;
    for (int i = 0; i < ws->n; i++)
        if (ws->w[i].fd >= 0) {
            pf[n].fd = ws->w[i].fd;
            pf[n].events = POLLIN;
            pf[n].revents = 0;
            map[n++] = i;
        }
    k = poll(pf, (nfds_t)n, ms);
    if (k < 0 && errno != EINTR)
        return nv_error_set(err, NV_ERR_RUNTIME, "waiting for workers: %s",
                            strerror(errno));
    for (int j = 0; k > 0 && j < n; j++)
        if (pf[j].revents && (r = drain(ev, map[j], err)))
            return r;
    return NV_OK;
}

static NvStatus workers_collect(Evaluator *ev, EvalResult *out, NvError *err)
{
    Workers *ws = ev->impl;
    return eval_collect_remote(ev, &ws->ready, dispatch, pump,
                               WORKERS_POLL_MS, out, err);
}

static void workers_hold(Evaluator *ev, int on)
{
    Workers *ws = ev->impl;
    for (int i = 0; i < ws->n; i++)
        if (ws->w[i].pid > 0)
            kill(ws->w[i].pid, on ? SIGSTOP : SIGCONT);
}

static void workers_done(Evaluator *ev)
{
    Workers *ws = ev->impl;
    if (!ws)
        return;
    for (int i = 0; i < ws->n; i++)
        if (ws->w[i].pid > 0)
            kill(ws->w[i].pid, SIGKILL);
    for (int i = 0; i < ws->n; i++)
        reap(&ws->w[i], NULL, 0);
    sigaction(SIGPIPE, &ws->old_pipe, NULL);
    free(ws->w);
    eval_ready_free(&ws->ready);
    free(ws);
    ev->impl = NULL;
}

static const EvalOps workers_ops = { workers_collect, workers_hold,
                                     workers_done };

Evaluator *evaluator_workers_new(int workers, const Dataset *train,
                                 const Dataset *val, const EvalHooks *hooks,
                                 NvError *err)
{
    if (workers < 2 || workers > EVAL_MAX_WORKERS) {
        nv_error_set(err, NV_ERR_USAGE,
                     "--workers: %d worker processes (2 .. %d; 1 trains in "
                     "the search process)",
                     workers, EVAL_MAX_WORKERS);
        return NULL;
    }
    return eval_workers_start(workers, train, val, hooks, err);
}

Evaluator *eval_workers_start(int workers, const Dataset *train,
                              const Dataset *val, const EvalHooks *hooks,
                              NvError *err)
{
    Evaluator *ev;
    Workers *ws;
    struct sigaction sa;
    NvStatus r = NV_OK;

    if (workers < 1 || workers > EVAL_MAX_WORKERS) {
        nv_error_set(err, NV_ERR_USAGE, "%d worker processes (1 .. %d)",
                     workers, EVAL_MAX_WORKERS);
        return NULL;
    }
    ev = calloc(1, sizeof *ev);
    ws = calloc(1, sizeof *ws);
    if (ws)
        ws->w = calloc((size_t)workers, sizeof *ws->w);
    if (!ev || !ws || !ws->w) {
        if (ws)
            free(ws->w);
        free(ws);
        free(ev);
        nv_error_set(err, NV_ERR_NOMEM, "out of memory for %d workers",
                     workers);
        return NULL;
    }
    ev->ops = &workers_ops;
    ev->hooks = *hooks;
    ev->train = train;
    ev->val = val;
    ev->slots = workers;
    ev->impl = ws;
    ws->n = workers;
    for (int i = 0; i < workers; i++)
        ws->w[i].fd = -1;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &ws->old_pipe);
    for (int i = 0; i < workers && r == NV_OK; i++)
        r = spawn(ev, i, err);
    /* Wait until every worker is ready, or one of them says why not. */
    while (r == NV_OK) {
        int all = 1;
        for (int i = 0; i < workers; i++)
            all = all && ws->w[i].ready;
        if (all)
            break;
        if (eval_wait(ev))
            r = nv_error_set(err, NV_ERR_INTERRUPTED,
                             "stopped while the workers started");
        else
            r = pump(ev, WORKERS_POLL_MS, err);
    }
    if (r != NV_OK) {
        evaluator_free(ev);
        return NULL;
    }
    return ev;
}
