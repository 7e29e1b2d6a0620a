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
 *    images uses the first c*n*h*w floats, channel-major.
 * 4. Activation values all live for the whole step; activation gradients
 *    share memory.  Backward step t runs layer nlayers-1-t.  The gradient
 *    of tensor T is live from the step of its last reader (when it is first
 *    accumulated into; it is zeroed just before, or, where that reader
 *    reads T once and its kind can, the reader stores it: Layer.grad_set)
 *    to the step of its producer (when it is last read), and two tensors
 *    share memory only when those intervals do not overlap.  Tensors no
 *    layer reads (the output) are live from net_zero_grad() on; the input
 *    until the end.
 * 5. Activation values live from their producer's forward step to their
 *    last reader's, unless a reader's backward reads them again
 *    (LayerKind.keeps_input) or nobody reads them (the output): those live
 *    through the backward pass.  Values that do not overlap share memory.
 *    The input tensor is live from the start.
 * 6. A pass runs on every thread at once, each on its own images (layers.h)
 *    and at its own pace; before a step that writes memory an earlier
 *    tensor used, all parts must be past that tensor's last step: a layer
 *    that meets the parts (batch normalisation in training) or an added
 *    barrier lies between.  Reads and writes of the same tensor by different
 *    parts never overlap: each touches its own images' planes. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include <cblas.h>

#include "nn/memplan.h"
#include "base/sysmem.h"
#include "nn/network_impl.h"
#include "base/rng.h"


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
    free(net->zero_list);
    free(net->zero_start);
    free(net->unread);
    free(net->act);
    free(net->act_g);
    free(net->par);
    free(net->par_g);
    free(net->par_m);
    free(net->state);
    free(net->bar_train);
    free(net->bar_infer);
    free(net->bar_back);
    free(net->spans);
    net_threads_free(&net->th);
    parallel_free(net->pool);
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
    t->id = net->ntensors;
    net->tensors[net->ntensors++] = t;
    return t;
}

static Tensor *net_act(Net *net, int c, int h, int w)
{
    return net_tensor(net, TENSOR_ACT, c, h, w, TENSOR_INIT_ZERO, 0);
}

void net_borrow_params(Net *net, NetLendFn fn, void *ctx)
{
    net->lend = fn;
    net->lend_ctx = ctx;
}

void net_param_scope(Net *net, uint64_t scope)
{
    net->scope = scope;
    net->scope_count = 0;
}

/* splitmix64's finaliser: the key of a parameter from its scope, its
 * number in the scope and its size. */
static uint64_t net_key_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static Tensor *net_param(Net *net, int count, TensorInit init, int fan_in)
{
    Tensor *t = net_tensor(net, TENSOR_PARAM, count, 1, 1, init, fan_in);
    if (!t || !net->lend)
        return t;
    uint64_t key = net_key_mix(net_key_mix(net->scope) ^
                               ((uint64_t)net->scope_count << 40) ^
                               (uint64_t)count);
    net->scope_count++;
    t->x = net->lend(net->lend_ctx, key, t->size, init, fan_in, &t->m);
    if (!t->x || !t->m) {
        net_fail(net, NV_ERR_NOMEM, "out of memory for shared weights");
        return NULL;
    }
    return t;
}

static Tensor *net_state(Net *net, int count, TensorInit init)
{
    return net_tensor(net, TENSOR_STATE, count, 1, 1, init, 0);
}

/* Append layer l (NULL means out of memory); returns its output (the
 * layer's out) unless the network has failed. */
static Tensor *net_add_layer(Net *net, Layer *l)
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
    return l->out;
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
    return net_add_layer(net, layer_conv_new(&s, relu, x, w, y));
}

Tensor *net_dwconv(Net *net, Tensor *x, int k, int stride, int relu)
{
    if (!x || net->failed)
        return NULL;
    if (stride != 1 && stride != 2) { /* the kernels' phase planes */
        net_fail(net, NV_ERR_USAGE, "depthwise convolution takes stride 1 or 2");
        return NULL;
    }
    DwShape s = dwconv_shape_make(x->c, k, stride, x->h, x->w);
    Tensor *w = net_param(net, x->c * k * k, TENSOR_INIT_UNIFORM, k * k);
    Tensor *y = net_act(net, x->c, s.oh, s.ow);
    if (!w || !y)
        return NULL;
    return net_add_layer(net, layer_dwconv_new(&s, relu, x, w, y));
}

void net_skip_bn(Net *net)
{
    net->skip_bn = 1;
}

Tensor *net_bn(Net *net, Tensor *x)
{
    if (!x || net->failed)
        return NULL;
    if (net->skip_bn)
        return x;
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
        net, layer_bn_new(x, gamma, beta, mean, invstd, rm, rv, y));
}

Tensor *net_pool(Net *net, Tensor *x, int max, int k, int stride)
{
    if (!x || net->failed)
        return NULL;
    if (stride != 1 && stride != 2) { /* the kernels' phase planes */
        net_fail(net, NV_ERR_USAGE, "pooling takes stride 1 or 2");
        return NULL;
    }
    PoolShape s = pool_shape_make(x->c, k, stride, x->h, x->w);
    Tensor *y = net_act(net, x->c, s.oh, s.ow);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_pool_new(max, &s, x, y));
}

Tensor *net_droppath(Net *net, Tensor *x)
{
    if (!x || net->failed)
        return NULL;
    Tensor *y = net_act(net, x->c, x->h, x->w);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_droppath_new(x, y, net->max_batch));
}

int net_droppath_draw(Net *net, float p, Rng *rng, int n)
{
    int dropped = 0;
    for (int i = 0; i < net->nlayers; i++)
        if (net->layers[i]->kind == LAYER_DROPPATH)
            dropped += layer_droppath_draw(net->layers[i], p, rng, n);
    return dropped;
}

Tensor *net_relu(Net *net, Tensor *x)
{
    if (!x || net->failed)
        return NULL;
    Tensor *y = net_act(net, x->c, x->h, x->w);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_relu_new(x, y));
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
    return net_add_layer(net, layer_add_new(a, b, y));
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
    return net_add_layer(net, layer_concat_new(xs, k, y));
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
    return net_add_layer(net, layer_factred_new(x, wa, wb, y));
}

Tensor *net_gap(Net *net, Tensor *x, int relu)
{
    if (!x || net->failed)
        return NULL;
    Tensor *y = net_act(net, x->c, 1, 1);
    if (!y)
        return NULL;
    return net_add_layer(net, layer_gap_new(relu, x, y));
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
    return net_add_layer(net, layer_linear_new(x, w, b, y));
}

static int net_is_unread(const Net *net, int id)
{
    for (int i = 0; i < net->nunread; i++)
        if (net->unread[i]->id == id)
            return 1;
    return 0;
}

/* Invariant 6 for one arena's slots (steps 0..L-1 of one pass): bar[s] = 1
 * where a barrier must precede step s.  Slot j reuses memory of slot i
 * when they overlap and i ended before j starts; the parts run through the
 * pass at their own pace, so one part may start j while another still
 * reads i, unless a barrier lies between: a layer b with one inside
 * (met[b]) strictly after i's end and before j's start (its own reads and
 * writes straddle its barrier), or one added before j's start. */
static void net_plan_barriers(const MemSlot *slots, int ns, int L,
                              const char *met, char *bar)
{
    memset(bar, 0, (size_t)L);
    for (int j = 0; j < ns; j++) {
        const int s = slots[j].start;
        if (s <= 0 || s >= L)
            continue;
        for (int i = 0; i < ns && !bar[s]; i++) {
            const int e = slots[i].end;
            if (i == j || e >= s || slots[i].off >= slots[j].off + slots[j].size ||
                slots[j].off >= slots[i].off + slots[i].size)
                continue;
            int covered = 0;
            for (int b = e + 1; b < s && !covered; b++)
                covered = met[b];
            if (!covered)
                bar[s] = 1;
        }
    }
}

/* The first step after `end` that meets the parts (met), or end itself
 * when none does (or end is past the pass). */
static int net_next_meeting(const char *met, int L, int end)
{
    for (int b = end + 1; b >= 1 && b < L; b++)
        if (met[b])
            return b;
    return end;
}

/* Invariant 4: whether layer l, the first in backward to write tensor
 * id's gradient, stores it instead of that gradient being zeroed: l reads
 * the tensor once and its kind can.  Sets the layer's bit when so. */
static int net_first_sets(Net *net, int l, int id)
{
    const Layer *ly = net->layers[l];
    int k = -1, seen = 0;
    for (int i = 0; i < ly->nin; i++)
        if (ly->in[i]->id == id) {
            k = i;
            seen++;
        }
    if (seen != 1 || k >= 32 || !layer_can_set_grad(net->layers[l], k))
        return 0;
    net->layers[l]->grad_set |= 1u << k;
    return 1;
}

/* Invariants 4 and 5: lifetimes of activation values and gradients, their
 * placement (memplan.c) and the gradient zeroing lists.  Sets voff[id] and
 * goff[id] and the two arena sizes. */
static int net_plan(Net *net, size_t *voff, size_t *goff)
{
    const int L = net->nlayers, T = net->ntensors;
    MemSlot *vs = malloc(sizeof *vs * (size_t)(T ? T : 1));
    MemSlot *gs = malloc(sizeof *gs * (size_t)(T ? T : 1));
    int *ids = malloc(sizeof *ids * (size_t)(T ? T : 1));
    int *sidx = malloc(sizeof *sidx * (size_t)(T ? T : 1));
    char *kept = calloc((size_t)(T ? T : 1), 1);
    net->zero_start = calloc((size_t)L + 2, sizeof *net->zero_start);
    net->zero_list = malloc(sizeof *net->zero_list * (size_t)(T ? T : 1));
    net->unread = malloc(sizeof *net->unread * (size_t)(T ? T : 1));
    int rc = -1;
    if (!vs || !gs || !ids || !sidx || !kept || !net->zero_start ||
        !net->zero_list || !net->unread)
        goto out;
    int ns = 0;
    for (int i = 0; i < T; i++) {
        Tensor *t = net->tensors[i];
        sidx[i] = -1;
        if (t->role != TENSOR_ACT)
            continue;
        size_t size = (t->size + NET_ALIGN_FLOATS - 1) / NET_ALIGN_FLOATS *
                      NET_ALIGN_FLOATS;
        sidx[i] = ns;
        ids[ns] = i;
        /* values: forward step i runs layer i; 2L stands for "through the
         * backward pass".  Gradients: backward step t runs layer L-1-t. */
        vs[ns] = (MemSlot){ 0, -1, size, 0 };
        gs[ns] = (MemSlot){ L, L - 1, size, 0 };
        ns++;
    }
    for (int l = 0; l < L; l++) {
        const Layer *ly = net->layers[l];
        const int keeps = layer_kinds[ly->kind].keeps_input;
        int bt = L - 1 - l;
        int o = sidx[ly->out->id];
        vs[o].start = l;
        gs[o].end = bt;
        for (int k = 0; k < ly->nin; k++) {
            int s = sidx[ly->in[k]->id];
            if (l > vs[s].end)
                vs[s].end = l;
            if (keeps)
                kept[ly->in[k]->id] = 1;
            if (bt < gs[s].start)
                gs[s].start = bt;
        }
    }
    net->nunread = 0;
    for (int s = 0; s < ns; s++) {
        if (vs[s].end < 0 || kept[ids[s]])
            vs[s].end = 2 * L; /* the output, or read again by backward */
        if (gs[s].start == L) {
            gs[s].start = 0;
            net->unread[net->nunread++] = net->tensors[ids[s]];
        }
    }
    /* invariant 6: the layers whose kind has threads_meet (batch
     * normalisation) meet the parts in training passes, forward (met_f)
     * and backward (met_b); nothing does in inference.
     * Memory is placed as if each slot were held until the next step that
     * meets the parts, so reusing it needs no added barrier in training;
     * the barriers are then planned from the true lifetimes. */
    char *met_f = calloc((size_t)L + 1, 1), *met_b = calloc((size_t)L + 1, 1);
    int *vend = malloc(sizeof *vend * (size_t)(ns ? ns : 1));
    int *gend = malloc(sizeof *gend * (size_t)(ns ? ns : 1));
    net->bar_train = malloc((size_t)L + 1);
    net->bar_infer = malloc((size_t)L + 1);
    net->bar_back = malloc((size_t)L + 1);
    int placed = met_f && met_b && vend && gend && net->bar_train &&
                 net->bar_infer && net->bar_back;
    if (placed) {
        for (int l = 0; l < L; l++) {
            met_f[l] = (char)layer_kinds[net->layers[l]->kind].threads_meet;
            met_b[L - 1 - l] = met_f[l];
        }
        for (int s = 0; s < ns; s++) {
            vend[s] = vs[s].end;
            gend[s] = gs[s].end;
            vs[s].end = net_next_meeting(met_f, L, vs[s].end);
            gs[s].end = net_next_meeting(met_b, L, gs[s].end);
        }
        placed = (net->nact = memplan_place(vs, ns)) != (size_t)-1 &&
                 (net->nact_g = memplan_place(gs, ns)) != (size_t)-1;
    }
    if (placed) {
        for (int s = 0; s < ns; s++) {
            vs[s].end = vend[s];
            gs[s].end = gend[s];
        }
        char *none = met_b; /* inference: reuse met_b as all zeros */
        net_plan_barriers(vs, ns, L, met_f, net->bar_train);
        net_plan_barriers(gs, ns, L, met_b, net->bar_back);
        memset(none, 0, (size_t)L + 1);
        net_plan_barriers(vs, ns, L, none, net->bar_infer);
    }
    free(met_f);
    free(met_b);
    free(vend);
    free(gend);
    if (!placed)
        goto out;
    for (int s = 0; s < ns; s++) {
        voff[ids[s]] = vs[s].off;
        goff[ids[s]] = gs[s].off;
    }
    /* zeroing lists, by start step; unread gradients are net_zero_grad's */
    int nz = 0;
    for (int t = 0; t <= L; t++) {
        net->zero_start[t] = nz;
        for (int s = 0; s < ns; s++)
            if (gs[s].start == t && !(t == 0 && net_is_unread(net, ids[s])) &&
                !(t < L && net_first_sets(net, L - 1 - t, ids[s])))
                net->zero_list[nz++] = net->tensors[ids[s]];
    }
    net->zero_start[L + 1] = nz;
    rc = 0;
out:
    free(vs);
    free(gs);
    free(ids);
    free(sidx);
    free(kept);
    return rc;
}

/* The huge page size arenas are aligned to (x86-64 and arm64: 2 MiB). */
#define NET_HUGE_PAGE ((size_t)2 << 20)

float *net_alloc(size_t n)
{
    void *p = NULL;
    if (n == 0)
        n = NET_ALIGN_FLOATS;
    const size_t bytes = n * sizeof(float);
    /* arenas of megabytes on huge pages where the system offers them: the
     * passes stream through them and would otherwise miss the TLB on
     * every 4 KiB page */
    const size_t align = bytes >= NET_HUGE_PAGE ? NET_HUGE_PAGE : 64;
    if (posix_memalign(&p, align, bytes))
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == NET_HUGE_PAGE)
        (void)madvise(p, bytes / NET_HUGE_PAGE * NET_HUGE_PAGE, MADV_HUGEPAGE);
#endif
    memset(p, 0, bytes);
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
    net->nstate = next[TENSOR_STATE];
    /* parameters are packed without gaps so the optimiser sees one array
     * of exactly net_param_count() floats */
    size_t np = 0;
    if (net->lend &&
        !(net->spans = calloc((size_t)net->ntensors + 1, sizeof *net->spans)))
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory planning the network");
    for (int i = 0; i < net->ntensors; i++) {
        Tensor *t = net->tensors[i];
        if (t->role != TENSOR_PARAM)
            continue;
        int dup = -1;
        for (int k = 0; net->lend && k < net->nspans && dup < 0; k++)
            if (net->spans[k]->x == t->x)
                dup = k;
        if (dup >= 0) {
            t->off = net->spans[dup]->off; /* one gradient for both uses */
            continue;
        }
        if (net->lend)
            net->spans[net->nspans++] = t;
        t->off = np;
        np += t->size;
    }
    net->npar = np;
    net->ntws = 0;
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = net->layers[i];
        const LayerKind *k = &layer_kinds[l->kind];
        size_t t = k->thread_workspace ? k->thread_workspace(l) : 0;
        if (t > net->ntws)
            net->ntws = t;
    }
    net->ntws = (net->ntws + NET_ALIGN_FLOATS - 1) / NET_ALIGN_FLOATS *
                NET_ALIGN_FLOATS;
    size_t *goff = calloc((size_t)net->ntensors + 1, sizeof *goff);
    size_t *voff = calloc((size_t)net->ntensors + 1, sizeof *voff);
    if (!goff || !voff || net_plan(net, voff, goff)) {
        free(goff);
        free(voff);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory planning the network");
    }
    /* Refuse what cannot fit before trying: an overcommitted allocation
     * would succeed and the process be killed while training. */
    const size_t nth = (size_t)net->threads, mem = sysmem_total();
    const double need = (double)sizeof(float) *
                        ((double)net->nact + (double)net->nact_g +
                         3.0 * (double)net->npar + (double)net->nstate +
                         (double)net->ntws * (double)nth +
                         (double)net->npar * (double)(nth - 1));
    if (mem > 0 && need > (double)mem) {
        free(goff);
        free(voff);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "the network needs %.0f MiB for batches of %d "
                            "images, more than this machine's %zu MiB of "
                            "memory: use a smaller batch, F, N or image",
                            need / 1048576.0, net->max_batch, mem >> 20);
    }
    net->act = net_alloc(net->nact);
    net->act_g = net_alloc(net->nact_g);
    net->par = net_alloc(net->lend ? 0 : net->npar);
    net->par_g = net_alloc(net->npar);
    net->par_m = net_alloc(net->lend ? 0 : net->npar);
    net->state = net_alloc(net->nstate);
    if (net->threads > 1 && !(net->pool = parallel_new(net->threads)))
        net->threads = 1;
    int th_ok = net_threads_alloc(net, net->threads, &net->th) == 0;
    if (!th_ok || !net->act || !net->act_g || !net->par || !net->par_g || !net->par_m ||
        !net->state) {
        free(goff);
        free(voff);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory allocating the network (%zu MiB)",
                            net_bytes(net) >> 20);
    }
    Rng rng;
    rng_seed(&rng, seed, 3);
    for (int i = 0; i < net->ntensors; i++) {
        Tensor *t = net->tensors[i];
        switch (t->role) {
        case TENSOR_ACT:
            t->x = net->act + voff[t->id];
            t->g = net->act_g + goff[t->id];
            break;
        case TENSOR_PARAM:
            t->g = net->par_g + t->off;
            if (net->lend)
                break; /* the lender's values, initialised by it */
            t->x = net->par + t->off;
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
    free(goff);
    free(voff);
    /* network.h; set only when it differs, since weight sharing makes a
     * network for every training step */
    if (openblas_get_num_threads() != 1)
        openblas_set_num_threads(1);
    net->finished = 1;
    return NV_OK;
}
