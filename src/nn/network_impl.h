/* network_impl.h - the inside of a Net, shared by network.c (building,
 * the memory plan, net_finish) and netrun.c (running passes on threads,
 * profiling).  Nothing else includes it. */
#ifndef NASVIEW_NETWORK_IMPL_H
#define NASVIEW_NETWORK_IMPL_H

#include "nn/network.h"
#include "base/parallel.h"

#define NET_ALIGN_FLOATS 16 /* 64-byte alignment of every view */

typedef struct {
    float *ws;     /* threads * nws: each part's shared-kind scratch */
    size_t nws;    /* the largest workspace() for one part's images */
    float *tws;    /* threads * ntws */
    float *gparts; /* (threads - 1) * npar */
    double *red;   /* 2 * threads * red_stride */
    size_t red_stride;
    double *prof;  /* threads * LAYER_KINDS: each part's CPU seconds */
} NetThreads;

struct Net {
    int max_batch;
    int threads;
    Tensor **tensors;
    int ntensors, captensors;
    Layer **layers;
    int nlayers, caplayers;
    /* gradient plan: before backward step t (layer nlayers-1-t) zero the
     * gradients zero_list[zero_start[t] .. zero_start[t+1]); tensors
     * no layer reads are zeroed by net_zero_grad */
    Tensor **zero_list;
    int *zero_start;
    Tensor **unread;
    int nunread;
    size_t nact_g;
    NvStatus failed;
    int skip_bn; /* net_skip_bn: net_bn returns its input */
    char failmsg[NV_ERROR_MAX];
    /* arenas (after net_finish) */
    float *act, *act_g, *par, *par_g, *par_m, *state;
    size_t nact, npar, nstate, ntws;
    /* barriers before forward step s (training, inference) and backward
     * step t, where a part would otherwise write memory another part may
     * still read (net_plan_barriers) */
    char *bar_train, *bar_infer, *bar_back;
    /* per thread (net_threads_alloc): scratch, gradient copies of parts
     * 1.., layer_reduce's exchange */
    NetThreads th;
    ParallelPool *pool;
    /* borrowed parameters (net_borrow_params): the lender, the key scope
     * of the parameters being made and their number in it; after
     * net_finish, the distinct borrowed tensors, one per span */
    NetLendFn lend;
    void *lend_ctx;
    uint64_t scope;
    int scope_count;
    Tensor **spans;
    int nspans;
    int finished;
    int profile;
    int64_t prof_calls[LAYER_KINDS];
};

/* net_alloc - n zeroed floats (at least NET_ALIGN_FLOATS), 64-byte
 * aligned; NULL when out of memory. */
float *net_alloc(size_t n);

/* net_threads_alloc - the per-thread buffers for `threads` threads, once
 * the plan has set ntws and npar: 0, or -1 when out of memory (th then
 * holds nothing).  net_threads_free releases them; th is left empty. */
int net_threads_alloc(const Net *net, int threads, NetThreads *th);
void net_threads_free(NetThreads *th);

#endif
