/* test_network.c - the child network of SPEC.md section 2: its size
 * (NASNet-A has 211,258 parameters at F=16, N=1, 1x28x28, 10 classes),
 * shape errors, and finite-difference gradient checks of whole networks
 * (NASNet-A and genotypes that use all 13 operations, both combine modes
 * and an unused h(i-1) in the reduction cell) through the real loss.
 *
 * Inside a whole network ReLU and max kinks cannot be placed by hand, so
 * each checked coordinate also compares its one-sided differences: when
 * they disagree a kink lies within the step and the coordinate is skipped
 * (at most a quarter may be).  Thousands of ReLUs downstream of any
 * coordinate make the loss piecewise smooth on a fine scale, so a few
 * percent of coordinates may still disagree; a wrong layer gradient makes
 * every coordinate feeding it disagree.
 *
 * Gradients a layer stores rather than adds to (Layer.grad_set) must not
 * depend on what their memory held: a backward pass over an activation
 * gradient arena full of NaN gives the same parameter gradients. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/network_impl.h"
#include "train/child.h"
#include "base/rng.h"

#define GC_BATCH 4
#define GC_EPS 1e-3f

/* Uses every operation, concat and add, and leaves h(i-1) unused in the
 * reduction cell (so it goes through factorized reduce). */
static const char *const all_ops =
    "normal: 1 0 identity conv_1x3_3x1 concat; 2 1 conv_1x7_7x1 dil_conv_3x3 add; "
    "3 0 avg_pool_3x3 max_pool_3x3 concat; 4 2 max_pool_5x5 max_pool_7x7 add; "
    "5 1 conv_1x1 conv_3x3 add | reduce: 1 1 sep_conv_3x3 sep_conv_5x5 concat; "
    "2 1 sep_conv_7x7 identity add; 3 2 identity avg_pool_3x3 concat; "
    "1 1 max_pool_3x3 conv_1x1 add; 4 5 identity sep_conv_3x3 add";

/* Unused h(i) in both cells, identity on h(i) strided, concat outputs fed
 * to pools and identities. */
static const char *const unused_hi =
    "normal: 0 0 sep_conv_3x3 identity concat; 2 0 identity max_pool_3x3 add; "
    "3 2 avg_pool_3x3 conv_1x1 concat; 4 0 identity sep_conv_5x5 add; "
    "5 3 dil_conv_3x3 identity concat | reduce: 0 0 max_pool_5x5 identity concat; "
    "2 0 identity conv_3x3 add; 3 2 max_pool_7x7 identity add; "
    "4 3 conv_1x7_7x1 avg_pool_3x3 concat; 5 0 conv_1x3_3x1 sep_conv_7x7 add";

static int64_t params_of(const Genotype *g, int F, int N, int c, int h, int w,
                         int classes)
{
    ChildShape sh = { F, N, c, h, w, classes };
    Net *net;
    Tensor *in, *out;
    NvError err;
    if (child_build(g, &sh, 1, &net, &in, &out, &err) != NV_OK) {
        fprintf(stderr, "build: %s\n", err.msg);
        return -1;
    }
    int64_t p = net_param_count(net);
    net_free(net);
    return p;
}

/* The weight of the auxiliary head's loss in its gradient check. */
#define GC_AUX_WEIGHT 0.4f

/* The training loss: the head's, plus GC_AUX_WEIGHT times the auxiliary
 * head's when aux is not NULL. */
static double net_loss(Net *net, Tensor *logits, Tensor *aux,
                       const uint8_t *labels)
{
    net_forward(net, GC_BATCH, 1);
    double l = loss_softmax_xent(logits->x, logits->c, GC_BATCH, labels, NULL,
                                 NULL);
    if (aux)
        l += GC_AUX_WEIGHT * loss_softmax_xent(aux->x, aux->c, GC_BATCH,
                                               labels, NULL, NULL);
    return l;
}

static void check_coords(const char *name, const char *what, Net *net,
                         Tensor *logits, Tensor *aux, const uint8_t *labels,
                         float *v, const float *ga, size_t n, size_t samples)
{
    size_t step = n > samples ? n / samples : 1;
    int bad = 0, kinks = 0, total = 0;
    for (size_t i = 0; i < n; i += step) {
        float keep = v[i];
        double l0 = net_loss(net, logits, aux, labels);
        v[i] = keep + GC_EPS;
        double lp = net_loss(net, logits, aux, labels);
        v[i] = keep - GC_EPS;
        double lm = net_loss(net, logits, aux, labels);
        v[i] = keep;
        total++;
        double fp = (lp - l0) / GC_EPS, fm = (l0 - lm) / GC_EPS;
        if (fabs(fp - fm) > 4e-3 + 0.1 * fmax(fabs(fp), fabs(fm))) {
            kinks++;
            continue;
        }
        double num = (lp - lm) / (2.0 * GC_EPS), an = ga[i];
        if (fabs(num - an) > 3e-3 + 0.1 * fmax(fabs(num), fabs(an)) &&
            bad++ < 3)
            fprintf(stderr, "%s %s[%zu]: analytic %g numeric %g\n", name, what,
                    i, an, num);
    }
    fprintf(stderr, "%s %s: %d checked, %d at kinks, %d off\n", name, what,
            total, kinks, bad);
    CHECK(bad * 25 <= total, "%s: %d of %d %s gradients off", name, bad,
          total, what);
    CHECK(kinks * 4 <= total, "%s: %d of %d %s coordinates at kinks", name,
          kinks, total, what);
}

static void gradcheck_child(const char *name, const Genotype *g)
{
    ChildShape sh = { 2, 1, 2, 8, 8, 5 };
    Net *net;
    Tensor *x, *logits;
    NvError err;
    if (child_build(g, &sh, GC_BATCH, &net, &x, &logits, &err) != NV_OK ||
        net_finish(net, 11, &err) != NV_OK) {
        CHECK(0, "%s: %s", name, err.msg);
        net_free(net);
        return;
    }
    Rng r;
    rng_seed(&r, 3, 0);
    size_t nx = (size_t)x->c * GC_BATCH * x->h * x->w;
    for (size_t i = 0; i < nx; i++)
        x->x[i] = rng_uniformf(&r, -1.5f, 1.5f);
    uint8_t labels[GC_BATCH] = { 1, 4, 0, 2 };
    net_forward(net, GC_BATCH, 1);
    net_zero_grad(net);
    loss_softmax_xent(logits->x, logits->c, GC_BATCH, labels, logits->g, NULL);
    net_backward(net, GC_BATCH);
    float *pw, *pg, *pm;
    net_params(net, &pw, &pg, &pm);
    size_t np = (size_t)net_param_count(net);
    float *gp = malloc(sizeof(float) * np), *gx = malloc(sizeof(float) * nx);
    memcpy(gp, pg, sizeof(float) * np);
    memcpy(gx, x->g, sizeof(float) * nx);
    check_coords(name, "input", net, logits, NULL, labels, x->x, gx, nx, 40);
    check_coords(name, "param", net, logits, NULL, labels, pw, gp, np, 150);
    free(gp);
    free(gx);
    net_free(net);
}

/* The auxiliary head (child_build_aux): the network's own parameters come
 * first and start as child_build's do, the head's logits are the same, and
 * the gradient of head loss + weight * auxiliary loss (what
 * optim_train_step_reg descends) checks by finite differences, the head's
 * parameters included. */
static void gradcheck_aux(const Genotype *g)
{
    ChildShape sh = { 2, 1, 2, 8, 8, 5 };
    Net *plain, *net;
    Tensor *px, *plogits, *x, *logits, *aux;
    NvError err;
    if (child_build(g, &sh, GC_BATCH, &plain, &px, &plogits, &err) != NV_OK ||
        net_finish(plain, 11, &err) != NV_OK ||
        child_build_aux(g, &sh, GC_BATCH, 0, &net, &x, &logits, &aux, &err) !=
            NV_OK ||
        net_finish(net, 11, &err) != NV_OK) {
        CHECK(0, "aux build: %s", err.msg);
        return;
    }
    CHECK(aux && aux->c == 5, "the auxiliary head has a logit per class");
    float *w0, *g0, *m0, *pw, *pg, *pm;
    net_params(plain, &w0, &g0, &m0);
    net_params(net, &pw, &pg, &pm);
    size_t n0 = (size_t)net_param_count(plain);
    size_t np = (size_t)net_param_count(net);
    CHECK(np > n0 && memcmp(w0, pw, sizeof(float) * n0) == 0,
          "the network's own parameters first, as without the head (%zu of "
          "%zu)",
          n0, np);
    Rng r;
    rng_seed(&r, 3, 0);
    size_t nx = (size_t)x->c * GC_BATCH * x->h * x->w;
    for (size_t i = 0; i < nx; i++)
        px->x[i] = x->x[i] = rng_uniformf(&r, -1.5f, 1.5f);
    net_forward(plain, GC_BATCH, 1);
    net_forward(net, GC_BATCH, 1);
    CHECK(memcmp(plogits->x, logits->x,
                 sizeof(float) * (size_t)logits->c * GC_BATCH) == 0,
          "the head's logits do not depend on the auxiliary head");
    uint8_t labels[GC_BATCH] = { 1, 4, 0, 2 };
    net_zero_grad(net);
    loss_softmax_xent(logits->x, logits->c, GC_BATCH, labels, logits->g, NULL);
    loss_softmax_xent(aux->x, aux->c, GC_BATCH, labels, aux->g, NULL);
    for (size_t i = 0; i < (size_t)aux->c * GC_BATCH; i++)
        aux->g[i] *= GC_AUX_WEIGHT;
    net_backward(net, GC_BATCH);
    float *gp = malloc(sizeof(float) * np), *gx = malloc(sizeof(float) * nx);
    memcpy(gp, pg, sizeof(float) * np);
    memcpy(gx, x->g, sizeof(float) * nx);
    check_coords("aux", "input", net, logits, aux, labels, x->x, gx, nx, 40);
    check_coords("aux", "param", net, logits, aux, labels, pw, gp, np, 150);
    /* the head's own parameters, all of them */
    check_coords("aux", "head param", net, logits, aux, labels, pw + n0,
                 gp + n0, np - n0, np - n0);
    free(gp);
    free(gx);
    net_free(plain);
    net_free(net);
}

/* Threads split the batch into parts (2 threads: 2 + 2 images; 3: 1 + 1
 * + 2; 6: parts with no image at all), exchanging batch-norm sums and
 * adding weight gradients per part, but compute the same function:
 * training forward, gradients and an inference pass agree with one thread
 * to rounding, and two runs with two threads agree exactly. */
static void check_threads(const Genotype *g)
{
    enum { NETS = 5 };
    static const int threads[NETS] = { 1, 2, 2, 3, 6 };
    ChildShape sh = { 4, 1, 1, 12, 12, 10 };
    Net *net[NETS];
    Tensor *x[NETS], *lo[NETS];
    NvError err;
    float *grads[NETS];
    uint8_t labels[GC_BATCH] = { 1, 4, 0, 9 };
    Rng r;
    for (int i = 0; i < NETS; i++) {
        CHECK(child_build(g, &sh, GC_BATCH, &net[i], &x[i], &lo[i], &err) ==
                      NV_OK &&
                  net_set_threads(net[i], threads[i], &err) == NV_OK &&
                  net_finish(net[i], 5, &err) == NV_OK,
              "threads build: %s", err.msg);
        rng_seed(&r, 8, 0);
        size_t nx = (size_t)GC_BATCH * 144;
        for (size_t k = 0; k < nx; k++)
            x[i]->x[k] = rng_uniformf(&r, -1, 1);
        net_forward(net[i], GC_BATCH, 1);
        net_zero_grad(net[i]);
        loss_softmax_xent(lo[i]->x, 10, GC_BATCH, labels, lo[i]->g, NULL);
        net_backward(net[i], GC_BATCH);
        float *w, *m;
        net_params(net[i], &w, &grads[i], &m);
    }
    size_t np = (size_t)net_param_count(net[0]);
    for (int i = 1; i < NETS; i += i == 1 ? 2 : 1) {
        double maxd = 0.0, maxg = 0.0;
        for (size_t k = 0; k < np; k++) {
            maxd = fmax(maxd, fabs((double)grads[0][k] - grads[i][k]));
            maxg = fmax(maxg, fabs((double)grads[0][k]));
        }
        CHECK(maxd <= 1e-4 * (1.0 + maxg),
              "1 vs %d threads: gradients differ by %g", threads[i], maxd);
        for (int k = 0; k < 10 * GC_BATCH; k++)
            CHECK(fabsf(lo[0]->x[k] - lo[i]->x[k]) < 1e-4f,
                  "%d threads, logit %d: %g vs %g", threads[i], k,
                  lo[0]->x[k], lo[i]->x[k]);
    }
    /* inference with the running statistics the training pass updated */
    for (int i = 0; i < NETS; i++)
        net_forward(net[i], GC_BATCH, 0);
    for (int i = 1; i < NETS; i++)
        for (int k = 0; k < 10 * GC_BATCH; k++)
            CHECK(fabsf(lo[0]->x[k] - lo[i]->x[k]) < 1e-4f,
                  "%d threads, inference logit %d: %g vs %g", threads[i], k,
                  lo[0]->x[k], lo[i]->x[k]);
    CHECK(memcmp(grads[1], grads[2], sizeof(float) * np) == 0,
          "2 threads twice: bit-identical gradients");
    for (int i = 0; i < NETS; i++)
        net_free(net[i]);
}

/* Two backward passes of one network, the second after the activation
 * gradients' memory was filled with NaN: bit-identical parameter
 * gradients. */
static void check_stale_grads(const char *name, const Genotype *g,
                              int threads)
{
    ChildShape sh = { 4, 1, 1, 12, 12, 10 };
    Net *net;
    Tensor *x, *lo;
    NvError err;
    uint8_t labels[GC_BATCH] = { 3, 1, 7, 0 };
    if (child_build(g, &sh, GC_BATCH, &net, &x, &lo, &err) != NV_OK ||
        net_set_threads(net, threads, &err) != NV_OK ||
        net_finish(net, 5, &err) != NV_OK) {
        CHECK(0, "%s: %s", name, err.msg);
        net_free(net);
        return;
    }
    Rng r;
    rng_seed(&r, 9, 0);
    for (size_t k = 0; k < (size_t)GC_BATCH * 144; k++)
        x->x[k] = rng_uniformf(&r, -1, 1);
    size_t np = (size_t)net_param_count(net);
    float *first = malloc(sizeof(float) * np), *w, *gr, *m;
    net_params(net, &w, &gr, &m);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            for (size_t k = 0; k < net->nact_g; k++)
                net->act_g[k] = NAN;
        net_forward(net, GC_BATCH, 1);
        net_zero_grad(net);
        loss_softmax_xent(lo->x, 10, GC_BATCH, labels, lo->g, NULL);
        net_backward(net, GC_BATCH);
        if (pass == 0)
            memcpy(first, gr, sizeof(float) * np);
    }
    CHECK(memcmp(first, gr, sizeof(float) * np) == 0,
          "%s, %d threads: gradients depend on stale gradient memory", name,
          threads);
    free(first);
    net_free(net);
}

int main(void)
{
    NvError err;
    Genotype a, b;
    int64_t p = params_of(geno_nasnet_a(), 16, 1, 1, 28, 28, 10);
    CHECK(p == 211258, "NASNet-A F=16 N=1 has %lld parameters", (long long)p);

    CHECK(geno_parse(all_ops, &a, &err) == NV_OK, "parse: %s", err.msg);
    CHECK(geno_parse(unused_hi, &b, &err) == NV_OK, "parse: %s", err.msg);
    /* the reduction cell of all_ops concatenates FR(h(i-1)) and b4 */
    CHECK(geno_cell_output_mask(&a, GENO_CELL_REDUCE) == ((1u << 0) | (1u << 6)),
          "all_ops reduce mask %x", geno_cell_output_mask(&a, GENO_CELL_REDUCE));
    CHECK(geno_cell_output_mask(&b, GENO_CELL_REDUCE) & (1u << 1),
          "unused_hi leaves h(i) unused");

    /* sizes grow with F and N, inputs of any size and channel count */
    int64_t p8 = params_of(&a, 8, 1, 3, 32, 32, 10);
    int64_t p8n2 = params_of(&a, 8, 2, 3, 32, 32, 10);
    CHECK(p8 > 0 && p8n2 > p8, "params F=8: %lld, N=2: %lld", (long long)p8,
          (long long)p8n2);
    CHECK(params_of(&b, 4, 1, 1, 9, 7, 3) > 0, "odd input sizes build");

    /* impossible shapes are usage errors with a message */
    ChildShape bad = { 8, 1, 1, 3, 3, 10 };
    Net *net = NULL;
    Tensor *in, *out;
    CHECK(child_build(&a, &bad, 4, &net, &in, &out, &err) == NV_ERR_USAGE &&
              net == NULL && strstr(err.msg, "too small"),
          "3x3 input refused: %s", err.msg);
    ChildShape zero = { 0, 1, 1, 28, 28, 10 };
    CHECK(child_build(&a, &zero, 4, &net, &in, &out, &err) == NV_ERR_USAGE,
          "F=0 refused");

    /* the pooling and depthwise kernels take strides 1 and 2 only */
    Net *odd = net_new(2);
    Tensor *ox = net_input(odd, 2, 9, 9);
    CHECK(net_pool(odd, ox, 0, 5, 3) == NULL &&
              net_finish(odd, 1, &err) == NV_ERR_USAGE &&
              strstr(err.msg, "stride 1 or 2"),
          "a stride-3 pool fails the network: %s", err.msg);
    net_free(odd);

    check_threads(geno_nasnet_a());
    check_threads(&a);
    for (int t = 1; t <= 2; t++) {
        check_stale_grads("nasnet-a", geno_nasnet_a(), t);
        check_stale_grads("all-ops", &a, t);
        check_stale_grads("unused-h(i)", &b, t);
    }
    gradcheck_child("nasnet-a", geno_nasnet_a());
    gradcheck_child("all-ops", &a);
    gradcheck_child("unused-h(i)", &b);
    gradcheck_aux(geno_nasnet_a());
    Rng r;
    rng_seed(&r, 2024, 0);
    for (int i = 0; i < 2; i++) {
        Genotype g;
        geno_sample_uniform(&g, &r);
        gradcheck_child("random", &g);
    }
    return check_exit("test_network");
}
