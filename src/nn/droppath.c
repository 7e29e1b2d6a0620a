/* droppath.c - the drop-path layer kind (layers.h, LAYER_DROPPATH):
 * NASNet's ScheduledDropPath keeps or zeroes each image's whole plane of
 * an operation's output.  The kind table in layers.c points here. */
#include "config.h"

#include <stdlib.h>

#include "nn/droppath.h"

/* This part's images of tensor t as layers.c lays them out: each channel's
 * run starts at b0 * plane, channels n * plane apart. */
static long plane_of(const Tensor *t)
{
    return (long)t->h * t->w;
}

static long run_stride(const Tensor *t, const LayerCtx *cx)
{
    return (long)cx->n * plane_of(t);
}

static size_t run_start(const Tensor *t, const LayerCtx *cx)
{
    return (size_t)cx->b0 * (size_t)plane_of(t);
}

/* in[0] x, out y. */
typedef struct {
    Layer base;
    int max_batch;
    int active;     /* a mask is set */
    float scale[];  /* [max_batch]: 0 or 1/(1-p) per image */
} DropPathLayer;

void droppath_layer_forward(Layer *l, const LayerCtx *cx)
{
    DropPathLayer *d = (DropPathLayer *)l;
    const Tensor *in = l->in[0];
    const long plane = (long)plane_of(in), stride = run_stride(in, cx);
    const size_t o = run_start(in, cx);
    const int use = d->active && cx->train && !cx->recal;
    for (int c = 0; c < in->c; c++) {
        const float *x = in->x + o + (size_t)c * stride;
        float *y = l->out->x + o + (size_t)c * stride;
        for (int j = 0; j < cx->b1 - cx->b0; j++) {
            const float s = use ? d->scale[cx->b0 + j] : 1.0f;
            for (long i = 0; i < plane; i++)
                y[j * plane + i] = use ? x[j * plane + i] * s : x[j * plane + i];
        }
    }
}

void droppath_layer_backward(Layer *l, const LayerCtx *cx)
{
    DropPathLayer *d = (DropPathLayer *)l;
    const Tensor *in = l->in[0];
    const long plane = (long)plane_of(in), stride = run_stride(in, cx);
    const size_t o = run_start(in, cx);
    for (int c = 0; c < in->c; c++) {
        float *dx = in->g + o + (size_t)c * stride;
        const float *dy = l->out->g + o + (size_t)c * stride;
        for (int j = 0; j < cx->b1 - cx->b0; j++) {
            if (d->active) {
                const float s = d->scale[cx->b0 + j];
                for (long i = 0; i < plane; i++)
                    dx[j * plane + i] += dy[j * plane + i] * s;
            } else
                for (long i = 0; i < plane; i++)
                    dx[j * plane + i] += dy[j * plane + i];
        }
    }
}

Layer *layer_droppath_new(Tensor *x, Tensor *y, int max_batch)
{
    DropPathLayer *d = calloc(1, sizeof *d + sizeof(float) * (size_t)max_batch);
    if (!d)
        return NULL;
    layer_header(&d->base, LAYER_DROPPATH, &x, 1, y);
    d->max_batch = max_batch;
    return &d->base;
}

int layer_droppath_draw(Layer *l, float p, Rng *rng, int n)
{
    DropPathLayer *d = (DropPathLayer *)l;
    int dropped = 0;
    d->active = p > 0.0f;
    if (!d->active)
        return 0;
    if (n > d->max_batch)
        n = d->max_batch;
    const float keep = 1.0f / (1.0f - p);
    for (int j = 0; j < n; j++) {
        int drop = rng_uniform(rng) < (double)p;
        d->scale[j] = drop ? 0.0f : keep;
        dropped += drop;
    }
    return dropped;
}

LayerCost droppath_layer_cost(const Layer *l)
{
    /* reads x, writes y; backward reads dy and adds into dx */
    const Tensor *in = l->in[0];
    const double x = (double)in->c * in->h * in->w;
    LayerCost c = { 2.0 * x, sizeof(float) * 5.0 * x };
    return c;
}
