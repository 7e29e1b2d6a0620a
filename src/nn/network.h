/* network.h - a feed-forward network of layers (layers.h) with its memory
 * planned once.
 *
 * Building: net_new(), then net_input() and the net_* layer functions in
 * execution order, each returning its output tensor; then net_finish()
 * allocates one arena per role (activations, their gradients, parameters,
 * parameter gradients, optimiser state, running statistics, workspace),
 * binds every tensor to a view of it and initialises the parameters from a
 * seed.  Nothing is allocated after that: forward, backward and the
 * optimiser only use those arenas.
 *
 * Builder errors are sticky (as SQLite's): a failed allocation or a shape
 * that does not fit marks the network failed, later builder calls return
 * NULL, and net_finish() reports the first error.
 *
 * Activations are channel-major x[c][n][h][w]; net_set_input() converts the
 * outside world's NCHW.  Not thread-safe; one network per thread. */
#ifndef NASVIEW_NETWORK_H
#define NASVIEW_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "nn/layers.h"
#include "base/nv_error.h"

typedef struct Net Net;

/* net_new - an empty network for batches of up to max_batch images.
 * Returns NULL when out of memory; free with net_free. */
Net *net_new(int max_batch);

/* net_free - release the network, its layers and arenas; NULL is a no-op. */
void net_free(Net *net);

/* Builders: each returns the output tensor (owned by net) or NULL once the
 * network has failed. */
Tensor *net_input(Net *net, int c, int h, int w);
/* general convolution, no bias; relu applies ReLU to the input first */
Tensor *net_conv(Net *net, Tensor *x, int cout, int kh, int kw, int sh,
                 int sw, int ph, int pw, int dh, int dw, int relu);
/* depthwise k x k, padding k/2, stride 1 or 2 (others fail the network) */
Tensor *net_dwconv(Net *net, Tensor *x, int k, int stride, int relu);
Tensor *net_bn(Net *net, Tensor *x);
/* net_skip_bn - from now on net_bn makes no layer and returns its input
 * (batch norm as the identity, for synflow: zerocost.h). */
void net_skip_bn(Net *net);
/* k x k pooling, padding k/2, stride 1 or 2 (others fail the network);
 * max or average (padding not counted) */
Tensor *net_pool(Net *net, Tensor *x, int max, int k, int stride);
Tensor *net_relu(Net *net, Tensor *x);
Tensor *net_add(Net *net, Tensor *a, Tensor *b);
/* channel concat of k (1..LAYER_CONCAT_MAX) tensors of one spatial size */
Tensor *net_concat(Net *net, Tensor *const *xs, int k);
/* factorized reduce without its BN: ReLU, 1x1/2 conv to floor(cout/2)
 * channels, the same on the input shifted by a pixel to the rest, concat */
Tensor *net_factred(Net *net, Tensor *x, int cout);
Tensor *net_gap(Net *net, Tensor *x, int relu);
Tensor *net_linear(Net *net, Tensor *x, int out);
/* drop path on x (layers.h: LAYER_DROPPATH); no mask until
 * net_droppath_draw */
Tensor *net_droppath(Net *net, Tensor *x);

/* Borrowed parameters (weight sharing).  A lender owns parameter values
 * and their optimiser state outside any network; a network that borrows
 * from it asks, for each parameter tensor it makes, for the lender's
 * tensor of that key, and its layers then read and update the lender's
 * values in place.  Gradients stay the network's own (net_params' g):
 * two tensors of one network that borrow the same values share one
 * gradient, so backward adds both uses into it.  Borrowed values are not
 * initialised by net_finish; running statistics of batch norm stay the
 * network's own.
 *
 * NetLendFn: the lender's n floats of values for key (and, in *m, n
 * floats of optimiser state), initialised as init/fan_in say when they are
 * new; the same key must give the same pointers.  NULL when out of
 * memory (the network then fails).  The lender owns both. */
typedef float *(*NetLendFn)(void *ctx, uint64_t key, size_t n,
                            TensorInit init, int fan_in, float **m);

/* net_borrow_params - from now on, every parameter tensor of net is
 * borrowed from fn(ctx, ...).  Call right after net_new; ctx must outlive
 * net. */
void net_borrow_params(Net *net, NetLendFn fn, void *ctx);

/* net_param_scope - the parameters made from now on are keyed by scope
 * and their number (0, 1, ...) since this call, and by their size: the
 * key a lender sees.  A no-op for a network that does not borrow. */
void net_param_scope(Net *net, uint64_t scope);

/* net_param_span - the i-th (0-based) span of distinct parameter memory:
 * *w values, *g gradients, *m optimiser state, *n floats each.  A network
 * that owns its parameters has one span (net_params' arenas); one that
 * borrows has one per distinct borrowed tensor.  Returns 0 (touching
 * nothing) when there is no span i.  Only after net_finish. */
int net_param_span(Net *net, int i, float **w, float **g, float **m,
                   size_t *n);

/* net_fail - mark the network failed with a message (used by builders of
 * bigger structures, e.g. child.c, for shape errors). */
void net_fail(Net *net, NvStatus status, const char *msg);

/* net_finish - plan and allocate the arenas, initialise parameters from
 * seed.  Fails with the first builder error, or NV_ERR_NOMEM.  It also
 * sets OpenBLAS (process-wide) to one thread: the network's own threads
 * split each batch (net_set_threads), and on a child's small matrices
 * OpenBLAS's threads cost more than they give (PLATFORM.md, `nasview
 * bench`, which sets its own count after this). */
NvStatus net_finish(Net *net, uint64_t seed, NvError *err);

/* net_set_input - copy n images [n][c][h][w] (NCHW) into input tensor t. */
void net_set_input(Net *net, Tensor *t, const float *nchw, int n);

/* net_forward - run every layer on a batch of n (<= max_batch) images;
 * train selects batch statistics for BN and updates its running ones. */
void net_forward(Net *net, int n, int train);

/* net_forward_visit - net_forward(net, n, train) on a network running on
 * one thread (net_set_threads 1, the default), calling fn(x, n, ctx)
 * before every layer that applies a ReLU to its input x
 * (layer_relu_input), while x holds the batch's values [c][n][h][w].  A
 * network on more threads runs net_forward and calls fn never. */
typedef void (*NetVisitFn)(const Tensor *x, int n, void *ctx);
void net_forward_visit(Net *net, int n, int train, NetVisitFn fn, void *ctx);

/* Batch-norm recalibration: after net_recal_begin(), each
 * net_recal_forward() runs a batch of n (<= max_batch) images forward in
 * training mode (batch statistics), without gradients and without the
 * momentum update, and every BN layer adds the exact per-channel count,
 * mean and squared deviations of its inputs to totals it keeps (Chan's
 * formula, in double); net_recal_end() then sets each layer's running
 * mean and (unbiased) variance to those totals, so they are the
 * statistics of all the recalibration batches' inputs as if they were one
 * batch.  The totals were allocated with the network: nothing here
 * allocates.  Between begin and end, only net_recal_forward and
 * net_set_input may be called; results do not depend on the thread
 * count beyond rounding. */
void net_recal_begin(Net *net);
void net_recal_forward(Net *net, int n);
void net_recal_end(Net *net);

/* net_bn_view - the i-th (0-based, in execution order) BN layer's input
 * tensor *x and running statistics *run_mean, *run_var (c floats each),
 * all borrowed from net.  Returns 1, or 0 (and touches nothing) when the
 * network has at most i BN layers; with x NULL it only answers that. */
int net_bn_view(const Net *net, int i, const Tensor **x,
                const Tensor **run_mean, const Tensor **run_var);

/* net_zero_grad - zero the parameter gradients and the gradients no layer
 * writes (the output's); net_backward zeroes the others as it reaches
 * them. */
void net_zero_grad(Net *net);

/* net_backward - run every layer's backward pass in reverse order; the
 * caller has zeroed gradients and set the output's gradient. */
void net_backward(Net *net, int n);

/* Sizes of the built network (parameters: once a network that borrows
 * them is finished, the distinct ones, so a tensor used twice counts
 * once). */
int64_t net_param_count(const Net *net);
int64_t net_mult_adds(const Net *net); /* one image, forward */
size_t net_bytes(const Net *net);      /* all arenas together */

/* net_kind_costs - per layer kind, the least FLOPs and bytes one image's
 * training step costs its layers (LayerCost summed over them); fills
 * flops[LAYER_KINDS] and bytes[LAYER_KINDS]. */
void net_kind_costs(const Net *net, double flops[LAYER_KINDS],
                    double bytes[LAYER_KINDS]);
int net_max_batch(const Net *net);
/* the largest c*h*w of any activation (one image) */
size_t net_max_units(const Net *net);

/* net_params - the parameter arena: *w values, *g gradients, *m optimiser
 * state (momentum), each net_param_count() floats, owned by net.  For a
 * network that borrows its parameters, *w and *m are NULL (they are the
 * lender's, see net_param_span) and *g holds the distinct borrowed
 * tensors' gradients, net_param_count() floats. */
void net_params(Net *net, float **w, float **g, float **m);

/* net_droppath_draw - a new drop-path mask in every drop-path layer for a
 * training batch of n images, each image's path dropped with probability
 * p from rng (layers in build order, images in order); p <= 0 clears the
 * masks (the layers pass their input unchanged).  Allocates nothing.
 * Returns the number of paths dropped. */
int net_droppath_draw(Net *net, float p, Rng *rng, int n);

/* net_state_arena - the running-statistics arena (every BN layer's running mean
 * and variance, in build order): *s its *n floats, owned by net.  With the
 * parameters and their momentum it is all a network carries from one
 * training step to the next (checkpoints save exactly these). */
void net_state_arena(Net *net, float **s, size_t *n);

/* The most threads a network runs on. */
#define NET_MAX_THREADS LAYER_MAX_PARTS

/* net_set_threads - threads a pass over the network runs on (1 to
 * NET_MAX_THREADS; the caller's thread is one of them).  Each thread takes
 * a fixed range of the batch's images through every layer, so a given
 * count gives the same results on every run.  Before net_finish it only
 * records the count.  Fails (NV_ERR_USAGE: too many; NV_ERR_RUNTIME:
 * threads cannot be started; NV_ERR_NOMEM) leaving the network as it
 * was. */
NvStatus net_set_threads(Net *net, int threads, NvError *err);

/* Per-kind timing, for `nasview bench`: when enabled, forward and backward
 * add each layer's CPU time on every thread to secs[kind] (a layer's
 * waits at barriers sleep, so they are not counted). */
void net_profile(Net *net, int enable);
void net_profile_read(const Net *net, double secs[LAYER_KINDS],
                      int64_t calls[LAYER_KINDS]);
void net_profile_reset(Net *net);

#endif
