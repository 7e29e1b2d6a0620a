/* layers.c - the layer kinds: private structs, forward/backward wrappers
 * around the kernels (conv.c, pool.c, batchnorm.c) and the small layers
 * (ReLU, add, concat, global average pool, linear, loss) written here.
 * It does not plan memory or order layers: network.c does. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "batchnorm.h"
#include "layers.h"

/* Elements per channel of tensor t in a batch of n. */
static inline long per_channel(const Tensor *t, int n)
{
    return (long)n * t->h * t->w;
}

static inline long numel(const Tensor *t, int n)
{
    return (long)t->c * per_channel(t, n);
}

static size_t no_workspace(const Layer *l, int n)
{
    (void)l;
    (void)n;
    return 0;
}

static size_t no_thread_workspace(const Layer *l)
{
    (void)l;
    return 0;
}

static int64_t no_mult_adds(const Layer *l)
{
    (void)l;
    return 0;
}

/* One call of a kind's part function: the layer, the call, and which of
 * forward/backward. */
typedef struct {
    Layer *l;
    const LayerCtx *cx;
} LayerJob;

/* Run fn over the pool when work is large enough, else as one part.
 * Returns the number of parts used. */
static int layer_run(Layer *l, const LayerCtx *cx, ParallelFn fn, long work)
{
    LayerJob job = { l, cx };
    if (work < cx->split_work || parallel_threads(cx->pool) == 1) {
        fn(&job, 0, 1);
        return 1;
    }
    parallel_run(cx->pool, fn, &job);
    return parallel_threads(cx->pool);
}

static float *thread_ws(const LayerCtx *cx, int part)
{
    return cx->tws + (size_t)part * cx->tws_stride;
}

/* ---- convolution ------------------------------------------------------ */

/* Threads split the batch by images.  The weight gradient is a sum over
 * images: each thread adds its images into its own scratch, then the
 * partial sums are added to the gradient in thread order. */
typedef struct {
    Layer base;
    ConvShape s;
    int relu;
    Tensor *x, *w, *y; /* x [cin][n][h][w], w [cout][cin][kh][kw], y [cout][n][oh][ow] */
} ConvLayer;

static void conv_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ConvLayer *c = (ConvLayer *)j->l;
    long b0, b1;
    parallel_range(j->cx->n, t, T, &b0, &b1);
    conv_forward_part(&c->s, j->cx->n, (int)b0, (int)b1, c->relu, c->x->x,
                      c->w->x, c->y->x, j->cx->ws);
}

static long conv_work(const ConvLayer *c, int n)
{
    return (long)c->s.cout * c->s.cin * c->s.kh * c->s.kw * n * c->s.oh *
           c->s.ow / 8;
}

static void conv_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, conv_fwd_part, conv_work((ConvLayer *)l, cx->n));
}

static size_t conv_wsize(const ConvShape *s)
{
    return (size_t)s->cout * s->cin * s->kh * s->kw;
}

/* Add the T partial weight gradients (thread scratch, offset off) to dw. */
static void add_partials(const LayerCtx *cx, int T, size_t off, size_t m,
                         float *dw)
{
    for (int t = 0; t < T; t++) {
        const float *p = thread_ws(cx, t) + off;
        for (size_t i = 0; i < m; i++)
            dw[i] += p[i];
    }
}

static void conv_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ConvLayer *c = (ConvLayer *)j->l;
    long b0, b1;
    parallel_range(j->cx->n, t, T, &b0, &b1);
    float *dw = c->w->g;
    if (T > 1) {
        dw = thread_ws(j->cx, t);
        memset(dw, 0, sizeof(float) * conv_wsize(&c->s));
    }
    conv_backward_part(&c->s, j->cx->n, (int)b0, (int)b1, c->relu, c->x->x,
                       c->w->x, c->y->g, c->x->g, dw, j->cx->ws);
}

static void conv_layer_backward(Layer *l, const LayerCtx *cx)
{
    ConvLayer *c = (ConvLayer *)l;
    int T = layer_run(l, cx, conv_bwd_part, conv_work(c, cx->n));
    if (T > 1)
        add_partials(cx, T, 0, conv_wsize(&c->s), c->w->g);
}

static int64_t conv_layer_mult_adds(const Layer *l)
{
    const ConvShape *s = &((const ConvLayer *)l)->s;
    return (int64_t)s->cout * s->cin * s->kh * s->kw * s->oh * s->ow;
}

static size_t conv_layer_workspace(const Layer *l, int n)
{
    return conv_workspace(&((const ConvLayer *)l)->s, n);
}

static size_t conv_layer_thread_workspace(const Layer *l)
{
    return conv_wsize(&((const ConvLayer *)l)->s);
}

Layer *layer_conv_new(const ConvShape *s, int relu_in, Tensor *x, Tensor *w,
                      Tensor *y)
{
    ConvLayer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (ConvLayer){ { LAYER_CONV }, *s, relu_in, x, w, y };
    return &c->base;
}

/* ---- depthwise convolution: threads split the channels ---------------- */

typedef struct {
    Layer base;
    DwShape s;
    int relu;
    Tensor *x, *w, *y; /* x [c][n][h][w], w [c][k][k], y [c][n][oh][ow] */
} DwLayer;

/* The sub-shape and offsets of channel range part t. */
static DwShape dw_part_shape(const DwLayer *d, int n, int t, int T,
                             size_t *xo, size_t *wo, size_t *yo)
{
    long c0, c1;
    parallel_range(d->s.c, t, T, &c0, &c1);
    DwShape s = d->s;
    s.c = (int)(c1 - c0);
    *xo = (size_t)c0 * n * s.h * s.w;
    *wo = (size_t)c0 * s.k * s.k;
    *yo = (size_t)c0 * n * s.oh * s.ow;
    return s;
}

static void dw_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    DwLayer *d = (DwLayer *)j->l;
    size_t xo, wo, yo;
    DwShape s = dw_part_shape(d, j->cx->n, t, T, &xo, &wo, &yo);
    if (s.c > 0)
        dwconv_forward(&s, j->cx->n, d->relu, d->x->x + xo, d->w->x + wo,
                       d->y->x + yo, thread_ws(j->cx, t));
}

static void dw_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    DwLayer *d = (DwLayer *)j->l;
    size_t xo, wo, yo;
    DwShape s = dw_part_shape(d, j->cx->n, t, T, &xo, &wo, &yo);
    if (s.c > 0)
        dwconv_backward(&s, j->cx->n, d->relu, d->x->x + xo, d->w->x + wo,
                        d->y->g + yo, d->x->g + xo, d->w->g + wo,
                        thread_ws(j->cx, t));
}

static long dw_work(const DwLayer *d, int n)
{
    return (long)d->s.c * n * d->s.oh * d->s.ow * d->s.k * d->s.k / 8;
}

static void dw_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, dw_fwd_part, dw_work((DwLayer *)l, cx->n));
}

static void dw_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, dw_bwd_part, dw_work((DwLayer *)l, cx->n));
}

static int64_t dw_layer_mult_adds(const Layer *l)
{
    const DwShape *s = &((const DwLayer *)l)->s;
    return (int64_t)s->c * s->k * s->k * s->oh * s->ow;
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
    *d = (DwLayer){ { LAYER_DWCONV }, *s, relu_in, x, w, y };
    return &d->base;
}

/* ---- batch normalisation: threads split the channels -------------------- */

typedef struct {
    Layer base;
    Tensor *x, *gamma, *beta, *mean, *invstd, *run_mean, *run_var, *y;
} BnLayer;

static void bn_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    BnLayer *b = (BnLayer *)j->l;
    long c0, c1, m = per_channel(b->x, j->cx->n);
    parallel_range(b->x->c, t, T, &c0, &c1);
    if (c1 <= c0)
        return;
    size_t o = (size_t)c0 * m;
    if (j->cx->train)
        bn_forward_train((int)(c1 - c0), m, b->x->x + o, b->gamma->x + c0,
                         b->beta->x + c0, b->y->x + o, b->mean->x + c0,
                         b->invstd->x + c0, b->run_mean->x + c0,
                         b->run_var->x + c0);
    else
        bn_forward_infer((int)(c1 - c0), m, b->x->x + o, b->gamma->x + c0,
                         b->beta->x + c0, b->run_mean->x + c0,
                         b->run_var->x + c0, b->y->x + o);
}

static void bn_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    BnLayer *b = (BnLayer *)j->l;
    long c0, c1, m = per_channel(b->x, j->cx->n);
    parallel_range(b->x->c, t, T, &c0, &c1);
    if (c1 <= c0)
        return;
    size_t o = (size_t)c0 * m;
    bn_backward((int)(c1 - c0), m, b->x->x + o, b->gamma->x + c0,
                b->mean->x + c0, b->invstd->x + c0, b->y->g + o, b->x->g + o,
                b->gamma->g + c0, b->beta->g + c0);
}

static void bn_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, bn_fwd_part, 2 * numel(((BnLayer *)l)->x, cx->n));
}

static void bn_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, bn_bwd_part, 2 * numel(((BnLayer *)l)->x, cx->n));
}

Layer *layer_bn_new(Tensor *x, Tensor *gamma, Tensor *beta, Tensor *mean,
                    Tensor *invstd, Tensor *run_mean, Tensor *run_var,
                    Tensor *y)
{
    BnLayer *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    *b = (BnLayer){ { LAYER_BN }, x, gamma, beta, mean, invstd, run_mean,
                    run_var, y };
    return &b->base;
}

/* ---- pooling: threads split the channels ------------------------------- */

typedef struct {
    Layer base;
    PoolShape s;
    Tensor *x, *y;
} PoolLayer;

static PoolShape pool_part_shape(const PoolLayer *p, int n, int t, int T,
                                 size_t *xo, size_t *yo)
{
    long c0, c1;
    parallel_range(p->s.c, t, T, &c0, &c1);
    PoolShape s = p->s;
    s.c = (int)(c1 - c0);
    *xo = (size_t)c0 * n * s.h * s.w;
    *yo = (size_t)c0 * n * s.oh * s.ow;
    return s;
}

static void pool_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    PoolLayer *p = (PoolLayer *)j->l;
    size_t xo, yo;
    PoolShape s = pool_part_shape(p, j->cx->n, t, T, &xo, &yo);
    if (s.c <= 0)
        return;
    if (p->base.kind == LAYER_MAXPOOL)
        maxpool_forward(&s, j->cx->n, p->x->x + xo, p->y->x + yo,
                        thread_ws(j->cx, t));
    else
        avgpool_forward(&s, j->cx->n, p->x->x + xo, p->y->x + yo,
                        thread_ws(j->cx, t));
}

static void pool_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    PoolLayer *p = (PoolLayer *)j->l;
    size_t xo, yo;
    PoolShape s = pool_part_shape(p, j->cx->n, t, T, &xo, &yo);
    if (s.c <= 0)
        return;
    if (p->base.kind == LAYER_MAXPOOL)
        maxpool_backward(&s, j->cx->n, p->x->x + xo, p->y->g + yo,
                         p->x->g + xo, thread_ws(j->cx, t));
    else
        avgpool_backward(&s, j->cx->n, p->y->g + yo, p->x->g + xo,
                         thread_ws(j->cx, t));
}

static long pool_work(const PoolLayer *p, int n)
{
    return (long)p->s.c * n * p->s.oh * p->s.ow * p->s.k * p->s.k / 2;
}

static void pool_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, pool_fwd_part, pool_work((PoolLayer *)l, cx->n));
}

static void pool_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, pool_bwd_part, pool_work((PoolLayer *)l, cx->n));
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
    *p = (PoolLayer){ { max ? LAYER_MAXPOOL : LAYER_AVGPOOL }, *s, x, y };
    return &p->base;
}

/* ---- ReLU, add, concat: threads split the elements ---------------------- */

typedef struct {
    Layer base;
    Tensor *x, *y;
} ReluLayer;

static void relu_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ReluLayer *r = (ReluLayer *)j->l;
    long lo, hi;
    parallel_range(numel(r->x, j->cx->n), t, T, &lo, &hi);
    const float *x = r->x->x;
    float *y = r->y->x;
    for (long i = lo; i < hi; i++)
        y[i] = x[i] < 0.0f ? 0.0f : x[i]; /* NaN stays NaN */
}

static void relu_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ReluLayer *r = (ReluLayer *)j->l;
    long lo, hi;
    parallel_range(numel(r->x, j->cx->n), t, T, &lo, &hi);
    const float *x = r->x->x, *dy = r->y->g;
    float *dx = r->x->g;
    for (long i = lo; i < hi; i++)
        dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
}

static void relu_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, relu_fwd_part, numel(((ReluLayer *)l)->x, cx->n));
}

static void relu_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, relu_bwd_part, numel(((ReluLayer *)l)->x, cx->n));
}

Layer *layer_relu_new(Tensor *x, Tensor *y)
{
    ReluLayer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (ReluLayer){ { LAYER_RELU }, x, y };
    return &r->base;
}

typedef struct {
    Layer base;
    Tensor *a, *b, *y;
} AddLayer;

static void add_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    AddLayer *a = (AddLayer *)j->l;
    long lo, hi;
    parallel_range(numel(a->y, j->cx->n), t, T, &lo, &hi);
    const float *p = a->a->x, *q = a->b->x;
    float *y = a->y->x;
    for (long i = lo; i < hi; i++)
        y[i] = p[i] + q[i];
}

static void add_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    AddLayer *a = (AddLayer *)j->l;
    long lo, hi;
    parallel_range(numel(a->y, j->cx->n), t, T, &lo, &hi);
    const float *dy = a->y->g;
    float *da = a->a->g, *db = a->b->g;
    for (long i = lo; i < hi; i++)
        da[i] += dy[i];
    for (long i = lo; i < hi; i++)
        db[i] += dy[i];
}

static void add_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, add_fwd_part, 3 * numel(((AddLayer *)l)->y, cx->n));
}

static void add_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, add_bwd_part, 3 * numel(((AddLayer *)l)->y, cx->n));
}

Layer *layer_add_new(Tensor *a, Tensor *b, Tensor *y)
{
    AddLayer *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    *l = (AddLayer){ { LAYER_ADD }, a, b, y };
    return &l->base;
}

typedef struct {
    Layer base;
    int k;
    Tensor *xs[LAYER_CONCAT_MAX], *y;
} ConcatLayer;

/* Channel-major: each input is one contiguous block of the output. */
static void concat_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ConcatLayer *c = (ConcatLayer *)j->l;
    float *y = c->y->x;
    for (int i = 0; i < c->k; i++) {
        long m = numel(c->xs[i], j->cx->n), lo, hi;
        parallel_range(m, t, T, &lo, &hi);
        memcpy(y + lo, c->xs[i]->x + lo, sizeof(float) * (size_t)(hi - lo));
        y += m;
    }
}

static void concat_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    ConcatLayer *c = (ConcatLayer *)j->l;
    const float *dy = c->y->g;
    for (int i = 0; i < c->k; i++) {
        long m = numel(c->xs[i], j->cx->n), lo, hi;
        parallel_range(m, t, T, &lo, &hi);
        float *dx = c->xs[i]->g;
        for (long q = lo; q < hi; q++)
            dx[q] += dy[q];
        dy += m;
    }
}

static void concat_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, concat_fwd_part, 2 * numel(((ConcatLayer *)l)->y, cx->n));
}

static void concat_layer_backward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, concat_bwd_part, 2 * numel(((ConcatLayer *)l)->y, cx->n));
}

Layer *layer_concat_new(Tensor *const *xs, int k, Tensor *y)
{
    if (k < 1 || k > LAYER_CONCAT_MAX)
        return NULL;
    ConcatLayer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->base.kind = LAYER_CONCAT;
    c->k = k;
    for (int i = 0; i < k; i++)
        c->xs[i] = xs[i];
    c->y = y;
    return &c->base;
}

/* ---- factorized reduce: two convolutions, threads split the images ------ */

typedef struct {
    Layer base;
    ConvShape a, b; /* b reads the input shifted by one pixel (padding -1) */
    Tensor *x, *wa, *wb, *y;
} FrLayer;

static void fr_fwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    FrLayer *f = (FrLayer *)j->l;
    const int n = j->cx->n;
    size_t half = (size_t)f->a.cout * n * f->a.oh * f->a.ow;
    long b0, b1;
    parallel_range(n, t, T, &b0, &b1);
    conv_forward_part(&f->a, n, (int)b0, (int)b1, 1, f->x->x, f->wa->x,
                      f->y->x, j->cx->ws);
    conv_forward_part(&f->b, n, (int)b0, (int)b1, 1, f->x->x, f->wb->x,
                      f->y->x + half, j->cx->ws);
}

static void fr_bwd_part(void *arg, int t, int T)
{
    LayerJob *j = arg;
    FrLayer *f = (FrLayer *)j->l;
    const int n = j->cx->n;
    size_t half = (size_t)f->a.cout * n * f->a.oh * f->a.ow;
    size_t na = conv_wsize(&f->a), nb = conv_wsize(&f->b);
    float *dwa = f->wa->g, *dwb = f->wb->g;
    if (T > 1) {
        dwa = thread_ws(j->cx, t);
        dwb = dwa + na;
        memset(dwa, 0, sizeof(float) * (na + nb));
    }
    long b0, b1;
    parallel_range(n, t, T, &b0, &b1);
    conv_backward_part(&f->a, n, (int)b0, (int)b1, 1, f->x->x, f->wa->x,
                       f->y->g, f->x->g, dwa, j->cx->ws);
    conv_backward_part(&f->b, n, (int)b0, (int)b1, 1, f->x->x, f->wb->x,
                       f->y->g + half, f->x->g, dwb, j->cx->ws);
}

static long fr_work(const FrLayer *f, int n)
{
    return (long)(f->a.cout + f->b.cout) * f->a.cin * n * f->a.oh * f->a.ow /
           8 + (long)f->a.cin * n * f->a.h * f->a.w;
}

static void fr_layer_forward(Layer *l, const LayerCtx *cx)
{
    layer_run(l, cx, fr_fwd_part, fr_work((FrLayer *)l, cx->n));
}

static void fr_layer_backward(Layer *l, const LayerCtx *cx)
{
    FrLayer *f = (FrLayer *)l;
    int T = layer_run(l, cx, fr_bwd_part, fr_work(f, cx->n));
    if (T > 1) {
        size_t na = conv_wsize(&f->a);
        add_partials(cx, T, 0, na, f->wa->g);
        add_partials(cx, T, na, conv_wsize(&f->b), f->wb->g);
    }
}

static int64_t fr_layer_mult_adds(const Layer *l)
{
    const FrLayer *f = (const FrLayer *)l;
    return (int64_t)(f->a.cout + f->b.cout) * f->a.cin * f->a.oh * f->a.ow;
}

static size_t fr_layer_workspace(const Layer *l, int n)
{
    const FrLayer *f = (const FrLayer *)l;
    size_t a = conv_workspace(&f->a, n), b = conv_workspace(&f->b, n);
    return a > b ? a : b;
}

static size_t fr_layer_thread_workspace(const Layer *l)
{
    const FrLayer *f = (const FrLayer *)l;
    return conv_wsize(&f->a) + conv_wsize(&f->b);
}

Layer *layer_factred_new(Tensor *x, Tensor *wa, Tensor *wb, Tensor *y)
{
    FrLayer *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->base.kind = LAYER_FACTRED;
    f->a = conv_shape_make(x->c, wa->c / x->c, 1, 1, 2, 2, 0, 0, 1, 1, x->h,
                           x->w);
    f->b = conv_shape_make(x->c, wb->c / x->c, 1, 1, 2, 2, -1, -1, 1, 1,
                           x->h, x->w);
    f->b.oh = f->a.oh;
    f->b.ow = f->a.ow;
    f->x = x;
    f->wa = wa;
    f->wb = wb;
    f->y = y;
    return &f->base;
}

/* ---- global average pool, linear (small: one thread) --------------------- */

typedef struct {
    Layer base;
    int relu;
    Tensor *x, *y; /* x [c][n][h][w], y [c][n] */
} GapLayer;

static void gap_layer_forward(Layer *l, const LayerCtx *cx)
{
    GapLayer *g = (GapLayer *)l;
    const long hw = (long)g->x->h * g->x->w, planes = (long)g->x->c * cx->n;
    for (long p = 0; p < planes; p++) {
        const float *x = g->x->x + p * hw;
        float acc = 0.0f;
        for (long i = 0; i < hw; i++)
            acc += (g->relu && x[i] < 0.0f) ? 0.0f : x[i];
        g->y->x[p] = acc / (float)hw;
    }
}

static void gap_layer_backward(Layer *l, const LayerCtx *cx)
{
    GapLayer *g = (GapLayer *)l;
    const long hw = (long)g->x->h * g->x->w, planes = (long)g->x->c * cx->n;
    for (long p = 0; p < planes; p++) {
        const float *x = g->x->x + p * hw;
        float *dx = g->x->g + p * hw;
        const float d = g->y->g[p] / (float)hw;
        for (long i = 0; i < hw; i++)
            if (!g->relu || x[i] > 0.0f)
                dx[i] += d;
    }
}

Layer *layer_gap_new(int relu_in, Tensor *x, Tensor *y)
{
    GapLayer *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    *g = (GapLayer){ { LAYER_GAP }, relu_in, x, y };
    return &g->base;
}

typedef struct {
    Layer base;
    Tensor *x, *w, *b, *y; /* x [in][n], w [out][in], b [out], y [out][n] */
} LinearLayer;

static void linear_layer_forward(Layer *l, const LayerCtx *cx)
{
    LinearLayer *f = (LinearLayer *)l;
    const int in = f->x->c, out = f->y->c, n = cx->n;
    for (int o = 0; o < out; o++)
        for (int j = 0; j < n; j++)
            f->y->x[o * n + j] = f->b->x[o];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, out, n, in, 1.0f,
                f->w->x, in, f->x->x, n, 1.0f, f->y->x, n);
}

static void linear_layer_backward(Layer *l, const LayerCtx *cx)
{
    LinearLayer *f = (LinearLayer *)l;
    const int in = f->x->c, out = f->y->c, n = cx->n;
    const float *dy = f->y->g;
    for (int o = 0; o < out; o++) {
        float s = 0.0f;
        for (int j = 0; j < n; j++)
            s += dy[o * n + j];
        f->b->g[o] += s;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, out, in, n, 1.0f, dy,
                n, f->x->x, n, 1.0f, f->w->g, in);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, n, out, 1.0f,
                f->w->x, in, dy, n, 1.0f, f->x->g, n);
}

static int64_t linear_layer_mult_adds(const Layer *l)
{
    const LinearLayer *f = (const LinearLayer *)l;
    return (int64_t)f->x->c * f->y->c;
}

Layer *layer_linear_new(Tensor *x, Tensor *w, Tensor *b, Tensor *y)
{
    LinearLayer *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    *f = (LinearLayer){ { LAYER_LINEAR }, x, w, b, y };
    return &f->base;
}

/* ---- the kind table --------------------------------------------------- */

/* name, forward, backward, mult_adds, workspace, thread_workspace,
 * keeps_input */
const LayerKind layer_kinds[LAYER_KINDS] = {
    [LAYER_CONV] = { "conv", conv_layer_forward, conv_layer_backward,
                     conv_layer_mult_adds, conv_layer_workspace,
                     conv_layer_thread_workspace, 1 },
    [LAYER_DWCONV] = { "dwconv", dw_layer_forward, dw_layer_backward,
                       dw_layer_mult_adds, no_workspace,
                       dw_layer_thread_workspace, 1 },
    [LAYER_BN] = { "batchnorm", bn_layer_forward, bn_layer_backward,
                   no_mult_adds, no_workspace, no_thread_workspace, 1 },
    [LAYER_AVGPOOL] = { "avgpool", pool_layer_forward, pool_layer_backward,
                        no_mult_adds, no_workspace,
                        pool_layer_thread_workspace, 0 },
    [LAYER_MAXPOOL] = { "maxpool", pool_layer_forward, pool_layer_backward,
                        no_mult_adds, no_workspace,
                        pool_layer_thread_workspace, 1 },
    [LAYER_RELU] = { "relu", relu_layer_forward, relu_layer_backward,
                     no_mult_adds, no_workspace, no_thread_workspace, 1 },
    [LAYER_ADD] = { "add", add_layer_forward, add_layer_backward,
                    no_mult_adds, no_workspace, no_thread_workspace, 0 },
    [LAYER_CONCAT] = { "concat", concat_layer_forward, concat_layer_backward,
                       no_mult_adds, no_workspace, no_thread_workspace, 0 },
    [LAYER_FACTRED] = { "factred", fr_layer_forward, fr_layer_backward,
                        fr_layer_mult_adds, fr_layer_workspace,
                        fr_layer_thread_workspace, 1 },
    [LAYER_GAP] = { "gap", gap_layer_forward, gap_layer_backward,
                    no_mult_adds, no_workspace, no_thread_workspace, 1 },
    [LAYER_LINEAR] = { "linear", linear_layer_forward, linear_layer_backward,
                       linear_layer_mult_adds, no_workspace,
                       no_thread_workspace, 1 },
};

/* ---- loss ------------------------------------------------------------- */

float loss_softmax_xent(const float *logits, int k, int n,
                        const uint8_t *labels, float *dlogits, int *correct)
{
    double total = 0.0;
    int right = 0;
    for (int j = 0; j < n; j++) {
        float mx = logits[j];
        int arg = 0;
        for (int c = 1; c < k; c++)
            if (logits[c * n + j] > mx) {
                mx = logits[c * n + j];
                arg = c;
            }
        double z = 0.0;
        for (int c = 0; c < k; c++)
            z += exp((double)logits[c * n + j] - mx);
        const int y = labels[j];
        total += log(z) - ((double)logits[y * n + j] - mx);
        right += arg == y;
        if (dlogits)
            for (int c = 0; c < k; c++) {
                double p = exp((double)logits[c * n + j] - mx) / z;
                dlogits[c * n + j] += (float)((p - (c == y)) / n);
            }
    }
    if (correct)
        *correct += right;
    return (float)(total / n);
}
