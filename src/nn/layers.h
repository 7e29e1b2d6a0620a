/* layers.h - the layer kinds of the training engine and the tensors they
 * read and write.
 *
 * A Tensor is a view into one of the network's arenas (network.c plans
 * them once); activations are channel-major with the batch kept together,
 * x[c][n][h][w], where n is the batch size of the current call.  Every layer
 * kind is a forward/backward pair behind a small const table of function
 * pointers (layer_kinds[]); the Layer header holds a layer's kind, inputs
 * and output, and a kind with more (shapes, parameters, state) keeps a
 * private struct whose first member is that header.  Backward passes
 * ACCUMULATE into the gradient buffers (g) of their inputs and parameters,
 * except into the inputs whose bit is set in the header's grad_set: those
 * the layer is the first in backward to write, and it stores their
 * gradient outright (network.c sets the bits where layer_can_set_grad
 * allows, in place of zeroing those gradients first).  Shapes are fixed
 * when a layer is made; kernels never fail. */
#ifndef NASVIEW_LAYERS_H
#define NASVIEW_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#include "nn/conv.h"
#include "nn/dwconv.h"
#include "base/parallel.h"
#include "nn/pool.h"
#include "nn/loss.h"
#include "base/rng.h"

typedef enum { TENSOR_ACT = 0, TENSOR_PARAM, TENSOR_STATE, TENSOR_ROLES } TensorRole;

typedef enum {
    TENSOR_INIT_ZERO = 0, /* zeros */
    TENSOR_INIT_ONE,      /* ones (BN scale, running variance) */
    TENSOR_INIT_UNIFORM   /* uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)] */
} TensorInit;

typedef struct Tensor {
    int c, h, w;       /* per-image shape (parameters: c = count, h = w = 1) */
    TensorRole role;
    size_t size;       /* floats reserved: c*h*w times the largest batch */
    size_t off;        /* offset in its role's arena */
    float *x;          /* values; set when the network is finished */
    float *g;          /* gradient (activations, parameters), else NULL */
    float *m;          /* borrowed parameters: their optimiser state (the
                          lender's), else NULL; x is then the lender's too */
    TensorInit init;
    int fan_in;
    int id;            /* index in its network, for the memory plan */
} Tensor;

typedef enum {
    LAYER_CONV = 0, /* any kernel/stride/padding/dilation, optional input ReLU */
    LAYER_DWCONV,   /* depthwise k x k, optional input ReLU */
    LAYER_BN,       /* batch normalisation */
    LAYER_AVGPOOL,
    LAYER_MAXPOOL,
    LAYER_RELU,
    LAYER_ADD,
    LAYER_CONCAT,
    LAYER_FACTRED,  /* factorized reduce: ReLU, two shifted 1x1/2 convs, concat */
    LAYER_GAP,      /* global average pool, optional input ReLU */
    LAYER_LINEAR,   /* fully connected with bias */
    LAYER_DROPPATH, /* drop path: each image's plane kept (scaled) or zeroed */
    LAYER_KINDS
} LayerKindId;

/* What a layer call knows about the call: batch size, mode, scratch and
 * which part of the batch it does.  A pass over the network runs on every
 * thread at once, each thread (part) on its own fixed range of the batch's
 * images through all the layers: it writes only its own images' planes,
 * adds its weight gradients into its own copy of the parameter gradients
 * (network.c sums the copies in part order), and meets the other parts
 * only where a layer needs the whole batch (batch normalisation's sums, by
 * layer_reduce).  The ranges depend only on the thread count, so
 * results are the same on every run with the same count. */
/* The most parts a batch is split into. */
#define LAYER_MAX_PARTS 256

typedef struct {
    int n;              /* images in this batch (<= the planned maximum) */
    int train;          /* 1: batch statistics (BN), running-stat updates */
    int recal;          /* with train: BN adds the batch statistics to its
                         * recalibration totals instead of updating the
                         * running ones (no backward follows) */
    int part, parts;    /* this part, of how many */
    int b0, b1;         /* this part's images [b0, b1) */
    float *ws;          /* this part's scratch: workspace() for its images */
    float *tws;         /* this part's scratch: the largest thread_workspace() */
    float *par_g;       /* the parameter gradient arena */
    float *gpart;       /* this part's copy of it (par_g itself for part 0) */
    double *red;        /* layer_reduce's exchange: 2 banks of parts *
                         * red_stride doubles */
    size_t red_stride;
    int *red_count;     /* this part's layer_reduce calls so far */
    ParallelPool *pool; /* NULL: one part */
} LayerCtx;

/* layer_grad - where this part adds the gradient of parameter values whose
 * gradient is g (inside cx->par_g). */
static inline float *layer_grad(const LayerCtx *cx, float *g)
{
    return cx->part == 0 ? g : cx->gpart + (g - cx->par_g);
}

/* layer_reduce_slot - this part's red_stride doubles, for its partial sums
 * in the next layer_reduce. */
double *layer_reduce_slot(const LayerCtx *cx);

/* layer_reduce - every part calls it after writing its slot; returns when
 * all have, with the slots of all parts (part t's at [t * red_stride]).
 * They stay valid until this part's next layer_reduce returns. */
const double *layer_reduce(const LayerCtx *cx);

/* The most inputs a layer reads (a concat's). */
#define LAYER_CONCAT_MAX 8

/* The header of every layer (all of a ReLU, add or concat layer; the
 * first member of the other kinds' structs): its kind, and the activations
 * it reads (in[0..nin)) and writes (out), as its constructor was given
 * them; network.c plans memory from these. */
typedef struct Layer {
    LayerKindId kind;
    unsigned grad_set; /* bit k: backward stores input k's gradient */
    int nin;
    Tensor *in[LAYER_CONCAT_MAX];
    Tensor *out;
} Layer;

/* layer_header - fill the header of a new layer of kind `kind` reading
 * in[0..nin) (1..LAYER_CONCAT_MAX) and writing out; grad_set starts 0.
 * For the constructors. */
void layer_header(Layer *l, LayerKindId kind, Tensor *const *in, int nin,
                  Tensor *out);

/* What one image's training step (forward + backward) costs a layer at
 * least, for the roofline in `nasview bench`: FLOPs (2 per multiply-add)
 * and the bytes of its tensors it must read and write, each tensor once
 * per pass (an accumulated gradient is read and written), parameters not
 * counted.  A kernel that moves more than this (scratch copies, several
 * sweeps) shows as far from its bound. */
typedef struct {
    double flops;
    double bytes;
} LayerCost;

typedef struct {
    const char *name;
    void (*forward)(Layer *l, const LayerCtx *cx);
    void (*backward)(Layer *l, const LayerCtx *cx);
    /* multiply-adds of one image's forward pass (NULL: none) */
    int64_t (*mult_adds)(const Layer *l);
    /* floats of scratch for a part of n images (LayerCtx.ws; NULL: none) */
    size_t (*workspace)(const Layer *l, int n);
    /* floats of scratch each thread needs of its own (NULL: none) */
    size_t (*thread_workspace)(const Layer *l);
    /* whether backward reads the input values (else they may be reused
     * once forward has passed) */
    int keeps_input;
    /* statistics over the whole batch: in training (and recalibration),
     * forward and backward, every thread's part must be done before the
     * layer runs (the network's barriers); inference passes never meet */
    int threads_meet;
    /* doubles each part writes to its slot before a layer_reduce (the
     * network sizes LayerCtx.red_stride to the largest); NULL: the kind
     * never calls layer_reduce */
    size_t (*reduce_doubles)(const Layer *l);
    /* whether backward can store (rather than add to) the gradient of
     * input k of l, writing every value of its part's planes of it (for an
     * input l reads once); NULL: it always adds */
    int (*can_set_grad)(const Layer *l, int k);
    /* the input tensor l applies a ReLU to, or NULL when this layer
     * applies none (NULL: the kind never does) */
    const Tensor *(*relu_input)(const Layer *l);
    /* running statistics recomputed by recalibration (NULL: the kind has
     * none): empty the totals, and set the statistics from them */
    void (*recal_reset)(Layer *l);
    void (*recal_apply)(Layer *l);
    /* one image's training-step cost (LayerCost) */
    LayerCost (*cost)(const Layer *l);
} LayerKind;

extern const LayerKind layer_kinds[LAYER_KINDS];

/* Constructors: each returns a new layer owned by the caller (free()), or
 * NULL when out of memory, its header holding the activations given to it
 * (the parameters and state are the kind's own).  The tensors are
 * borrowed and must outlive it; their shapes must already agree
 * (network.c checks them). */
Layer *layer_conv_new(const ConvShape *s, int relu_in, Tensor *x, Tensor *w,
                      Tensor *y);
Layer *layer_dwconv_new(const DwShape *s, int relu_in, Tensor *x, Tensor *w,
                        Tensor *y);
/* mean/invstd: STATE tensors of c floats written by the training pass;
 * run_mean/run_var: running statistics (STATE). */
Layer *layer_bn_new(Tensor *x, Tensor *gamma, Tensor *beta, Tensor *mean,
                    Tensor *invstd, Tensor *run_mean, Tensor *run_var,
                    Tensor *y);
/* layer_bn_recal_reset - empty BN layer l's recalibration totals (the
 * exact statistics of its inputs over the recalibration passes, kept in
 * the layer, allocated by layer_bn_new). */
void layer_bn_recal_reset(Layer *l);

/* layer_bn_recal_apply - set BN layer l's running mean and variance to its
 * totals (bn_recal_finish); channels that saw no values keep theirs. */
void layer_bn_recal_apply(Layer *l);

/* layer_bn_view - BN layer l's input tensor and its running statistics
 * (borrowed from the layer), for tests and reports. */
void layer_bn_view(const Layer *l, const Tensor **x, const Tensor **run_mean,
                   const Tensor **run_var);

Layer *layer_pool_new(int max, const PoolShape *s, Tensor *x, Tensor *y);
Layer *layer_relu_new(Tensor *x, Tensor *y);
Layer *layer_add_new(Tensor *a, Tensor *b, Tensor *y);
Layer *layer_concat_new(Tensor *const *xs, int k, Tensor *y);
/* a: 1x1/2 conv to the first y->c/2 channels; b: the same on the input
 * shifted by one pixel, to the rest.  wa [ca][cin], wb [c-ca][cin]. */
Layer *layer_factred_new(Tensor *x, Tensor *wa, Tensor *wb, Tensor *y);
Layer *layer_gap_new(int relu_in, Tensor *x, Tensor *y);

/* layer_can_set_grad - whether l's backward can store (rather than add to)
 * the gradient of its input k, writing every value of its part's planes
 * of it (for an input l reads once): its kind's can_set_grad, 0 when the
 * kind has none. */
int layer_can_set_grad(const Layer *l, int k);

/* layer_relu_input - the tensor l applies a ReLU to (its kind's
 * relu_input: a ReLU layer's input, the input of a convolution, depthwise
 * convolution or global average pool built with relu_in, a factorized
 * reduce's input), borrowed; NULL when l applies none.  What the NASWOT
 * score reads (zerocost.h). */
const Tensor *layer_relu_input(const Layer *l);
/* y [out][n] = w [out][in] x [in][n] + b [out] */
Layer *layer_linear_new(Tensor *x, Tensor *w, Tensor *b, Tensor *y);

/* Drop path (ScheduledDropPath of NASNet): in training, image j of the
 * batch passes as y = x * scale[j], scale[j] 0 (dropped) or 1/(1-p)
 * (kept); in inference and recalibration, and while no mask is set,
 * y = x.  The mask lives in the layer (max_batch floats, allocated with
 * it), so drawing one allocates nothing. */
Layer *layer_droppath_new(Tensor *x, Tensor *y, int max_batch);
/* layer_droppath_draw - a new mask for the first n images: each dropped
 * with probability p (p <= 0: no mask, y = x exactly).  Returns how many
 * were dropped. */
int layer_droppath_draw(Layer *l, float p, Rng *rng, int n);

#endif
