/* layers.c - the layer kinds: private structs, forward/backward of one
 * part of the batch around the kernels (conv.c, dwconv.c, pool.c,
 * batchnorm.c) and the small layers (ReLU, add, concat, global average
 * pool, linear) written here; the loss is in loss.c.  It does not plan
 * memory or order layers: network.c does. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <stdlib.h>
#include <string.h>

#include "nn/batchnorm.h"
#include "nn/layers.h"
#include "nn/droppath.h"
#include "nn/head.h"

/* Floats of one image's plane of tensor t. */
static inline long plane_of(const Tensor *t)
{
    return (long)t->h * t->w;
}

/* This part's run of channel 0 of tensor t: its planes start at
 * run_start and are run_len floats; channel ch's are ch * run_stride
 * further. */
static inline size_t run_start(const Tensor *t, const LayerCtx *cx)
{
    return (size_t)cx->b0 * (size_t)plane_of(t);
}

static inline long run_len(const Tensor *t, const LayerCtx *cx)
{
    return (long)(cx->b1 - cx->b0) * plane_of(t);
}

static inline long run_stride(const Tensor *t, const LayerCtx *cx)
{
    return (long)cx->n * plane_of(t);
}

void layer_header(Layer *l, LayerKindId kind, Tensor *const *in, int nin,
                  Tensor *out)
{
    l->kind = kind;
    l->grad_set = 0;
    l->nin = nin;
    for (int i = 0; i < nin; i++)
        l->in[i] = in[i];
    l->out = out;
}

double *layer_reduce_slot(const LayerCtx *cx)
{
    const size_t bank = (size_t)(*cx->red_count & 1);
    return cx->red + (bank * (size_t)cx->parts + (size_t)cx->part) * cx->red_stride;
}

const double *layer_reduce(const LayerCtx *cx)
{
    const size_t bank = (size_t)(*cx->red_count & 1);
    parallel_barrier(cx->pool);
    (*cx->red_count)++;
    return cx->red + bank * (size_t)cx->parts * cx->red_stride;
}

/* Floats of one image of tensor t. */
static inline double image_of(const Tensor *t)
{
    return (double)t->c * t->h * t->w;
}

/* The cost of a layer that reads x and writes y forward, and backward
 * reads x and dy and accumulates into dx: 4 x + 2 y floats moved. */
static LayerCost cost_xy(double flops, double x, double y)
{
    LayerCost c = { flops, sizeof(float) * (4.0 * x + 2.0 * y) };
    return c;
}

/* For the kinds whose backward writes every input's planes whole. */
static int can_set_grad_always(const Layer *l, int k)
{
    (void)l;
    (void)k;
    return 1;
}

/* ---- convolution ------------------------------------------------------ */

/* Each part runs the convolution on its own images, with its own im2col
 * scratch and its own weight gradient copy.  in[0] x [cin][n][h][w], out
 * y [cout][n][oh][ow]. */
typedef struct {
    Layer base;
    ConvShape s;
    int relu;
    Tensor *w; /* [cout][cin][kh][kw] */
} ConvLayer;

static void conv_layer_forward(Layer *l, const LayerCtx *cx)
{
    ConvLayer *c = (ConvLayer *)l;
    conv_forward_part(&c->s, cx->n, cx->b0, cx->b1, c->relu, l->in[0]->x,
                      c->w->x, l->out->x, cx->ws);
}

static void conv_layer_backward(Layer *l, const LayerCtx *cx)
{
    ConvLayer *c = (ConvLayer *)l;
    const Tensor *x = l->in[0];
    conv_backward_part(&c->s, cx->n, cx->b0, cx->b1, c->relu, x->x, c->w->x,
                       l->out->g, x->g, l->grad_set & 1,
                       layer_grad(cx, c->w->g), cx->ws);
}

static int64_t conv_layer_mult_adds(const Layer *l)
{
    const ConvShape *s = &((const ConvLayer *)l)->s;
    return (int64_t)s->cout * s->cin * s->kh * s->kw * s->oh * s->ow;
}

static LayerCost conv_layer_cost(const Layer *l)
{
    return cost_xy(6.0 * (double)conv_layer_mult_adds(l), image_of(l->in[0]),
                   image_of(l->out));
}

static int conv_layer_can_set_grad(const Layer *l, int k)
{
    const ConvLayer *c = (const ConvLayer *)l;
    (void)k;
    return conv_sets_dx(&c->s, c->relu);
}

static const Tensor *conv_layer_relu_input(const Layer *l)
{
    return ((const ConvLayer *)l)->relu ? l->in[0] : NULL;
}

static size_t conv_layer_workspace(const Layer *l, int n)
{
    return conv_workspace(&((const ConvLayer *)l)->s, n);
}

Layer *layer_conv_new(const ConvShape *s, int relu_in, Tensor *x, Tensor *w,
                      Tensor *y)
{
    ConvLayer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (ConvLayer){ .s = *s, .relu = relu_in, .w = w };
    layer_header(&c->base, LAYER_CONV, &x, 1, y);
    return &c->base;
}

/* ---- depthwise convolution ------------------------------------------------ */

/* in[0] x [c][n][h][w], out y [c][n][oh][ow]. */
typedef struct {
    Layer base;
    DwShape s;
    int relu;
    Tensor *w; /* [c][k][k] */
} DwLayer;

static void dw_layer_forward(Layer *l, const LayerCtx *cx)
{
    DwLayer *d = (DwLayer *)l;
    dwconv_forward_part(&d->s, cx->n, cx->b0, cx->b1, d->relu, l->in[0]->x,
                        d->w->x, l->out->x, cx->tws);
}

static void dw_layer_backward(Layer *l, const LayerCtx *cx)
{
    DwLayer *d = (DwLayer *)l;
    const Tensor *x = l->in[0];
    dwconv_backward_part(&d->s, cx->n, cx->b0, cx->b1, d->relu, x->x,
                         d->w->x, l->out->g, x->g, l->grad_set & 1,
                         layer_grad(cx, d->w->g), cx->tws);
}

static int64_t dw_layer_mult_adds(const Layer *l)
{
    const DwShape *s = &((const DwLayer *)l)->s;
    return (int64_t)s->c * s->k * s->k * s->oh * s->ow;
}

static LayerCost dw_layer_cost(const Layer *l)
{
    return cost_xy(6.0 * (double)dw_layer_mult_adds(l), image_of(l->in[0]),
                   image_of(l->out));
}

static const Tensor *dw_layer_relu_input(const Layer *l)
{
    return ((const DwLayer *)l)->relu ? l->in[0] : NULL;
}

static size_t dw_layer_thread_workspace(const Layer *l)
{
    return dwconv_workspace(&((const DwLayer *)l)->s);
}

Layer *layer_dwconv_new(const DwShape *s, int relu_in, Tensor *x, Tensor *w,
                        Tensor *y)
{
    DwLayer *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = (DwLayer){ .s = *s, .relu = relu_in, .w = w };
    layer_header(&d->base, LAYER_DWCONV, &x, 1, y);
    return &d->base;
}

/* ---- batch normalisation: the parts exchange their sums ------------------ */

/* in[0] x, out y, both [c][n][h][w]. */
typedef struct {
    Layer base;
    Tensor *gamma, *beta, *mean, *invstd, *run_mean, *run_var;
    double acc[]; /* [c][BN_RECAL_DOUBLES]: recalibration totals */
} BnLayer;

/* Values per channel of every part, for BnParts.m: fixed by n and the
 * part count.  counts has room for cx->parts entries. */
static void bn_counts(const Layer *l, const LayerCtx *cx, long *counts)
{
    for (int t = 0; t < cx->parts; t++) {
        long lo, hi;
        parallel_range(cx->n, t, cx->parts, &lo, &hi);
        counts[t] = (hi - lo) * plane_of(l->in[0]);
    }
}

static void bn_layer_forward(Layer *l, const LayerCtx *cx)
{
    BnLayer *b = (BnLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int c = x->c;
    const size_t o = run_start(x, cx);
    const long m = run_len(x, cx), stride = run_stride(x, cx);
    if (!cx->train) {
        bn_forward_infer(c, m, stride, x->x + o, b->gamma->x, b->beta->x,
                         b->run_mean->x, b->run_var->x, y->x + o);
        return;
    }
    long counts[LAYER_MAX_PARTS];
    bn_counts(l, cx, counts);
    bn_sums_forward(c, m, stride, x->x + o, layer_reduce_slot(cx));
    BnParts bp = { cx->parts, counts, layer_reduce(cx), cx->red_stride };
    const int first = cx->part == 0;
    if (cx->recal) {
        bn_recal_part(c, m, stride, x->x + o, b->gamma->x, b->beta->x, &bp,
                      y->x + o, first ? b->acc : NULL);
        return;
    }
    bn_forward_part(c, m, stride, x->x + o, b->gamma->x, b->beta->x, &bp,
                    y->x + o, first ? b->mean->x : NULL,
                    first ? b->invstd->x : NULL, b->run_mean->x, b->run_var->x);
}

static void bn_layer_backward(Layer *l, const LayerCtx *cx)
{
    BnLayer *b = (BnLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int c = x->c;
    const size_t o = run_start(x, cx);
    const long m = run_len(x, cx), stride = run_stride(x, cx);
    long counts[LAYER_MAX_PARTS];
    bn_counts(l, cx, counts);
    bn_sums_backward(c, m, stride, x->x + o, y->g + o,
                     layer_reduce_slot(cx));
    BnParts bp = { cx->parts, counts, layer_reduce(cx), cx->red_stride };
    const int first = cx->part == 0;
    bn_backward_part(c, m, stride, x->x + o, b->gamma->x, b->mean->x,
                     b->invstd->x, y->g + o, &bp, x->g + o,
                     l->grad_set & 1, first ? b->gamma->g : NULL, first ? b->beta->g : NULL);
}

/* Two sums per channel, both passes (bn_sums_forward, bn_sums_backward). */
static size_t bn_layer_reduce_doubles(const Layer *l)
{
    return 2 * (size_t)l->in[0]->c;
}

/* Forward about 7 FLOPs a value (two sums, the normalisation), backward
 * about 8; x and y forward, x, dy and dx backward. */
static LayerCost bn_layer_cost(const Layer *l)
{
    const double x = image_of(l->in[0]);
    LayerCost c = { 15.0 * x, sizeof(float) * 6.0 * x };
    return c;
}

Layer *layer_bn_new(Tensor *x, Tensor *gamma, Tensor *beta, Tensor *mean,
                    Tensor *invstd, Tensor *run_mean, Tensor *run_var,
                    Tensor *y)
{
    BnLayer *b = calloc(1, sizeof *b + sizeof(double) * BN_RECAL_DOUBLES *
                                          (size_t)x->c);
    if (!b)
        return NULL;
    layer_header(&b->base, LAYER_BN, &x, 1, y);
    b->gamma = gamma;
    b->beta = beta;
    b->mean = mean;
    b->invstd = invstd;
    b->run_mean = run_mean;
    b->run_var = run_var;
    return &b->base;
}

void layer_bn_recal_reset(Layer *l)
{
    BnLayer *b = (BnLayer *)l;
    memset(b->acc, 0, sizeof(double) * BN_RECAL_DOUBLES * (size_t)l->in[0]->c);
}

void layer_bn_recal_apply(Layer *l)
{
    BnLayer *b = (BnLayer *)l;
    bn_recal_finish(l->in[0]->c, b->acc, b->run_mean->x, b->run_var->x);
}

void layer_bn_view(const Layer *l, const Tensor **x, const Tensor **run_mean,
                   const Tensor **run_var)
{
    const BnLayer *b = (const BnLayer *)l;
    *x = l->in[0];
    *run_mean = b->run_mean;
    *run_var = b->run_var;
}

/* ---- pooling ------------------------------------------------------------ */

/* in[0] x, out y. */
typedef struct {
    Layer base;
    PoolShape s;
} PoolLayer;

static void pool_layer_forward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    if (p->base.kind == LAYER_MAXPOOL)
        maxpool_forward_part(&p->s, cx->n, cx->b0, cx->b1, x->x, y->x,
                             cx->tws);
    else
        avgpool_forward_part(&p->s, cx->n, cx->b0, cx->b1, x->x, y->x,
                             cx->tws);
}

static void pool_layer_backward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    if (p->base.kind == LAYER_MAXPOOL)
        maxpool_backward_part(&p->s, cx->n, cx->b0, cx->b1, x->x, y->g,
                              x->g, l->grad_set & 1, cx->tws);
    else
        avgpool_backward_part(&p->s, cx->n, cx->b0, cx->b1, y->g, x->g,
                              l->grad_set & 1, cx->tws);
}

/* k*k window values per output forward and again backward; max pooling's
 * backward reads x again. */
static LayerCost pool_layer_cost(const Layer *l)
{
    const PoolLayer *p = (const PoolLayer *)l;
    const double x = image_of(l->in[0]), y = image_of(l->out);
    const double flops = 2.0 * p->s.k * p->s.k * y;
    if (p->base.kind == LAYER_MAXPOOL)
        return cost_xy(flops, x, y);
    LayerCost c = { flops, sizeof(float) * (3.0 * x + 2.0 * y) };
    return c;
}

static size_t pool_layer_thread_workspace(const Layer *l)
{
    return pool_workspace(&((const PoolLayer *)l)->s);
}

Layer *layer_pool_new(int max, const PoolShape *s, Tensor *x, Tensor *y)
{
    PoolLayer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (PoolLayer){ .s = *s };
    layer_header(&p->base, max ? LAYER_MAXPOOL : LAYER_AVGPOOL, &x, 1, y);
    return &p->base;
}

/* ---- ReLU, add, concat: per channel, this part's run ---------------------- */

/* These kinds are the header alone: in[0] (in[1] for add, in[0..nin) for
 * concat) and out. */

static void relu_run(float *restrict y, const float *restrict x, long n)
{
    for (long i = 0; i < n; i++)
        y[i] = x[i] < 0.0f ? 0.0f : x[i]; /* NaN stays NaN */
}

static void relu_back_run(float *restrict dx, const float *restrict x,
                          const float *restrict dy, long n)
{
    for (long i = 0; i < n; i++)
        dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
}

static void relu_layer_forward(Layer *l, const LayerCtx *cx)
{
    const Tensor *x = l->in[0], *y = l->out;
    const long m = run_len(x, cx), stride = run_stride(x, cx);
    const size_t o = run_start(x, cx);
    for (int c = 0; c < x->c; c++)
        relu_run(y->x + o + (size_t)c * stride, x->x + o + (size_t)c * stride,
                 m);
}

static void relu_layer_backward(Layer *l, const LayerCtx *cx)
{
    const Tensor *x = l->in[0], *y = l->out;
    const long m = run_len(x, cx), stride = run_stride(x, cx);
    const size_t o = run_start(x, cx);
    for (int c = 0; c < x->c; c++) {
        const size_t at = o + (size_t)c * stride;
        relu_back_run(x->g + at, x->x + at, y->g + at, m);
    }
}

static const Tensor *relu_layer_relu_input(const Layer *l)
{
    return l->in[0];
}

static LayerCost relu_layer_cost(const Layer *l)
{
    const double x = image_of(l->in[0]);
    return cost_xy(2.0 * x, x, x);
}

Layer *layer_relu_new(Tensor *x, Tensor *y)
{
    Layer *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    layer_header(l, LAYER_RELU, &x, 1, y);
    return l;
}

static void add_run(float *restrict y, const float *restrict p,
                    const float *restrict q, long n)
{
    for (long i = 0; i < n; i++)
        y[i] = p[i] + q[i];
}

/* d = s (set) or d += s over n floats. */
static void put_run(float *restrict d, const float *restrict s, long n,
                    unsigned set)
{
    if (set) {
        memcpy(d, s, sizeof(float) * (size_t)n);
        return;
    }
    for (long i = 0; i < n; i++)
        d[i] += s[i];
}

static void add_layer_forward(Layer *l, const LayerCtx *cx)
{
    const Tensor *a = l->in[0], *b = l->in[1], *y = l->out;
    const long m = run_len(y, cx), stride = run_stride(y, cx);
    const size_t o = run_start(y, cx);
    for (int c = 0; c < y->c; c++) {
        const size_t at = o + (size_t)c * stride;
        add_run(y->x + at, a->x + at, b->x + at, m);
    }
}

static void add_layer_backward(Layer *l, const LayerCtx *cx)
{
    const Tensor *a = l->in[0], *b = l->in[1], *y = l->out;
    const long m = run_len(y, cx), stride = run_stride(y, cx);
    const size_t o = run_start(y, cx);
    for (int c = 0; c < y->c; c++) {
        const size_t at = o + (size_t)c * stride;
        put_run(a->g + at, y->g + at, m, l->grad_set & 1);
        put_run(b->g + at, y->g + at, m, l->grad_set & 2);
    }
}

/* a, b and y forward; dy, da and db backward (both accumulated). */
static LayerCost add_layer_cost(const Layer *l)
{
    const double y = image_of(l->out);
    LayerCost c = { 3.0 * y, sizeof(float) * 8.0 * y };
    return c;
}

Layer *layer_add_new(Tensor *a, Tensor *b, Tensor *y)
{
    Layer *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    Tensor *ins[2] = { a, b };
    layer_header(l, LAYER_ADD, ins, 2, y);
    return l;
}

/* Channel-major: each input's channels are the next channels of y. */
static void concat_layer_forward(Layer *l, const LayerCtx *cx)
{
    const long m = run_len(l->out, cx), stride = run_stride(l->out, cx);
    const size_t o = run_start(l->out, cx);
    float *y = l->out->x;
    for (int i = 0; i < l->nin; i++) {
        const Tensor *x = l->in[i];
        for (int ch = 0; ch < x->c; ch++) {
            const size_t at = o + (size_t)ch * stride;
            memcpy(y + at, x->x + at, sizeof(float) * (size_t)m);
        }
        y += (size_t)x->c * stride;
    }
}

static void concat_layer_backward(Layer *l, const LayerCtx *cx)
{
    const long m = run_len(l->out, cx), stride = run_stride(l->out, cx);
    const size_t o = run_start(l->out, cx);
    const float *dy = l->out->g;
    for (int i = 0; i < l->nin; i++) {
        const Tensor *x = l->in[i];
        for (int ch = 0; ch < x->c; ch++) {
            const size_t at = o + (size_t)ch * stride;
            put_run(x->g + at, dy + at, m, l->grad_set & (1u << i));
        }
        dy += (size_t)x->c * stride;
    }
}

/* A copy forward, an accumulation backward. */
static LayerCost concat_layer_cost(const Layer *l)
{
    const double y = image_of(l->out);
    LayerCost c = { y, sizeof(float) * 5.0 * y };
    return c;
}

Layer *layer_concat_new(Tensor *const *xs, int k, Tensor *y)
{
    if (k < 1 || k > LAYER_CONCAT_MAX)
        return NULL;
    Layer *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    layer_header(l, LAYER_CONCAT, xs, k, y);
    return l;
}

/* ---- factorized reduce: two convolutions ----------------------------------- */

/* in[0] x, out y. */
typedef struct {
    Layer base;
    ConvShape a, b; /* b reads the input shifted by one pixel (padding -1) */
    Tensor *wa, *wb;
} FrLayer;

static void fr_layer_forward(Layer *l, const LayerCtx *cx)
{
    FrLayer *f = (FrLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int n = cx->n;
    size_t half = (size_t)f->a.cout * n * f->a.oh * f->a.ow;
    conv_forward_part(&f->a, n, cx->b0, cx->b1, 1, x->x, f->wa->x, y->x,
                      cx->ws);
    conv_forward_part(&f->b, n, cx->b0, cx->b1, 1, x->x, f->wb->x,
                      y->x + half, cx->ws);
}

static void fr_layer_backward(Layer *l, const LayerCtx *cx)
{
    FrLayer *f = (FrLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int n = cx->n;
    size_t half = (size_t)f->a.cout * n * f->a.oh * f->a.ow;
    conv_backward_part(&f->a, n, cx->b0, cx->b1, 1, x->x, f->wa->x,
                       y->g, x->g, 0, layer_grad(cx, f->wa->g), cx->ws);
    conv_backward_part(&f->b, n, cx->b0, cx->b1, 1, x->x, f->wb->x,
                       y->g + half, x->g, 0, layer_grad(cx, f->wb->g),
                       cx->ws);
}

static int64_t fr_layer_mult_adds(const Layer *l)
{
    const FrLayer *f = (const FrLayer *)l;
    return (int64_t)(f->a.cout + f->b.cout) * f->a.cin * f->a.oh * f->a.ow;
}

static LayerCost fr_layer_cost(const Layer *l)
{
    return cost_xy(6.0 * (double)fr_layer_mult_adds(l), image_of(l->in[0]),
                   image_of(l->out));
}

static const Tensor *fr_layer_relu_input(const Layer *l)
{
    return l->in[0];
}

static size_t fr_layer_workspace(const Layer *l, int n)
{
    const FrLayer *f = (const FrLayer *)l;
    size_t a = conv_workspace(&f->a, n), b = conv_workspace(&f->b, n);
    return a > b ? a : b;
}

Layer *layer_factred_new(Tensor *x, Tensor *wa, Tensor *wb, Tensor *y)
{
    FrLayer *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    layer_header(&f->base, LAYER_FACTRED, &x, 1, y);
    f->a = conv_shape_make(x->c, wa->c / x->c, 1, 1, 2, 2, 0, 0, 1, 1, x->h,
                           x->w);
    f->b = conv_shape_make(x->c, wb->c / x->c, 1, 1, 2, 2, -1, -1, 1, 1,
                           x->h, x->w);
    f->b.oh = f->a.oh;
    f->b.ow = f->a.ow;
    f->wa = wa;
    f->wb = wb;
    return &f->base;
}

/* ---- the kind table --------------------------------------------------- */

/* The kind table: what every layer of a kind does and needs.  A NULL
 * entry means none (no multiply-adds, no scratch, no exchange of sums,
 * no stored gradients, no input ReLU, no running statistics). */
const LayerKind layer_kinds[LAYER_KINDS] = {
    [LAYER_CONV] = {
        .name = "conv",
        .forward = conv_layer_forward,
        .backward = conv_layer_backward,
        .mult_adds = conv_layer_mult_adds,
        .workspace = conv_layer_workspace,
        .keeps_input = 1,
        .can_set_grad = conv_layer_can_set_grad,
        .relu_input = conv_layer_relu_input,
        .cost = conv_layer_cost,
    },
    [LAYER_DWCONV] = {
        .name = "dwconv",
        .forward = dw_layer_forward,
        .backward = dw_layer_backward,
        .mult_adds = dw_layer_mult_adds,
        .thread_workspace = dw_layer_thread_workspace,
        .keeps_input = 1,
        .can_set_grad = can_set_grad_always,
        .relu_input = dw_layer_relu_input,
        .cost = dw_layer_cost,
    },
    [LAYER_BN] = {
        .name = "batchnorm",
        .forward = bn_layer_forward,
        .backward = bn_layer_backward,
        .keeps_input = 1,
        .threads_meet = 1,
        .reduce_doubles = bn_layer_reduce_doubles,
        .recal_reset = layer_bn_recal_reset,
        .recal_apply = layer_bn_recal_apply,
        .can_set_grad = can_set_grad_always,
        .cost = bn_layer_cost,
    },
    [LAYER_AVGPOOL] = {
        .name = "avgpool",
        .forward = pool_layer_forward,
        .backward = pool_layer_backward,
        .thread_workspace = pool_layer_thread_workspace,
        .keeps_input = 0,
        .can_set_grad = can_set_grad_always,
        .cost = pool_layer_cost,
    },
    [LAYER_MAXPOOL] = {
        .name = "maxpool",
        .forward = pool_layer_forward,
        .backward = pool_layer_backward,
        .thread_workspace = pool_layer_thread_workspace,
        .keeps_input = 1,
        .can_set_grad = can_set_grad_always,
        .cost = pool_layer_cost,
    },
    [LAYER_RELU] = {
        .name = "relu",
        .forward = relu_layer_forward,
        .backward = relu_layer_backward,
        .keeps_input = 1,
        .relu_input = relu_layer_relu_input,
        .cost = relu_layer_cost,
    },
    [LAYER_ADD] = {
        .name = "add",
        .forward = add_layer_forward,
        .backward = add_layer_backward,
        .keeps_input = 0,
        .can_set_grad = can_set_grad_always,
        .cost = add_layer_cost,
    },
    [LAYER_CONCAT] = {
        .name = "concat",
        .forward = concat_layer_forward,
        .backward = concat_layer_backward,
        .keeps_input = 0,
        .can_set_grad = can_set_grad_always,
        .cost = concat_layer_cost,
    },
    [LAYER_FACTRED] = {
        .name = "factred",
        .forward = fr_layer_forward,
        .backward = fr_layer_backward,
        .mult_adds = fr_layer_mult_adds,
        .workspace = fr_layer_workspace,
        .keeps_input = 1,
        .relu_input = fr_layer_relu_input,
        .cost = fr_layer_cost,
    },
    [LAYER_GAP] = {
        .name = "gap",
        .forward = head_gap_forward,
        .backward = head_gap_backward,
        .keeps_input = 1,
        .relu_input = head_gap_relu_input,
        .cost = head_gap_cost,
    },
    [LAYER_LINEAR] = {
        .name = "linear",
        .forward = head_linear_forward,
        .backward = head_linear_backward,
        .mult_adds = head_linear_mult_adds,
        .keeps_input = 1,
        .cost = head_linear_cost,
    },
    [LAYER_DROPPATH] = {
        .name = "droppath",
        .forward = droppath_layer_forward,
        .backward = droppath_layer_backward,
        .keeps_input = 0,
        .cost = droppath_layer_cost,
    },
};
int layer_can_set_grad(const Layer *l, int k)
{
    const LayerKind *kind = &layer_kinds[l->kind];
    return kind->can_set_grad ? kind->can_set_grad(l, k) : 0;
}

const Tensor *layer_relu_input(const Layer *l)
{
    const LayerKind *kind = &layer_kinds[l->kind];
    return kind->relu_input ? kind->relu_input(l) : NULL;
}
