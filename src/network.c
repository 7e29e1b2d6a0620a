/* network.c - layer list, shape bookkeeping and the one-time memory plan of
 * a network; forward/backward drivers.  It knows nothing of cells or
 * genotypes (child.c) nor of optimisers and data (train.c).
 *
 * Invariants:
 * 1. Tensors and layers are created only while building; after
 *    net_finish() every tensor's x (and g) points into an arena and no
 *    function here allocates.
 * 2. Layers run in creation order forward and in reverse order backward,
 *    so a layer only reads tensors made before it.
 * 3. Activation tensors hold room for max_batch images; a call with n
 *    images uses the first c*n*h*w floats, channel-major. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "network.h"
#include "rng.h"

#define NET_ALIGN_FLOATS 16 /* 64-byte alignment of every view */

struct Net {
    int max_batch;
    int threads;
    Tensor **tensors;
    int ntensors, captensors;
    Layer **layers;
    int nlayers, caplayers;
    NvStatus failed;
    char failmsg[NV_ERROR_MAX];
    /* arenas (after net_finish) */
    float *act, *act_g, *par, *par_g, *par_m, *state, *ws;
    size_t nact, npar, nstate, nws;
    int finished;
    int profile;
    double prof_secs[LAYER_KINDS];
    int64_t prof_calls[LAYER_KINDS];
};

Net *net_new(int max_batch)
{
    if (max_batch < 1)
        return NULL;
    Net *net = calloc(1, sizeof *net);
    if (!net)
        return NULL;
    net->max_batch = max_batch;
    net->threads = 1;
    return net;
}

void net_free(Net *net)
{
    if (!net)
        return;
    for (int i = 0; i < net->ntensors; i++)
        free(net->tensors[i]);
    for (int i = 0; i < net->nlayers; i++)
        free(net->layers[i]);
    free(net->tensors);
    free(net->layers);
    free(net->act);
    free(net->act_g);
    free(net->par);
    free(net->par_g);
    free(net->par_m);
    free(net->state);
    free(net->ws);
    free(net);
}

void net_fail(Net *net, NvStatus status, const char *msg)
{
    if (!net || net->failed)
        return;
    net->failed = status;
    snprintf(net->failmsg, sizeof net->failmsg, "%s", msg);
}

static Tensor *net_tensor(Net *net, TensorRole role, int c, int h, int w,
                          TensorInit init, int fan_in)
{
    if (net->failed)
        return NULL;
    if (net->finished) {
        net_fail(net, NV_ERR_RUNTIME, "network changed after it was finished");
        return NULL;
    }
    if (c < 1 || h < 1 || w < 1) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "a layer's output would be %dx%dx%d: the input is too small "
                 "for this network", c, h, w);
        net_fail(net, NV_ERR_USAGE, msg);
        return NULL;
    }
    if (net->ntensors == net->captensors) {
        int cap = net->captensors ? 2 * net->captensors : 64;
        Tensor **p = realloc(net->tensors, sizeof *p * (size_t)cap);
        if (!p) {
            net_fail(net, NV_ERR_NOMEM, "out of memory building the network");
            return NULL;
        }
        net->tensors = p;
        net->captensors = cap;
    }
    Tensor *t = calloc(1, sizeof *t);
    if (!t) {
        net_fail(net, NV_ERR_NOMEM, "out of memory building the network");
        return NULL;
    }
    t->c = c;
    t->h = h;
    t->w = w;
    t->role = role;
    t->size = (size_t)c * h * w * (role == TENSOR_ACT ? (size_t)net->max_batch : 1);
    t->init = init;
    t->fan_in = fan_in;
    net->tensors[net->ntensors++] = t;
    return t;
}

static Tensor *net_act(Net *net, int c, int h, int w)
{
    return net_tensor(net, TENSOR_ACT, c, h, w, TENSOR_INIT_ZERO, 0);
}

static Tensor *net_param(Net *net, int count, TensorInit init, int fan_in)
{
    return net_tensor(net, TENSOR_PARAM, count, 1, 1, init, fan_in);
}

static Tensor *net_state(Net *net, int count, TensorInit init)
{
    return net_tensor(net, TENSOR_STATE, count, 1, 1, init, 0);
}

/* Append layer l (NULL means out of memory); returns out unless failed. */
static Tensor *net_add_layer(Net *net, Layer *l, Tensor *out)
{
    if (net->failed) {
        free(l);
        return NULL;
    }
    if (!l) {
        net_fail(net, NV_ERR_NOMEM, "out of memory building the network");
        return NULL;
    }
    if (net->nlayers == net->caplayers) {
        int cap = net->caplayers ? 2 * net->caplayers : 64;
        Layer **p = realloc(net->layers, sizeof *p * (size_t)cap);
        if (!p) {
            free(l);
            net_fail(net, NV_ERR_NOMEM, "out of memory building the network");
            return NULL;
        }
        net->layers = p;
        net->caplayers = cap;
    }
    net->layers[net->nlayers++] = l;
    return out;
}

Tensor *net_input(Net *net, int c, int h, int w)
{
    return net_act(net, c, h, w);
}

Tensor *net_conv(Net *net, Tensor *x, int cout, int kh, int kw, int sh,
                 int sw, int ph, int pw, int dh, int dw, int relu)
{
    if (!x || net->failed)
        return NULL;
    ConvShape s = conv_shape_make(x->c, cout, kh, kw, sh, sw, ph, pw, dh, dw,
                                  x->h, x->w);
    Tensor *w = net_param(net, cout * x->c * kh * kw, TENSOR_INIT_UNIFORM,
                          x->c * kh * kw);
    Tensor *y = net_act(net, cout, s.oh, s.ow);
    if (!w || !y)
        return NULL;
    return net_add_layer(net, layer_conv_new(&s, relu, x, w, y), y);
}

Tensor *net_dwconv(Net *net, Tensor *x, int k, int stride, int relu)
{
    if (!x || net->failed)
        return NULL;
    DwShape s = dwconv_shape_make(x->c, k, stride, x->h, x->w);
    Tensor *w = net_param(net, x->c * k * k, TENSOR_INIT_UNIFORM, k * k);
    Tensor *y = net_act(net, x->c, s.oh, s.ow);
    if (!w || !y)
        return NULL;
    return net_add_layer(net, layer_dwconv_new(&s, relu, x, w, y), y);
}

Tensor *net_bn(Net *net, Tensor *x)
{
    if (!x || net->failed)
        return NULL;
    Tensor *gamma = net_param(net, x->c, TENSOR_INIT_ONE, 0);
    Tensor *beta = net_param(net, x->c, TENSOR_INIT_ZERO, 0);
    Tensor *mean = net_state(net, x->c, TENSOR_INIT_ZERO);
    Tensor *invstd = net_state(net, x->c, TENSOR_INIT_ONE);
    Tensor *rm = net_state(net, x->c, TENSOR_INIT_ZERO);
    Tensor *rv = net_state(net, x->c, TENSOR_INIT_ONE);
    Tensor *y = net_act(net, x->c, x->h, x->w);
    if (!gamma || !beta || !mean || !invstd || !rm || !rv || !y)
        return NULL;
    return net_add_layer(
        net, layer_bn_new(x, gamma, beta, mean, invstd, rm, rv, y), y);
}

Tensor *net_pool(Net *net, Tensor *x, int max, int k, int stride)
{
    if (!x || net->failed)
        return NULL;
    PoolShape s = pool_shape_make(x->c, k, stride, x->h, x->w);
    Tensor *y = net_act(net, x->c, s.oh, s.ow);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_pool_new(max, &s, x, y), y);
}

Tensor *net_relu(Net *net, Tensor *x)
{
    if (!x || net->failed)
        return NULL;
    Tensor *y = net_act(net, x->c, x->h, x->w);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_relu_new(x, y), y);
}

Tensor *net_add(Net *net, Tensor *a, Tensor *b)
{
    if (!a || !b || net->failed)
        return NULL;
    if (a->c != b->c || a->h != b->h || a->w != b->w) {
        net_fail(net, NV_ERR_USAGE, "add of tensors of different shapes");
        return NULL;
    }
    Tensor *y = net_act(net, a->c, a->h, a->w);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_add_new(a, b, y), y);
}

Tensor *net_concat(Net *net, Tensor *const *xs, int k)
{
    if (net->failed || k < 1 || k > LAYER_CONCAT_MAX) {
        net_fail(net, NV_ERR_USAGE, "concat of too many or no tensors");
        return NULL;
    }
    int c = 0;
    for (int i = 0; i < k; i++) {
        if (!xs[i])
            return NULL;
        if (xs[i]->h != xs[0]->h || xs[i]->w != xs[0]->w) {
            net_fail(net, NV_ERR_USAGE,
                     "concat of tensors of different spatial sizes");
            return NULL;
        }
        c += xs[i]->c;
    }
    Tensor *y = net_act(net, c, xs[0]->h, xs[0]->w);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_concat_new(xs, k, y), y);
}

Tensor *net_factred(Net *net, Tensor *x, int cout)
{
    if (!x || net->failed)
        return NULL;
    if (cout < 2) {
        net_fail(net, NV_ERR_USAGE, "factorized reduce needs at least 2 channels");
        return NULL;
    }
    int ca = cout / 2, cb = cout - ca;
    Tensor *wa = net_param(net, ca * x->c, TENSOR_INIT_UNIFORM, x->c);
    Tensor *wb = net_param(net, cb * x->c, TENSOR_INIT_UNIFORM, x->c);
    Tensor *y = net_act(net, cout, (x->h - 1) / 2 + 1, (x->w - 1) / 2 + 1);
    if (!wa || !wb || !y)
        return NULL;
    return net_add_layer(net, layer_factred_new(x, wa, wb, y), y);
}

Tensor *net_gap(Net *net, Tensor *x, int relu)
{
    if (!x || net->failed)
        return NULL;
    Tensor *y = net_act(net, x->c, 1, 1);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_gap_new(relu, x, y), y);
}

Tensor *net_linear(Net *net, Tensor *x, int out)
{
    if (!x || net->failed)
        return NULL;
    int in = x->c * x->h * x->w;
    if (x->h != 1 || x->w != 1) {
        net_fail(net, NV_ERR_USAGE, "linear layer needs a 1x1 input");
        return NULL;
    }
    Tensor *w = net_param(net, out * in, TENSOR_INIT_UNIFORM, in);
    Tensor *b = net_param(net, out, TENSOR_INIT_UNIFORM, in);
    Tensor *y = net_act(net, out, 1, 1);
    if (!w || !b || !y)
        return NULL;
    return net_add_layer(net, layer_linear_new(x, w, b, y), y);
}

static float *net_alloc(size_t n)
{
    void *p = NULL;
    if (n == 0)
        n = NET_ALIGN_FLOATS;
    if (posix_memalign(&p, 64, n * sizeof(float)))
        return NULL;
    memset(p, 0, n * sizeof(float));
    return p;
}

static void net_init_values(const Tensor *t, float *x, Rng *rng)
{
    switch (t->init) {
    case TENSOR_INIT_ZERO:
        memset(x, 0, sizeof(float) * t->size);
        break;
    case TENSOR_INIT_ONE:
        for (size_t i = 0; i < t->size; i++)
            x[i] = 1.0f;
        break;
    case TENSOR_INIT_UNIFORM: {
        float b = 1.0f / sqrtf((float)(t->fan_in > 0 ? t->fan_in : 1));
        for (size_t i = 0; i < t->size; i++)
            x[i] = rng_uniformf(rng, -b, b);
        break;
    }
    }
}

NvStatus net_finish(Net *net, uint64_t seed, NvError *err)
{
    if (net->failed)
        return nv_error_set(err, net->failed, "%s", net->failmsg);
    if (net->finished)
        return NV_OK;
    size_t next[TENSOR_ROLES] = { 0, 0, 0 };
    for (int i = 0; i < net->ntensors; i++) {
        Tensor *t = net->tensors[i];
        t->off = next[t->role];
        next[t->role] += (t->size + NET_ALIGN_FLOATS - 1) / NET_ALIGN_FLOATS *
                         NET_ALIGN_FLOATS;
    }
    net->nact = next[TENSOR_ACT];
    net->nstate = next[TENSOR_STATE];
    /* parameters are packed without gaps so the optimiser sees one array
     * of exactly net_param_count() floats */
    size_t np = 0;
    for (int i = 0; i < net->ntensors; i++) {
        Tensor *t = net->tensors[i];
        if (t->role == TENSOR_PARAM) {
            t->off = np;
            np += t->size;
        }
    }
    net->npar = np;
    net->nws = 0;
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = net->layers[i];
        size_t w = layer_kinds[l->kind].workspace(l, net->max_batch);
        if (w > net->nws)
            net->nws = w;
    }
    net->act = net_alloc(net->nact);
    net->act_g = net_alloc(net->nact);
    net->par = net_alloc(net->npar);
    net->par_g = net_alloc(net->npar);
    net->par_m = net_alloc(net->npar);
    net->state = net_alloc(net->nstate);
    net->ws = net_alloc(net->nws);
    if (!net->act || !net->act_g || !net->par || !net->par_g || !net->par_m ||
        !net->state || !net->ws)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory allocating the network (%zu MiB)",
                            net_bytes(net) >> 20);
    Rng rng;
    rng_seed(&rng, seed, 3);
    for (int i = 0; i < net->ntensors; i++) {
        Tensor *t = net->tensors[i];
        switch (t->role) {
        case TENSOR_ACT:
            t->x = net->act + t->off;
            t->g = net->act_g + t->off;
            break;
        case TENSOR_PARAM:
            t->x = net->par + t->off;
            t->g = net->par_g + t->off;
            net_init_values(t, t->x, &rng);
            break;
        case TENSOR_STATE:
        default:
            t->x = net->state + t->off;
            t->g = NULL;
            net_init_values(t, t->x, &rng);
            break;
        }
    }
    net->finished = 1;
    return NV_OK;
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

/* Profiling counts this thread's CPU time, not wall time: on a shared
 * machine wall time measures the neighbours as much as the layer. */
static double net_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void net_forward(Net *net, int n, int train)
{
    LayerCtx cx = { n, train, net->ws };
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = net->layers[i];
        if (net->profile) {
            double t0 = net_now();
            layer_kinds[l->kind].forward(l, &cx);
            net->prof_secs[l->kind] += net_now() - t0;
            net->prof_calls[l->kind]++;
        } else {
            layer_kinds[l->kind].forward(l, &cx);
        }
    }
}

void net_zero_grad(Net *net)
{
    memset(net->act_g, 0, sizeof(float) * net->nact);
    memset(net->par_g, 0, sizeof(float) * net->npar);
}

void net_backward(Net *net, int n)
{
    LayerCtx cx = { n, 1, net->ws };
    for (int i = net->nlayers - 1; i >= 0; i--) {
        Layer *l = net->layers[i];
        if (net->profile) {
            double t0 = net_now();
            layer_kinds[l->kind].backward(l, &cx);
            net->prof_secs[l->kind] += net_now() - t0;
        } else {
            layer_kinds[l->kind].backward(l, &cx);
        }
    }
}

int64_t net_param_count(const Net *net)
{
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
        m += layer_kinds[net->layers[i]->kind].mult_adds(net->layers[i]);
    return m;
}

size_t net_bytes(const Net *net)
{
    return sizeof(float) *
           (2 * net->nact + 3 * net->npar + net->nstate + net->nws);
}

int net_max_batch(const Net *net)
{
    return net->max_batch;
}

void net_params(Net *net, float **w, float **g, float **m)
{
    *w = net->par;
    *g = net->par_g;
    *m = net->par_m;
}

void net_set_threads(Net *net, int threads)
{
    net->threads = threads < 1 ? 1 : threads;
}

void net_profile(Net *net, int enable)
{
    net->profile = enable;
}

void net_profile_read(const Net *net, double secs[LAYER_KINDS],
                      int64_t calls[LAYER_KINDS])
{
    for (int k = 0; k < LAYER_KINDS; k++) {
        secs[k] = net->prof_secs[k];
        calls[k] = net->prof_calls[k];
    }
}

void net_profile_reset(Net *net)
{
    memset(net->prof_secs, 0, sizeof net->prof_secs);
    memset(net->prof_calls, 0, sizeof net->prof_calls);
}
