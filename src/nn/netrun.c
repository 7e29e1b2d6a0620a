/* netrun.c - running a finished network: forward and backward passes on
 * every thread at once, each thread (part) on its own range of the batch's
 * images (layers.h; invariant 6 of network.c), batch-norm recalibration
 * passes, the per-thread buffers, the thread count and per-kind
 * profiling. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "nn/network_impl.h"

void net_threads_free(NetThreads *th)
{
    free(th->ws);
    free(th->tws);
    free(th->gparts);
    free(th->red);
    free(th->prof);
    *th = (NetThreads){ 0 };
}

int net_threads_alloc(const Net *net, int threads, NetThreads *th)
{
    *th = (NetThreads){ 0 };
    th->red_stride = 1; /* the most doubles any layer exchanges */
    const int part_max = (net->max_batch + threads - 1) / threads;
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = net->layers[i];
        const LayerKind *k = &layer_kinds[l->kind];
        size_t w = k->workspace ? k->workspace(l, part_max) : 0;
        if (w > th->nws)
            th->nws = (w + NET_ALIGN_FLOATS - 1) / NET_ALIGN_FLOATS *
                      NET_ALIGN_FLOATS;
        size_t r = k->reduce_doubles ? k->reduce_doubles(l) : 0;
        if (r > th->red_stride)
            th->red_stride = r;
    }
    th->ws = net_alloc(th->nws * (size_t)threads);
    th->tws = net_alloc(net->ntws * (size_t)threads);
    th->gparts = net_alloc(net->npar * (size_t)(threads - 1));
    th->red = calloc(2 * (size_t)threads * th->red_stride, sizeof(double));
    th->prof = calloc((size_t)threads * LAYER_KINDS, sizeof(double));
    if (!th->ws || !th->tws || !th->gparts || !th->red || !th->prof) {
        net_threads_free(th);
        return -1;
    }
    return 0;
}

void net_set_input(Net *net, Tensor *t, const float *nchw, int n)
{
    (void)net;
    const size_t hw = (size_t)t->h * t->w;
    for (int c = 0; c < t->c; c++)
        for (int b = 0; b < n; b++)
            memcpy(t->x + ((size_t)c * n + b) * hw,
                   nchw + ((size_t)b * t->c + c) * hw, sizeof(float) * hw);
}

/* One pass over the network by every thread, each on its part of the
 * batch (layers.h). */
typedef struct {
    Net *net;
    int n, train, recal;
    NetVisitFn visit; /* net_forward_visit's, one part only; else NULL */
    void *visit_ctx;
} NetPass;

static LayerCtx net_ctx(const NetPass *pass, int part, int parts,
                        int *red_count)
{
    Net *net = pass->net;
    long b0, b1;
    parallel_range(pass->n, part, parts, &b0, &b1);
    LayerCtx cx = {
        .n = pass->n,
        .train = pass->train,
        .recal = pass->recal,
        .part = part,
        .parts = parts,
        .b0 = (int)b0,
        .b1 = (int)b1,
        .ws = net->th.ws + (size_t)part * net->th.nws,
        .tws = net->th.tws + (size_t)part * net->ntws,
        .par_g = net->par_g,
        .gpart = part == 0 ? net->par_g
                           : net->th.gparts + (size_t)(part - 1) * net->npar,
        .red = net->th.red,
        .red_stride = net->th.red_stride,
        .red_count = red_count,
        .pool = net->pool,
    };
    return cx;
}

/* Run layer l forward or backward, timed per part when profiling. */
static void net_run_layer(Net *net, const Layer *lc, const LayerCtx *cx,
                          int backward)
{
    Layer *l = (Layer *)lc;
    const LayerKind *k = &layer_kinds[l->kind];
    if (!net->profile) {
        (backward ? k->backward : k->forward)(l, cx);
        return;
    }
    /* this thread's CPU time, not wall time: on a shared machine wall
     * time measures the neighbours as much as the layer */
    double t0 = clock_thread_cpu_s();
    (backward ? k->backward : k->forward)(l, cx);
    net->th.prof[(size_t)cx->part * LAYER_KINDS + l->kind] += clock_thread_cpu_s() - t0;
    if (!backward && cx->part == 0)
        net->prof_calls[l->kind]++;
}

static void net_forward_part(void *arg, int part, int parts)
{
    const NetPass *pass = arg;
    Net *net = pass->net;
    int red_count = 0;
    LayerCtx cx = net_ctx(pass, part, parts, &red_count);
    const char *bar = pass->train ? net->bar_train : net->bar_infer;
    for (int i = 0; i < net->nlayers; i++) {
        if (bar[i])
            parallel_barrier(net->pool);
        if (pass->visit) {
            const Tensor *x = layer_relu_input(net->layers[i]);
            if (x)
                pass->visit(x, pass->n, pass->visit_ctx);
        }
        net_run_layer(net, net->layers[i], &cx, 0);
    }
}

void net_forward(Net *net, int n, int train)
{
    NetPass pass = { net, n, train, 0, NULL, NULL };
    parallel_run(net->pool, net_forward_part, &pass);
}

void net_forward_visit(Net *net, int n, int train, NetVisitFn fn, void *ctx)
{
    NetPass pass = { net, n, train, 0, net->threads == 1 ? fn : NULL, ctx };
    parallel_run(net->pool, net_forward_part, &pass);
}

void net_recal_begin(Net *net)
{
    for (int i = 0; i < net->nlayers; i++)
        if (layer_kinds[net->layers[i]->kind].recal_reset)
            layer_kinds[net->layers[i]->kind].recal_reset(net->layers[i]);
}

void net_recal_forward(Net *net, int n)
{
    NetPass pass = { net, n, 1, 1, NULL, NULL };
    parallel_run(net->pool, net_forward_part, &pass);
}

void net_recal_end(Net *net)
{
    for (int i = 0; i < net->nlayers; i++)
        if (layer_kinds[net->layers[i]->kind].recal_apply)
            layer_kinds[net->layers[i]->kind].recal_apply(net->layers[i]);
}

int net_bn_view(const Net *net, int i, const Tensor **x,
                const Tensor **run_mean, const Tensor **run_var)
{
    int seen = 0;
    for (int k = 0; k < net->nlayers; k++) {
        if (net->layers[k]->kind != LAYER_BN)
            continue;
        if (seen++ == i) {
            if (x)
                layer_bn_view(net->layers[k], x, run_mean, run_var);
            return 1;
        }
    }
    return 0;
}

void net_zero_grad(Net *net)
{
    for (int i = 0; i < net->nunread; i++)
        memset(net->unread[i]->g, 0, sizeof(float) * net->unread[i]->size);
    memset(net->par_g, 0, sizeof(float) * net->npar);
}

/* Zero this part's planes of every gradient first used at backward step t. */
static void net_zero_step(const Net *net, const LayerCtx *cx, int t)
{
    for (int z = net->zero_start[t]; z < net->zero_start[t + 1]; z++) {
        Tensor *g = net->zero_list[z];
        const size_t plane = (size_t)g->h * g->w;
        for (int c = 0; c < g->c; c++)
            memset(g->g + ((size_t)c * cx->n + cx->b0) * plane, 0,
                   sizeof(float) * plane * (size_t)(cx->b1 - cx->b0));
    }
}

static void net_backward_part(void *arg, int part, int parts)
{
    const NetPass *pass = arg;
    Net *net = pass->net;
    int red_count = 0;
    LayerCtx cx = net_ctx(pass, part, parts, &red_count);
    if (part > 0)
        memset(cx.gpart, 0, sizeof(float) * net->npar);
    for (int i = net->nlayers - 1; i >= 0; i--) {
        const int t = net->nlayers - 1 - i;
        if (net->bar_back[t])
            parallel_barrier(net->pool);
        net_zero_step(net, &cx, t);
        net_run_layer(net, net->layers[i], &cx, 1);
    }
    /* the parameter gradients: part 0's plus the other parts' copies, in
     * part order, each part summing its own range of the parameters */
    parallel_barrier(net->pool);
    long lo, hi;
    parallel_range((long)net->npar, part, parts, &lo, &hi);
    for (int t = 1; t < parts; t++) {
        const float *src = net->th.gparts + (size_t)(t - 1) * net->npar;
        for (long i = lo; i < hi; i++)
            net->par_g[i] += src[i];
    }
}

void net_backward(Net *net, int n)
{
    NetPass pass = { net, n, 1, 0, NULL, NULL };
    parallel_run(net->pool, net_backward_part, &pass);
}

NvStatus net_set_threads(Net *net, int threads, NvError *err)
{
    if (threads < 1)
        threads = 1;
    if (threads > NET_MAX_THREADS)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%d threads asked for; at most %d", threads,
                            NET_MAX_THREADS);
    if (threads == net->threads)
        return NV_OK;
    if (!net->finished) {
        net->threads = threads;
        return NV_OK;
    }
    NetThreads th;
    if (net_threads_alloc(net, threads, &th))
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory for %d threads", threads);
    ParallelPool *pool = threads > 1 ? parallel_new(threads) : NULL;
    if (threads > 1 && !pool) {
        net_threads_free(&th);
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "cannot start %d worker threads", threads);
    }
    net_threads_free(&net->th);
    parallel_free(net->pool);
    net->th = th;
    net->pool = pool;
    net->threads = threads;
    return NV_OK;
}

void net_profile(Net *net, int enable)
{
    net->profile = enable;
}

void net_profile_read(const Net *net, double secs[LAYER_KINDS],
                      int64_t calls[LAYER_KINDS])
{
    for (int k = 0; k < LAYER_KINDS; k++) {
        secs[k] = 0.0;
        for (int t = 0; net->th.prof && t < net->threads; t++)
            secs[k] += net->th.prof[(size_t)t * LAYER_KINDS + k];
        calls[k] = net->prof_calls[k];
    }
}

void net_profile_reset(Net *net)
{
    if (net->th.prof)
        memset(net->th.prof, 0,
               sizeof(double) * LAYER_KINDS * (size_t)net->threads);
    memset(net->prof_calls, 0, sizeof net->prof_calls);
}
