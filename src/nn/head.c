/* head.c - the layers of the classifier head: global average pooling
 * (optional input ReLU) and the fully connected layer, each on this
 * part's images, for layers.c's kind table. */
#include "config.h"

/* As in layers.c: the planes' loops need GCC's dynamic cost model to
 * vectorise. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <stdlib.h>

#include <cblas.h>

#include "nn/head.h"

static inline long plane_of(const Tensor *t)
{
    return (long)t->h * t->w;
}

static inline double image_of(const Tensor *t)
{
    return (double)t->c * t->h * t->w;
}

/* As layers.c's: x and y forward, x, dy and an accumulated dx backward. */
static LayerCost cost_xy(double flops, double x, double y)
{
    LayerCost c = { flops, sizeof(float) * (4.0 * x + 2.0 * y) };
    return c;
}

/* in[0] x [c][n][h][w], out y [c][n]. */
typedef struct {
    Layer base;
    int relu;
} GapLayer;

void head_gap_forward(Layer *l, const LayerCtx *cx)
{
    GapLayer *g = (GapLayer *)l;
    const Tensor *in = l->in[0];
    const long hw = plane_of(in);
    for (int c = 0; c < in->c; c++)
        for (int b = cx->b0; b < cx->b1; b++) {
            const long p = (long)c * cx->n + b;
            const float *x = in->x + p * hw;
            float acc = 0.0f;
            for (long i = 0; i < hw; i++)
                acc += (g->relu && x[i] < 0.0f) ? 0.0f : x[i];
            l->out->x[p] = acc / (float)hw;
        }
}

void head_gap_backward(Layer *l, const LayerCtx *cx)
{
    GapLayer *g = (GapLayer *)l;
    const Tensor *in = l->in[0];
    const long hw = plane_of(in);
    for (int c = 0; c < in->c; c++)
        for (int b = cx->b0; b < cx->b1; b++) {
            const long p = (long)c * cx->n + b;
            const float *x = in->x + p * hw;
            float *dx = in->g + p * hw;
            const float d = l->out->g[p] / (float)hw;
            for (long i = 0; i < hw; i++)
                if (!g->relu || x[i] > 0.0f)
                    dx[i] += d;
        }
}

LayerCost head_gap_cost(const Layer *l)
{
    return cost_xy(2.0 * image_of(l->in[0]), image_of(l->in[0]),
                   image_of(l->out));
}

const Tensor *head_gap_relu_input(const Layer *l)
{
    return ((const GapLayer *)l)->relu ? l->in[0] : NULL;
}

Layer *layer_gap_new(int relu_in, Tensor *x, Tensor *y)
{
    GapLayer *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    *g = (GapLayer){ .relu = relu_in };
    layer_header(&g->base, LAYER_GAP, &x, 1, y);
    return &g->base;
}

/* in[0] x [in][n], out y [out][n]. */
typedef struct {
    Layer base;
    Tensor *w, *b; /* w [out][in], b [out] */
} LinearLayer;

/* This part's columns [b0, b1) of x, y and their gradients. */
void head_linear_forward(Layer *l, const LayerCtx *cx)
{
    LinearLayer *f = (LinearLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int in = x->c, out = y->c, n = cx->n, b0 = cx->b0;
    const int cols = cx->b1 - cx->b0;
    if (cols <= 0)
        return;
    for (int o = 0; o < out; o++)
        for (int j = b0; j < cx->b1; j++)
            y->x[o * n + j] = f->b->x[o];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, out, cols, in, 1.0f,
                f->w->x, in, x->x + b0, n, 1.0f, y->x + b0, n);
}

void head_linear_backward(Layer *l, const LayerCtx *cx)
{
    LinearLayer *f = (LinearLayer *)l;
    const Tensor *x = l->in[0], *y = l->out;
    const int in = x->c, out = y->c, n = cx->n, b0 = cx->b0;
    const int cols = cx->b1 - cx->b0;
    if (cols <= 0)
        return;
    const float *dy = y->g;
    float *db = layer_grad(cx, f->b->g), *dw = layer_grad(cx, f->w->g);
    for (int o = 0; o < out; o++) {
        float s = 0.0f;
        for (int j = b0; j < cx->b1; j++)
            s += dy[o * n + j];
        db[o] += s;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, out, in, cols, 1.0f,
                dy + b0, n, x->x + b0, n, 1.0f, dw, in);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, cols, out, 1.0f,
                f->w->x, in, dy + b0, n, 1.0f, x->g + b0, n);
}

int64_t head_linear_mult_adds(const Layer *l)
{
    return (int64_t)l->in[0]->c * l->out->c;
}

LayerCost head_linear_cost(const Layer *l)
{
    return cost_xy(6.0 * (double)head_linear_mult_adds(l), image_of(l->in[0]),
                   image_of(l->out));
}

Layer *layer_linear_new(Tensor *x, Tensor *w, Tensor *b, Tensor *y)
{
    LinearLayer *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    *f = (LinearLayer){ .w = w, .b = b };
    layer_header(&f->base, LAYER_LINEAR, &x, 1, y);
    return &f->base;
}
