/* netquery.c - what a built network tells about itself: parameter and
 * mult-add counts, per-kind costs, memory, and views of its parameter and
 * state arenas (network.h).  Split from network.c, which builds and plans. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "nn/network_impl.h"

int64_t net_param_count(const Net *net)
{
    if (net->lend && net->finished)
        return (int64_t)net->npar;
    int64_t n = 0;
    for (int i = 0; i < net->ntensors; i++)
        if (net->tensors[i]->role == TENSOR_PARAM)
            n += (int64_t)net->tensors[i]->size;
    return n;
}

int64_t net_mult_adds(const Net *net)
{
    int64_t m = 0;
    for (int i = 0; i < net->nlayers; i++)
        if (layer_kinds[net->layers[i]->kind].mult_adds)
            m += layer_kinds[net->layers[i]->kind].mult_adds(net->layers[i]);
    return m;
}

void net_kind_costs(const Net *net, double flops[LAYER_KINDS],
                    double bytes[LAYER_KINDS])
{
    for (int k = 0; k < LAYER_KINDS; k++)
        flops[k] = bytes[k] = 0.0;
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = net->layers[i];
        const LayerCost c = layer_kinds[l->kind].cost(l);
        flops[l->kind] += c.flops;
        bytes[l->kind] += c.bytes;
    }
}

size_t net_bytes(const Net *net)
{
    const size_t t = (size_t)net->threads;
    return sizeof(float) * (net->nact + net->nact_g + 3 * net->npar +
                            net->nstate + (net->th.nws + net->ntws) * t +
                            net->npar * (t - 1)) +
           sizeof(double) * 2 * t * net->th.red_stride;
}

int net_max_batch(const Net *net)
{
    return net->max_batch;
}

size_t net_max_units(const Net *net)
{
    size_t best = 0;
    for (int i = 0; i < net->ntensors; i++) {
        const Tensor *t = net->tensors[i];
        size_t u = (size_t)t->c * t->h * t->w;
        if (t->role == TENSOR_ACT && u > best)
            best = u;
    }
    return best;
}

void net_params(Net *net, float **w, float **g, float **m)
{
    *w = net->lend ? NULL : net->par;
    *g = net->par_g;
    *m = net->lend ? NULL : net->par_m;
}

int net_param_span(Net *net, int i, float **w, float **g, float **m,
                   size_t *n)
{
    if (!net->finished || i < 0)
        return 0;
    if (!net->lend) {
        if (i > 0)
            return 0;
        *w = net->par;
        *g = net->par_g;
        *m = net->par_m;
        *n = net->npar;
        return 1;
    }
    if (i >= net->nspans)
        return 0;
    const Tensor *t = net->spans[i];
    *w = t->x;
    *g = t->g;
    *m = t->m;
    *n = t->size;
    return 1;
}


void net_state_arena(Net *net, float **s, size_t *n)
{
    *s = net->state;
    *n = net->nstate;
}
