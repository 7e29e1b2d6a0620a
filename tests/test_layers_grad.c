/* test_layers_grad.c - finite-difference gradient checks of every layer
 * kind (through network.h, so the kind table and the memory plan are
 * exercised too), batch normalisation's running statistics and inference
 * mode, and the softmax cross-entropy loss.
 *
 * Inputs are distinct values at least 0.01 away from 0 and from each
 * other, and the step is 0.004, so no perturbation crosses a ReLU or max
 * kink.  The loss is sum(y * R) for a fixed random R, summed in double. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/batchnorm.h"
#include "check.h"
#include "nn/layers.h"
#include "nn/network.h"
#include "base/rng.h"

#define EPS 4e-3f
#define BATCH 3

typedef Tensor *(*BuildFn)(Net *net, Tensor *x);

/* One training step as train.c takes it: forward, loss, backward, a
 * plain gradient step; returns the loss. */
static float optim_like_step(Net *net, Tensor *y, const uint8_t *lab)
{
    net_forward(net, BATCH, 1);
    net_zero_grad(net);
    float loss = loss_softmax_xent(y->x, y->c, BATCH, lab, y->g, NULL);
    net_backward(net, BATCH);
    float *w, *g, *m;
    net_params(net, &w, &g, &m);
    for (int64_t i = 0; i < net_param_count(net); i++)
        w[i] -= 0.1f * g[i];
    return loss;
}

static double loss_of(Net *net, Tensor *y, const float *R, int train)
{
    net_forward(net, BATCH, train);
    double s = 0.0;
    size_t m = (size_t)y->c * BATCH * y->h * y->w;
    for (size_t i = 0; i < m; i++)
        s += (double)y->x[i] * R[i];
    return s;
}

/* Compare analytic against central differences on up to `samples` entries
 * of buffer v (gradient ga). */
static void compare(const char *name, const char *what, Net *net, Tensor *y,
                    const float *R, float *v, const float *ga, size_t n)
{
    size_t step = n > 60 ? n / 60 : 1;
    int bad = 0;
    for (size_t i = 0; i < n; i += step) {
        float keep = v[i];
        v[i] = keep + EPS;
        double lp = loss_of(net, y, R, 1);
        v[i] = keep - EPS;
        double lm = loss_of(net, y, R, 1);
        v[i] = keep;
        double num = (lp - lm) / (2.0 * EPS), an = ga[i];
        double tol = 2e-3 + 2e-2 * fmax(fabs(num), fabs(an));
        if (fabs(num - an) > tol && bad++ < 3)
            fprintf(stderr, "%s %s[%zu]: analytic %g numeric %g\n", name,
                    what, i, an, num);
    }
    CHECK(bad == 0, "%s: %d %s gradient(s) off", name, bad, what);
}

static void gradcheck(const char *name, int c, int h, int w, BuildFn build)
{
    Net *net = net_new(BATCH);
    Tensor *x = net_input(net, c, h, w);
    Tensor *y = build(net, x);
    NvError err;
    if (!y || net_finish(net, 7, &err) != NV_OK) {
        CHECK(0, "%s: build failed", name);
        net_free(net);
        return;
    }
    Rng r;
    rng_seed(&r, 99, 1);
    size_t nx = (size_t)c * BATCH * h * w;
    int32_t *perm = malloc(sizeof *perm * nx);
    for (size_t i = 0; i < nx; i++)
        perm[i] = (int32_t)i;
    rng_shuffle(&r, perm, (int64_t)nx);
    for (size_t i = 0; i < nx; i++)
        x->x[i] = ((float)perm[i] - (float)nx / 2.0f + 0.5f) * (2.0f / (float)nx) +
                  (perm[i] >= (int32_t)nx / 2 ? 0.01f : -0.01f);
    size_t ny = (size_t)y->c * BATCH * y->h * y->w;
    float *R = malloc(sizeof(float) * ny);
    for (size_t i = 0; i < ny; i++)
        R[i] = rng_uniformf(&r, -1.0f, 1.0f);
    net_forward(net, BATCH, 1);
    net_zero_grad(net);
    memcpy(y->g, R, sizeof(float) * ny);
    net_backward(net, BATCH);
    float *gx = malloc(sizeof(float) * nx);
    memcpy(gx, x->g, sizeof(float) * nx);
    float *pw, *pg, *pm;
    net_params(net, &pw, &pg, &pm);
    size_t np = (size_t)net_param_count(net);
    float *gp = malloc(sizeof(float) * (np ? np : 1));
    memcpy(gp, pg, sizeof(float) * np);
    compare(name, "input", net, y, R, x->x, gx, nx);
    if (np)
        compare(name, "param", net, y, R, pw, gp, np);
    free(perm);
    free(R);
    free(gx);
    free(gp);
    net_free(net);
}

static Tensor *b_conv3(Net *n, Tensor *x) { return net_conv(n, x, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1); }
static Tensor *b_conv3s2(Net *n, Tensor *x) { return net_conv(n, x, 3, 3, 3, 2, 2, 1, 1, 1, 1, 0); }
static Tensor *b_conv13(Net *n, Tensor *x) { return net_conv(n, x, 3, 1, 3, 1, 2, 0, 1, 1, 1, 1); }
static Tensor *b_conv31(Net *n, Tensor *x) { return net_conv(n, x, 3, 3, 1, 2, 1, 1, 0, 1, 1, 0); }
static Tensor *b_conv17(Net *n, Tensor *x) { return net_conv(n, x, 2, 1, 7, 1, 1, 0, 3, 1, 1, 1); }
static Tensor *b_conv71(Net *n, Tensor *x) { return net_conv(n, x, 2, 7, 1, 1, 1, 3, 0, 1, 1, 1); }
static Tensor *b_dil(Net *n, Tensor *x) { return net_conv(n, x, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1); }
static Tensor *b_pw(Net *n, Tensor *x) { return net_conv(n, x, 5, 1, 1, 1, 1, 0, 0, 1, 1, 0); }
static Tensor *b_pw_relu(Net *n, Tensor *x) { return net_conv(n, x, 5, 1, 1, 2, 2, 0, 0, 1, 1, 1); }
static Tensor *b_dw3(Net *n, Tensor *x) { return net_dwconv(n, x, 3, 1, 1); }
static Tensor *b_dw5s2(Net *n, Tensor *x) { return net_dwconv(n, x, 5, 2, 1); }
static Tensor *b_dw7(Net *n, Tensor *x) { return net_dwconv(n, x, 7, 1, 0); }
static Tensor *b_bn(Net *n, Tensor *x) { return net_bn(n, x); }
static Tensor *b_avg(Net *n, Tensor *x) { return net_pool(n, x, 0, 3, 1); }
static Tensor *b_avg2(Net *n, Tensor *x) { return net_pool(n, x, 0, 3, 2); }
static Tensor *b_max3(Net *n, Tensor *x) { return net_pool(n, x, 1, 3, 1); }
static Tensor *b_max5(Net *n, Tensor *x) { return net_pool(n, x, 1, 5, 2); }
static Tensor *b_max7(Net *n, Tensor *x) { return net_pool(n, x, 1, 7, 2); }
static Tensor *b_relu(Net *n, Tensor *x) { return net_relu(n, x); }
static Tensor *b_add(Net *n, Tensor *x)
{
    return net_add(n, x, net_conv(n, x, x->c, 1, 1, 1, 1, 0, 0, 1, 1, 0));
}
static Tensor *b_add_self(Net *n, Tensor *x) { return net_add(n, x, x); }
static Tensor *b_concat(Net *n, Tensor *x)
{
    Tensor *xs[3] = { x, net_conv(n, x, 2, 1, 1, 1, 1, 0, 0, 1, 1, 0), x };
    return net_concat(n, xs, 3);
}
static Tensor *b_fr(Net *n, Tensor *x) { return net_factred(n, x, 4); }
static Tensor *b_fr_odd(Net *n, Tensor *x) { return net_factred(n, x, 5); }
static Tensor *b_gap(Net *n, Tensor *x) { return net_gap(n, x, 1); }
static Tensor *b_linear(Net *n, Tensor *x) { return net_linear(n, net_gap(n, x, 0), 4); }

/* Drop path with a fixed mask: of the BATCH (3) images, image 1 dropped
 * and the others kept, scaled by 1/(1-p) (a seed that gives that mask is
 * searched for, so the check does not depend on luck). */
static int dp_mixed_seed = -1;
static Tensor *b_droppath(Net *n, Tensor *x)
{
    Tensor *c = net_conv(n, x, 3, 3, 3, 1, 1, 1, 1, 1, 1, 0);
    Tensor *y = net_droppath(n, c);
    Rng r;
    rng_seed(&r, (uint64_t)dp_mixed_seed, 0);
    net_droppath_draw(n, 0.5f, &r, BATCH);
    return y;
}

static void check_droppath(void)
{
    /* find a seed whose mask drops exactly image 1 of 3 at p = 0.5 */
    for (int seed = 0; seed < 1000 && dp_mixed_seed < 0; seed++) {
        Rng r;
        rng_seed(&r, (uint64_t)seed, 0);
        int d0 = rng_uniform(&r) < 0.5, d1 = rng_uniform(&r) < 0.5,
            d2 = rng_uniform(&r) < 0.5;
        if (!d0 && d1 && !d2)
            dp_mixed_seed = seed;
    }
    CHECK(dp_mixed_seed >= 0, "a seed with a mixed mask");
    gradcheck("droppath", 2, 5, 5, b_droppath);

    /* the forward pass: dropped image zero, kept images x / (1 - p);
     * inference passes x through; p = 0 equals no drop-path layer */
    enum { C = 2, H = 3, W = 3 };
    Net *with = net_new(BATCH), *without = net_new(BATCH);
    Tensor *xa = net_input(with, C, H, W), *xb = net_input(without, C, H, W);
    Tensor *ca = net_conv(with, xa, 2, 3, 3, 1, 1, 1, 1, 1, 1, 0);
    Tensor *da = net_droppath(with, ca);
    Tensor *ya = net_linear(with, net_gap(with, da, 0), 3);
    Tensor *cb = net_conv(without, xb, 2, 3, 3, 1, 1, 1, 1, 1, 1, 0);
    Tensor *yb = net_linear(without, net_gap(without, cb, 0), 3);
    NvError err;
    CHECK(net_finish(with, 5, &err) == NV_OK && net_finish(without, 5, &err) ==
              NV_OK, "drop-path nets build");
    CHECK(net_param_count(with) == net_param_count(without), "no parameters");
    float img[BATCH * C * H * W];
    for (int i = 0; i < BATCH * C * H * W; i++)
        img[i] = (float)((i * 7) % 11) / 5.0f - 1.0f;
    uint8_t lab[BATCH] = { 0, 2, 1 };
    Rng r;
    rng_seed(&r, 1, 1);
    for (int step = 0; step < 3; step++) {
        CHECK(net_droppath_draw(with, 0.0f, &r, BATCH) == 0, "p 0 drops none");
        net_set_input(with, xa, img, BATCH);
        net_set_input(without, xb, img, BATCH);
        float la = optim_like_step(with, ya, lab);
        float lb = optim_like_step(without, yb, lab);
        CHECK(la == lb, "p = 0: loss %g, without drop path %g", la, lb);
    }
    float *wa, *ga, *ma, *wb, *gb, *mb;
    net_params(with, &wa, &ga, &ma);
    net_params(without, &wb, &gb, &mb);
    CHECK(memcmp(wa, wb, sizeof(float) * (size_t)net_param_count(with)) == 0,
          "p = 0: weights bit-identical to no drop path");
    /* the conv output, as inference passes it through the drop path */
    const size_t plane = (size_t)H * W, m = 2 * BATCH * plane;
    float plain[2 * BATCH * H * W];
    rng_seed(&r, (uint64_t)dp_mixed_seed, 0);
    net_droppath_draw(with, 0.5f, &r, BATCH);
    net_set_input(with, xa, img, BATCH);
    net_forward(with, BATCH, 0);
    memcpy(plain, da->x, sizeof(float) * m);
    net_forward(with, BATCH, 1);
    int bad = 0;
    for (int c = 0; c < 2; c++)
        for (int j = 0; j < BATCH; j++)
            for (size_t i = 0; i < plane; i++) {
                size_t at = ((size_t)c * BATCH + (size_t)j) * plane + i;
                float want = j == 1 ? 0.0f : plain[at] * 2.0f;
                bad += da->x[at] != want;
            }
    CHECK(bad == 0, "mask: image 1 zeroed, others scaled by 1/(1-p)");
    net_free(with);
    net_free(without);
}

/* Label smoothing: eps 0 is plain cross-entropy; at eps the gradient
 * matches central differences and the loss matches its definition. */
static void check_smoothing(void)
{
    enum { K = 4, N = 3 };
    float z[K * N], d[K * N], d0[K * N];
    uint8_t lab[N] = { 2, 0, 3 };
    Rng r;
    rng_seed(&r, 8, 0);
    for (int i = 0; i < K * N; i++)
        z[i] = rng_uniformf(&r, -2, 2);
    memset(d, 0, sizeof d);
    memset(d0, 0, sizeof d0);
    float a = loss_softmax_xent_smooth(z, K, N, lab, 0.0f, d, NULL);
    float b = loss_softmax_xent(z, K, N, lab, d0, NULL);
    CHECK(a == b && memcmp(d, d0, sizeof d) == 0, "eps 0 is plain xent");
    const float eps = 0.2f;
    memset(d, 0, sizeof d);
    float l = loss_softmax_xent_smooth(z, K, N, lab, eps, d, NULL);
    double want = 0.0;
    for (int j = 0; j < N; j++) {
        double mx = -1e30, zs = 0.0;
        for (int c = 0; c < K; c++)
            mx = fmax(mx, z[c * N + j]);
        for (int c = 0; c < K; c++)
            zs += exp(z[c * N + j] - mx);
        for (int c = 0; c < K; c++) {
            double q = (c == lab[j] ? 1.0 - eps : 0.0) + eps / K;
            want -= q * (z[c * N + j] - mx - log(zs));
        }
    }
    want /= N;
    CHECK(fabs(l - want) < 1e-5, "smoothed loss %g, want %g", l, want);
    for (int i = 0; i < K * N; i++) {
        float keep = z[i];
        z[i] = keep + 1e-2f;
        double lp = loss_softmax_xent_smooth(z, K, N, lab, eps, NULL, NULL);
        z[i] = keep - 1e-2f;
        double lm = loss_softmax_xent_smooth(z, K, N, lab, eps, NULL, NULL);
        z[i] = keep;
        double num = (lp - lm) / 2e-2;
        CHECK(fabs(num - d[i]) < 1e-3 + 1e-2 * fabs(num),
              "smoothed grad %d: %g vs %g", i, d[i], num);
    }
}

/* Running statistics after one training pass, and inference mode. */
static void check_bn_modes(void)
{
    enum { C = 2, M = 5 };
    float x[C * M] = { 1, 2, 3, 4, 10, -1, -1, 0, 2, 5 };
    float gamma[C] = { 2, 0.5f }, beta[C] = { 0.1f, -1 };
    float y[C * M], mean[C], istd[C], rm[C] = { 0, 0 }, rv[C] = { 1, 1 };
    bn_forward_train(C, M, x, gamma, beta, y, mean, istd, rm, rv);
    for (int c = 0; c < C; c++) {
        double mu = 0, var = 0;
        for (int i = 0; i < M; i++)
            mu += x[c * M + i];
        mu /= M;
        for (int i = 0; i < M; i++)
            var += (x[c * M + i] - mu) * (x[c * M + i] - mu);
        CHECK(fabs(rm[c] - 0.1 * mu) < 1e-6, "running mean %g", rm[c]);
        CHECK(fabs(rv[c] - (0.9 + 0.1 * var / (M - 1))) < 1e-5,
              "running var %g", rv[c]);
        for (int i = 0; i < M; i++) {
            double want = gamma[c] * (x[c * M + i] - mu) / sqrt(var / M + 1e-5) + beta[c];
            CHECK(fabs(y[c * M + i] - want) < 1e-4, "bn train y %g want %g",
                  y[c * M + i], want);
        }
    }
    bn_forward_infer(C, M, M, x, gamma, beta, rm, rv, y);
    for (int c = 0; c < C; c++)
        for (int i = 0; i < M; i++) {
            double want = gamma[c] * (x[c * M + i] - rm[c]) / sqrt(rv[c] + 1e-5) + beta[c];
            CHECK(fabs(y[c * M + i] - want) < 1e-4, "bn infer y %g want %g",
                  y[c * M + i], want);
        }
}

static void check_loss(void)
{
    enum { K = 4, N = 3 };
    float z[K * N], d[K * N];
    uint8_t lab[N] = { 0, 3, 1 };
    Rng r;
    rng_seed(&r, 5, 0);
    for (int i = 0; i < K * N; i++)
        z[i] = rng_uniformf(&r, -2, 2);
    memset(d, 0, sizeof d);
    int correct = 0;
    loss_softmax_xent(z, K, N, lab, d, &correct);
    for (int i = 0; i < K * N; i++) {
        float keep = z[i];
        z[i] = keep + 1e-2f;
        double lp = loss_softmax_xent(z, K, N, lab, NULL, NULL);
        z[i] = keep - 1e-2f;
        double lm = loss_softmax_xent(z, K, N, lab, NULL, NULL);
        z[i] = keep;
        double num = (lp - lm) / 2e-2;
        CHECK(fabs(num - d[i]) < 1e-3 + 1e-2 * fabs(num), "loss grad %d: %g vs %g",
              i, d[i], num);
    }
    float big[2 * 1] = { 0.0f, 1000.0f };
    uint8_t one = 1;
    float l = loss_softmax_xent(big, 2, 1, &one, NULL, NULL);
    CHECK(isfinite(l) && l < 1e-6f, "large logits give a finite loss: %g", l);
    big[0] = NAN;
    CHECK(!isfinite(loss_softmax_xent(big, 2, 1, &one, NULL, NULL)),
          "NaN logits give a non-finite loss");
}

int main(void)
{
    gradcheck("conv3x3", 2, 6, 6, b_conv3);
    gradcheck("conv3x3/2", 2, 7, 7, b_conv3s2);
    gradcheck("conv1x3", 2, 6, 6, b_conv13);
    gradcheck("conv3x1", 2, 6, 5, b_conv31);
    gradcheck("conv1x7", 2, 5, 8, b_conv17);
    gradcheck("conv7x1", 2, 8, 5, b_conv71);
    gradcheck("dilconv", 2, 7, 7, b_dil);
    gradcheck("pointwise", 3, 4, 4, b_pw);
    gradcheck("pointwise/2", 3, 5, 5, b_pw_relu);
    gradcheck("dwconv3", 2, 6, 6, b_dw3);
    gradcheck("dwconv5/2", 2, 7, 7, b_dw5s2);
    gradcheck("dwconv7", 2, 8, 8, b_dw7);
    gradcheck("batchnorm", 3, 4, 4, b_bn);
    gradcheck("avgpool3", 2, 5, 5, b_avg);
    gradcheck("avgpool3/2", 2, 6, 6, b_avg2);
    gradcheck("maxpool3", 2, 5, 5, b_max3);
    gradcheck("maxpool5/2", 2, 6, 6, b_max5);
    gradcheck("maxpool7/2", 2, 7, 7, b_max7);
    gradcheck("relu", 2, 4, 4, b_relu);
    gradcheck("add", 2, 4, 4, b_add);
    gradcheck("add-self", 2, 4, 4, b_add_self);
    gradcheck("concat", 2, 4, 4, b_concat);
    gradcheck("factred", 3, 6, 6, b_fr);
    gradcheck("factred-odd", 3, 7, 7, b_fr_odd);
    gradcheck("gap", 3, 4, 4, b_gap);
    gradcheck("linear", 3, 3, 3, b_linear);
    check_droppath();
    check_smoothing();
    check_bn_modes();
    check_loss();
    return check_exit("test_layers_grad");
}
