/* test_supernet.c - shared weights (supernet.h, borrowed parameters of
 * network.h): a finite-difference gradient check through the shared
 * tensors of a child that uses one op's tensors twice; a training step on
 * one child changes exactly the shared tensors it uses, and a second child
 * that shares an op sees the same tensor; tensor values do not depend on
 * the order children were built in; a block written with its halves
 * the other way round is the same function of the shared weights; the
 * snapshot round-trips bit for bit and refuses foreign, truncated and
 * mismatched bytes. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "train/optim.h"
#include "train/supernet.h"
#include "base/rng.h"

#define GC_BATCH 4
#define GC_EPS 1e-3f

/* Block 0 of the normal cell applies conv_3x3 to h(i) twice: both halves
 * borrow the same tensors, so their gradients must add up. */
static const char *const twice =
    "normal: 1 1 conv_3x3 conv_3x3 add; 2 0 sep_conv_3x3 identity concat; "
    "3 1 avg_pool_3x3 dil_conv_3x3 add; 4 0 max_pool_3x3 conv_1x3_3x1 add; "
    "5 2 conv_1x1 identity add | reduce: 1 0 sep_conv_5x5 identity add; "
    "2 1 max_pool_3x3 conv_3x3 concat; 3 0 avg_pool_3x3 identity add; "
    "1 1 identity conv_1x1 add; 4 5 sep_conv_3x3 max_pool_5x5 add";
/* The same but for block 0's ops (sep_conv_3x3 and conv_1x1 instead of
 * conv_3x3 twice). */
static const char *const other =
    "normal: 1 1 sep_conv_3x3 conv_1x1 add; 2 0 sep_conv_3x3 identity concat; "
    "3 1 avg_pool_3x3 dil_conv_3x3 add; 4 0 max_pool_3x3 conv_1x3_3x1 add; "
    "5 2 conv_1x1 identity add | reduce: 1 0 sep_conv_5x5 identity add; "
    "2 1 max_pool_3x3 conv_3x3 concat; 3 0 avg_pool_3x3 identity add; "
    "1 1 identity conv_1x1 add; 4 5 sep_conv_3x3 max_pool_5x5 add";

static const ChildShape shape = { 2, 1, 2, 8, 8, 5 };

static int parse(const char *text, Genotype *g)
{
    NvError err;
    if (geno_parse(text, g, &err) != NV_OK) {
        CHECK(0, "parse: %s", err.msg);
        return -1;
    }
    return 0;
}

static void fill_input(Tensor *x, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 0);
    size_t nx = (size_t)x->c * GC_BATCH * x->h * x->w;
    for (size_t i = 0; i < nx; i++)
        x->x[i] = rng_uniformf(&r, -1.5f, 1.5f);
}

static double net_loss(Net *net, Tensor *logits, const uint8_t *labels)
{
    net_forward(net, GC_BATCH, 1);
    return loss_softmax_xent(logits->x, logits->c, GC_BATCH, labels, NULL,
                             NULL);
}

/* Finite differences on every k-th shared value the child uses, as in
 * test_network.c: coordinates whose one-sided differences disagree lie at
 * a kink and are skipped (at most a quarter). */
static void gradcheck_shared(void)
{
    Genotype g;
    Net *net = NULL;
    Tensor *x, *logits;
    NvError err;
    if (parse(twice, &g))
        return;
    Supernet *sn = supernet_new(&shape, 21);
    CHECK(sn != NULL, "supernet_new");
    if (!sn || supernet_child(sn, &g, GC_BATCH, 1, &net, &x, &logits,
                              &err) != NV_OK) {
        CHECK(0, "child: %s", err.msg);
        supernet_free(sn);
        return;
    }
    /* one op used twice: fewer distinct parameters than tensors */
    Net *own;
    Tensor *ox, *ol;
    CHECK(child_build(&g, &shape, GC_BATCH, &own, &ox, &ol, &err) == NV_OK,
          "own child: %s", err.msg);
    CHECK(net_param_count(own) > net_param_count(net) &&
              net_param_count(net) == supernet_floats(sn),
          "shared count %lld, own %lld, supernet %lld",
          (long long)net_param_count(net), (long long)net_param_count(own),
          (long long)supernet_floats(sn));
    net_free(own);
    fill_input(x, 3);
    uint8_t labels[GC_BATCH] = { 1, 4, 0, 2 };
    net_forward(net, GC_BATCH, 1);
    net_zero_grad(net);
    loss_softmax_xent(logits->x, logits->c, GC_BATCH, labels, logits->g, NULL);
    net_backward(net, GC_BATCH);
    size_t total_n = 0, n;
    float *w, *gr, *m;
    for (int i = 0; net_param_span(net, i, &w, &gr, &m, &n); i++)
        total_n += n;
    CHECK(total_n == (size_t)net_param_count(net), "spans cover %zu of %lld",
          total_n, (long long)net_param_count(net));
    float **vp = malloc(sizeof *vp * total_n);
    float *ga = malloc(sizeof *ga * total_n);
    size_t k = 0;
    for (int i = 0; net_param_span(net, i, &w, &gr, &m, &n); i++)
        for (size_t j = 0; j < n; j++) {
            vp[k] = w + j;
            ga[k++] = gr[j];
        }
    size_t step = total_n / 200 ? total_n / 200 : 1;
    int bad = 0, kinks = 0, checked = 0;
    for (size_t i = 0; i < total_n; i += step) {
        float keep = *vp[i];
        double l0 = net_loss(net, logits, labels);
        *vp[i] = keep + GC_EPS;
        double lp = net_loss(net, logits, labels);
        *vp[i] = keep - GC_EPS;
        double lm = net_loss(net, logits, labels);
        *vp[i] = keep;
        checked++;
        double fp = (lp - l0) / GC_EPS, fm = (l0 - lm) / GC_EPS;
        if (fabs(fp - fm) > 4e-3 + 0.1 * fmax(fabs(fp), fabs(fm))) {
            kinks++;
            continue;
        }
        double num = (lp - lm) / (2.0 * GC_EPS), an = ga[i];
        if (fabs(num - an) > 3e-3 + 0.1 * fmax(fabs(num), fabs(an)) &&
            bad++ < 3)
            fprintf(stderr, "shared[%zu]: analytic %g numeric %g\n", i, an,
                    num);
    }
    fprintf(stderr, "shared: %d checked, %d at kinks, %d off\n", checked,
            kinks, bad);
    CHECK(bad * 25 <= checked, "%d of %d shared gradients off", bad, checked);
    CHECK(kinks * 4 <= checked, "%d of %d at kinks", kinks, checked);
    free(vp);
    free(ga);
    net_free(net);
    supernet_free(sn);
}

/* Copies of every tensor of sn, in creation order. */
static float **snapshot(Supernet *sn)
{
    int nt = supernet_tensors(sn);
    float **c = calloc((size_t)nt, sizeof *c);
    for (int i = 0; i < nt; i++) {
        size_t n;
        float *v = supernet_find(sn, supernet_key(sn, i), &n);
        c[i] = malloc(sizeof(float) * n);
        memcpy(c[i], v, sizeof(float) * n);
    }
    return c;
}

static int uses(Net *net, const float *v)
{
    float *w, *g, *m;
    size_t n;
    for (int i = 0; net_param_span(net, i, &w, &g, &m, &n); i++)
        if (w == v)
            return 1;
    return 0;
}

/* pair - a supernet (seed 5) and the children of texts ta (one thread)
 * and tb (two) built from it; NULL after a failed CHECK. */
static Supernet *pair(const char *ta, const char *tb, Net **a, Tensor **xa,
                      Tensor **la, Net **b, Tensor **xb, Tensor **lb)
{
    Genotype ga, gb;
    NvError err;
    *a = *b = NULL;
    if (parse(ta, &ga) || parse(tb, &gb))
        return NULL;
    Supernet *sn = supernet_new(&shape, 5);
    if (!sn || supernet_child(sn, &ga, GC_BATCH, 1, a, xa, la, &err) ||
        supernet_child(sn, &gb, GC_BATCH, 2, b, xb, lb, &err)) {
        CHECK(0, "children: %s", sn ? err.msg : "no supernet");
        net_free(*a);
        supernet_free(sn);
        return NULL;
    }
    return sn;
}

/* A step on child a changes the tensors it uses (all but those whose
 * gradient and decay are zero) and no other; b shares all but block 0's
 * ops with a. */
static void isolation(void)
{
    Net *a, *b;
    Tensor *xa, *la, *xb, *lb;
    Supernet *sn = pair(twice, other, &a, &xa, &la, &b, &xb, &lb);
    if (!sn)
        return;
    int nt = supernet_tensors(sn);
    float **before = snapshot(sn);
    int only_a = 0, only_b = 0, both = 0;
    for (int i = 0; i < nt; i++) {
        size_t n;
        float *v = supernet_find(sn, supernet_key(sn, i), &n);
        int ua = uses(a, v), ub = uses(b, v);
        only_a += ua && !ub;
        only_b += ub && !ua;
        both += ua && ub;
        CHECK(ua || ub, "tensor %d used by neither child", i);
    }
    CHECK(only_a > 0 && only_b > 0 && both > only_a + only_b,
          "sharing: %d only a, %d only b, %d both", only_a, only_b, both);
    fill_input(xa, 9);
    uint8_t labels[GC_BATCH] = { 0, 1, 2, 3 };
    float loss = optim_train_step(a, la, labels, GC_BATCH, 0.1f, 0.9f, 3e-4f,
                                  NULL);
    CHECK(isfinite(loss), "loss %g", loss);
    int changed = 0, used = 0;
    for (int i = 0; i < nt; i++) {
        size_t n;
        float *v = supernet_find(sn, supernet_key(sn, i), &n);
        int same = memcmp(v, before[i], sizeof(float) * n) == 0;
        if (uses(a, v)) {
            used++;
            changed += !same;
        } else {
            CHECK(same, "tensor %d, unused by the trained child, changed", i);
        }
    }
    CHECK(changed * 10 >= used * 9, "%d of %d used tensors changed", changed,
          used);
    /* b reads a's update: the same values, in the same memory */
    {
        float *w, *g, *m;
        size_t n;
        int seen = 0;
        for (int i = 0; net_param_span(b, i, &w, &g, &m, &n); i++)
            if (uses(a, w))
                seen++;
        CHECK(seen == both, "b shares %d tensors with a, expected %d", seen,
              both);
    }
    for (int i = 0; i < nt; i++)
        free(before[i]);
    free(before);
    net_free(a);
    net_free(b);
    supernet_free(sn);
}

/* twice with block 1's halves written the other way round: the same
 * network (geno_equal), whose concat would put the halves' channels in
 * the other order if built as written. */
static const char *const swapped =
    "normal: 1 1 conv_3x3 conv_3x3 add; 0 2 identity sep_conv_3x3 concat; "
    "3 1 avg_pool_3x3 dil_conv_3x3 add; 4 0 max_pool_3x3 conv_1x3_3x1 add; "
    "5 2 conv_1x1 identity add | reduce: 1 0 sep_conv_5x5 identity add; "
    "2 1 max_pool_3x3 conv_3x3 concat; 3 0 avg_pool_3x3 identity add; "
    "1 1 identity conv_1x1 add; 4 5 sep_conv_3x3 max_pool_5x5 add";

/* Both spellings of a network give the same logits on the same shared
 * weights, bit for bit: a search trains the spelling its strategy drew
 * and scores the canonical one. */
static void spelling(void)
{
    Genotype ga, gb;
    Net *a = NULL, *b = NULL;
    Tensor *xa, *la, *xb, *lb;
    NvError err;
    if (parse(twice, &ga) || parse(swapped, &gb))
        return;
    CHECK(geno_equal(&ga, &gb), "the two spellings are one network");
    Supernet *sn = supernet_new(&shape, 13);
    if (!sn || supernet_child(sn, &ga, GC_BATCH, 1, &a, &xa, &la, &err) ||
        supernet_child(sn, &gb, GC_BATCH, 1, &b, &xb, &lb, &err)) {
        CHECK(0, "children: %s", err.msg);
        net_free(a);
        supernet_free(sn);
        return;
    }
    fill_input(xa, 4);
    fill_input(xb, 4);
    net_forward(a, GC_BATCH, 1);
    net_forward(b, GC_BATCH, 1);
    CHECK(la->c == lb->c &&
              memcmp(la->x, lb->x, sizeof(float) * (size_t)la->c *
                                       GC_BATCH) == 0,
          "the two spellings give other logits on the same weights");
    net_free(a);
    net_free(b);
    supernet_free(sn);
}

/* Values depend on the seed and key, not on build order; snapshots
 * round-trip exactly and refuse what is not theirs. */
static void order_and_snapshot(void)
{
    Genotype ga, gb;
    NvError err;
    Net *n1, *n2;
    Tensor *x, *l;
    if (parse(twice, &ga) || parse(other, &gb))
        return;
    Supernet *s1 = supernet_new(&shape, 8), *s2 = supernet_new(&shape, 8);
    CHECK(supernet_child(s1, &ga, 2, 1, &n1, &x, &l, &err) == NV_OK &&
              supernet_child(s1, &gb, 2, 1, &n2, &x, &l, &err) == NV_OK,
          "s1: %s", err.msg);
    net_free(n1);
    net_free(n2);
    CHECK(supernet_child(s2, &gb, 2, 1, &n1, &x, &l, &err) == NV_OK &&
              supernet_child(s2, &ga, 2, 1, &n2, &x, &l, &err) == NV_OK,
          "s2: %s", err.msg);
    net_free(n1);
    net_free(n2);
    CHECK(supernet_tensors(s1) == supernet_tensors(s2), "tensor counts");
    for (int i = 0; i < supernet_tensors(s1); i++) {
        size_t na, nb;
        float *va = supernet_find(s1, supernet_key(s1, i), &na);
        float *vb = supernet_find(s2, supernet_key(s1, i), &nb);
        CHECK(vb && na == nb && memcmp(va, vb, sizeof(float) * na) == 0,
              "tensor %d differs with build order", i);
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    CHECK(supernet_save(s1, &buf, &len, &err) == NV_OK, "save: %s", err.msg);
    Supernet *s3 = supernet_new(&shape, 8);
    CHECK(supernet_load(s3, buf, len, &err) == NV_OK, "load: %s", err.msg);
    CHECK(supernet_tensors(s3) == supernet_tensors(s1), "loaded count");
    uint8_t *buf2 = NULL;
    size_t len2 = 0;
    CHECK(supernet_save(s3, &buf2, &len2, &err) == NV_OK && len2 == len &&
              memcmp(buf, buf2, len) == 0,
          "save(load(save)) is the same bytes");
    CHECK(supernet_load(s3, buf, len, &err) == NV_ERR_USAGE,
          "load into a non-empty supernet");
    Supernet *s4 = supernet_new(&shape, 8);
    CHECK(supernet_load(s4, buf, len - 3, &err) == NV_ERR_PARSE,
          "truncated snapshot refused");
    supernet_free(s4);
    s4 = supernet_new(&shape, 9);
    CHECK(supernet_load(s4, buf, len, &err) == NV_ERR_PARSE,
          "snapshot of another seed refused");
    supernet_free(s4);
    s4 = supernet_new(&shape, 8);
    buf[0] ^= 1;
    CHECK(supernet_load(s4, buf, len, &err) == NV_ERR_PARSE,
          "wrong magic refused");
    supernet_free(s4);
    free(buf);
    free(buf2);
    supernet_free(s1);
    supernet_free(s2);
    supernet_free(s3);
}

/* Every block of the normal cell reads h(i) or h(i-1): the last cell
 * leaves all five states unused, two of them concats (2C channels). */
static const char *const wide =
    "normal: 0 1 conv_3x3 sep_conv_3x3 concat; 1 0 identity conv_1x1 add; "
    "0 0 avg_pool_3x3 max_pool_3x3 add; 1 1 dil_conv_3x3 conv_3x3 concat; "
    "0 1 sep_conv_5x5 identity add | reduce: 1 0 sep_conv_5x5 identity add; "
    "2 1 max_pool_3x3 conv_3x3 concat; 3 0 avg_pool_3x3 identity add; "
    "1 1 identity conv_1x1 add; 4 5 sep_conv_3x3 max_pool_5x5 add";

/* The head reads C normalised channels whatever the last cell leaves
 * unused (one state in twice, five of C or 2C channels in wide): both
 * children use the one linear layer of C x classes weights, and no
 * linear layer reads a state directly. */
static void head(void)
{
    Net *a, *b;
    Tensor *xa, *la, *xb, *lb;
    Supernet *sn = pair(twice, wide, &a, &xa, &la, &b, &xb, &lb);
    if (!sn)
        return;
    const size_t C = (size_t)shape.F * 4, k = (size_t)shape.classes;
    int linear = 0, shared = 0, wider = 0;
    for (int i = 0; i < supernet_tensors(sn); i++) {
        size_t n;
        float *v = supernet_find(sn, supernet_key(sn, i), &n);
        if (n == C * k) {
            linear++;
            shared += uses(a, v) && uses(b, v);
        }
        wider += n == 2 * C * k;
    }
    CHECK(linear == 1 && shared == 1,
          "%d head weights of %zu floats, %d used by both children", linear,
          C * k, shared);
    CHECK(wider == 0, "%d head weights read a concat state directly", wider);
    net_free(a);
    net_free(b);
    supernet_free(sn);
}

int main(void)
{
    gradcheck_shared();
    isolation();
    spelling();
    order_and_snapshot();
    head();
    return check_exit("test_supernet");
}
