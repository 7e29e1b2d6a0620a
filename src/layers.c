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

static int64_t no_mult_adds(const Layer *l)
{
    (void)l;
    return 0;
}

/* ---- convolution ------------------------------------------------------ */

typedef struct {
    Layer base;
    ConvShape s;
    int relu;
    Tensor *x, *w, *y; /* x [cin][n][h][w], w [cout][cin][kh][kw], y [cout][n][oh][ow] */
} ConvLayer;

static void conv_layer_forward(Layer *l, const LayerCtx *cx)
{
    ConvLayer *c = (ConvLayer *)l;
    conv_forward(&c->s, cx->n, c->relu, c->x->x, c->w->x, c->y->x, cx->ws);
}

static void conv_layer_backward(Layer *l, const LayerCtx *cx)
{
    ConvLayer *c = (ConvLayer *)l;
    conv_backward(&c->s, cx->n, c->relu, c->x->x, c->w->x, c->y->g, c->x->g,
                  c->w->g, cx->ws);
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

Layer *layer_conv_new(const ConvShape *s, int relu_in, Tensor *x, Tensor *w,
                      Tensor *y)
{
    ConvLayer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (ConvLayer){ { LAYER_CONV }, *s, relu_in, x, w, y };
    return &c->base;
}

/* ---- depthwise convolution --------------------------------------------- */

typedef struct {
    Layer base;
    DwShape s;
    int relu;
    Tensor *x, *w, *y; /* x [c][n][h][w], w [c][k][k], y [c][n][oh][ow] */
} DwLayer;

static void dw_layer_forward(Layer *l, const LayerCtx *cx)
{
    DwLayer *d = (DwLayer *)l;
    dwconv_forward(&d->s, cx->n, d->relu, d->x->x, d->w->x, d->y->x, cx->ws);
}

static void dw_layer_backward(Layer *l, const LayerCtx *cx)
{
    DwLayer *d = (DwLayer *)l;
    dwconv_backward(&d->s, cx->n, d->relu, d->x->x, d->w->x, d->y->g,
                    d->x->g, d->w->g, cx->ws);
}

static int64_t dw_layer_mult_adds(const Layer *l)
{
    const DwShape *s = &((const DwLayer *)l)->s;
    return (int64_t)s->c * s->k * s->k * s->oh * s->ow;
}

static size_t dw_layer_workspace(const Layer *l, int n)
{
    (void)n;
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

/* ---- batch normalisation ------------------------------------------------ */

typedef struct {
    Layer base;
    Tensor *x, *gamma, *beta, *mean, *invstd, *run_mean, *run_var, *y;
} BnLayer;

static void bn_layer_forward(Layer *l, const LayerCtx *cx)
{
    BnLayer *b = (BnLayer *)l;
    long m = per_channel(b->x, cx->n);
    if (cx->train)
        bn_forward_train(b->x->c, m, b->x->x, b->gamma->x, b->beta->x, b->y->x,
                         b->mean->x, b->invstd->x, b->run_mean->x,
                         b->run_var->x);
    else
        bn_forward_infer(b->x->c, m, b->x->x, b->gamma->x, b->beta->x,
                         b->run_mean->x, b->run_var->x, b->y->x);
}

static void bn_layer_backward(Layer *l, const LayerCtx *cx)
{
    BnLayer *b = (BnLayer *)l;
    bn_backward(b->x->c, per_channel(b->x, cx->n), b->x->x, b->gamma->x,
                b->mean->x, b->invstd->x, b->y->g, b->x->g, b->gamma->g,
                b->beta->g);
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

/* ---- pooling ------------------------------------------------------------ */

typedef struct {
    Layer base;
    PoolShape s;
    Tensor *x, *y;
} PoolLayer;

static void avgpool_layer_forward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    avgpool_forward(&p->s, cx->n, p->x->x, p->y->x, cx->ws);
}

static void avgpool_layer_backward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    avgpool_backward(&p->s, cx->n, p->y->g, p->x->g, cx->ws);
}

static size_t avgpool_layer_workspace(const Layer *l, int n)
{
    (void)n;
    return pool_workspace(&((const PoolLayer *)l)->s);
}

static void maxpool_layer_forward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    maxpool_forward(&p->s, cx->n, p->x->x, p->y->x);
}

static void maxpool_layer_backward(Layer *l, const LayerCtx *cx)
{
    PoolLayer *p = (PoolLayer *)l;
    maxpool_backward(&p->s, cx->n, p->x->x, p->y->g, p->x->g);
}

Layer *layer_pool_new(int max, const PoolShape *s, Tensor *x, Tensor *y)
{
    PoolLayer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (PoolLayer){ { max ? LAYER_MAXPOOL : LAYER_AVGPOOL }, *s, x, y };
    return &p->base;
}

/* ---- ReLU, add, concat -------------------------------------------------- */

typedef struct {
    Layer base;
    Tensor *x, *y;
} ReluLayer;

static void relu_layer_forward(Layer *l, const LayerCtx *cx)
{
    ReluLayer *r = (ReluLayer *)l;
    long m = numel(r->x, cx->n);
    const float *x = r->x->x;
    float *y = r->y->x;
    for (long i = 0; i < m; i++)
        y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

static void relu_layer_backward(Layer *l, const LayerCtx *cx)
{
    ReluLayer *r = (ReluLayer *)l;
    long m = numel(r->x, cx->n);
    const float *x = r->x->x, *dy = r->y->g;
    float *dx = r->x->g;
    for (long i = 0; i < m; i++)
        dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
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

static void add_layer_forward(Layer *l, const LayerCtx *cx)
{
    AddLayer *a = (AddLayer *)l;
    long m = numel(a->y, cx->n);
    const float *p = a->a->x, *q = a->b->x;
    float *y = a->y->x;
    for (long i = 0; i < m; i++)
        y[i] = p[i] + q[i];
}

static void add_layer_backward(Layer *l, const LayerCtx *cx)
{
    AddLayer *a = (AddLayer *)l;
    long m = numel(a->y, cx->n);
    const float *dy = a->y->g;
    float *da = a->a->g, *db = a->b->g;
    for (long i = 0; i < m; i++)
        da[i] += dy[i];
    for (long i = 0; i < m; i++)
        db[i] += dy[i];
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
static void concat_layer_forward(Layer *l, const LayerCtx *cx)
{
    ConcatLayer *c = (ConcatLayer *)l;
    float *y = c->y->x;
    for (int i = 0; i < c->k; i++) {
        long m = numel(c->xs[i], cx->n);
        memcpy(y, c->xs[i]->x, sizeof(float) * (size_t)m);
        y += m;
    }
}

static void concat_layer_backward(Layer *l, const LayerCtx *cx)
{
    ConcatLayer *c = (ConcatLayer *)l;
    const float *dy = c->y->g;
    for (int i = 0; i < c->k; i++) {
        long m = numel(c->xs[i], cx->n);
        float *dx = c->xs[i]->g;
        for (long j = 0; j < m; j++)
            dx[j] += dy[j];
        dy += m;
    }
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

/* ---- factorized reduce ---------------------------------------------------- */

typedef struct {
    Layer base;
    ConvShape a, b; /* b reads the input shifted by one pixel (padding -1) */
    Tensor *x, *wa, *wb, *y;
} FrLayer;

static void fr_layer_forward(Layer *l, const LayerCtx *cx)
{
    FrLayer *f = (FrLayer *)l;
    size_t half = (size_t)f->a.cout * cx->n * f->a.oh * f->a.ow;
    conv_forward(&f->a, cx->n, 1, f->x->x, f->wa->x, f->y->x, cx->ws);
    conv_forward(&f->b, cx->n, 1, f->x->x, f->wb->x, f->y->x + half, cx->ws);
}

static void fr_layer_backward(Layer *l, const LayerCtx *cx)
{
    FrLayer *f = (FrLayer *)l;
    size_t half = (size_t)f->a.cout * cx->n * f->a.oh * f->a.ow;
    conv_backward(&f->a, cx->n, 1, f->x->x, f->wa->x, f->y->g, f->x->g,
                  f->wa->g, cx->ws);
    conv_backward(&f->b, cx->n, 1, f->x->x, f->wb->x, f->y->g + half, f->x->g,
                  f->wb->g, cx->ws);
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

/* ---- global average pool, linear ------------------------------------------ */

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

const LayerKind layer_kinds[LAYER_KINDS] = {
    [LAYER_CONV] = { "conv", conv_layer_forward, conv_layer_backward,
                     conv_layer_mult_adds, conv_layer_workspace, 1 },
    [LAYER_DWCONV] = { "dwconv", dw_layer_forward, dw_layer_backward,
                       dw_layer_mult_adds, dw_layer_workspace, 1 },
    [LAYER_BN] = { "batchnorm", bn_layer_forward, bn_layer_backward,
                   no_mult_adds, no_workspace, 1 },
    [LAYER_AVGPOOL] = { "avgpool", avgpool_layer_forward,
                        avgpool_layer_backward, no_mult_adds,
                        avgpool_layer_workspace, 0 },
    [LAYER_MAXPOOL] = { "maxpool", maxpool_layer_forward,
                        maxpool_layer_backward, no_mult_adds, no_workspace, 1 },
    [LAYER_RELU] = { "relu", relu_layer_forward, relu_layer_backward,
                     no_mult_adds, no_workspace, 1 },
    [LAYER_ADD] = { "add", add_layer_forward, add_layer_backward,
                    no_mult_adds, no_workspace, 0 },
    [LAYER_CONCAT] = { "concat", concat_layer_forward, concat_layer_backward,
                       no_mult_adds, no_workspace, 0 },
    [LAYER_FACTRED] = { "factred", fr_layer_forward, fr_layer_backward,
                        fr_layer_mult_adds, fr_layer_workspace, 1 },
    [LAYER_GAP] = { "gap", gap_layer_forward, gap_layer_backward,
                    no_mult_adds, no_workspace, 1 },
    [LAYER_LINEAR] = { "linear", linear_layer_forward, linear_layer_backward,
                       linear_layer_mult_adds, no_workspace, 1 },
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
