/* test_zerocost.c - zero-cost scores (zerocost.h): the NASWOT kernel on a
 * hand-worked activation, the log-determinant on small matrices, and the
 * whole score on a tiny random dataset (finite, deterministic, seeded). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
#include "nn/network.h"
#include "train/zerocost.h"

static void test_kernel(void)
{
    /* c = 1, n = 2 images, hw = 3 units, laid out [c][n][hw]:
     * image 0: 1 -1 2 -> codes 1 0 1; image 1: 1 1 -1 -> codes 1 1 0.
     * Agreement: K00 = K11 = 3 (an image agrees with itself on every
     * unit), K01 = K10 = 1 (only unit 0).  A second channel adds: image 0
     * codes 0 0 0, image 1 codes 0 0 1 -> K00 += 3, K11 += 3, K01 += 2. */
    const float x1[6] = { 1, -1, 2, 1, 1, -1 };
    const float x2[12] = { 1, -1, 2, 1, 1, -1, -1, -1, -1, 0, 0, 5 };
    double K[4] = { 0 };
    float scratch[12];
    zc_kernel_add(K, x1, 1, 2, 3, scratch);
    CHECK(K[0] == 3 && K[1] == 1 && K[2] == 1 && K[3] == 3,
          "one channel: %g %g %g %g", K[0], K[1], K[2], K[3]);
    memset(K, 0, sizeof K);
    /* x2: channel 0 is x1; channel 1: image 0 -1 -1 -1, image 1 0 0 5 */
    zc_kernel_add(K, x2, 2, 2, 3, scratch);
    CHECK(K[0] == 6 && K[1] == 3 && K[2] == 3 && K[3] == 6,
          "two channels: %g %g %g %g", K[0], K[1], K[2], K[3]);
}

static void test_logdet(void)
{
    double a[4] = { 2, 1, 1, 3 }; /* det 5 */
    CHECK(fabs(zc_logdet(a, 2) - log(5.0)) < 1e-12, "2x2");
    double b[9] = { 0, 2, 0, 3, 0, 0, 0, 0, -4 }; /* |det| 24, needs a pivot */
    CHECK(fabs(zc_logdet(b, 3) - log(24.0)) < 1e-12, "pivoted 3x3");
    double c[4] = { 1, 2, 2, 4 };
    CHECK(zc_logdet(c, 2) == -INFINITY, "singular");
    CHECK(zc_logdet(c, 0) == 0.0, "empty");
}

static void test_naswot(void)
{
    Dataset d;
    memset(&d, 0, sizeof d);
    d.n = 40;
    d.c = 1;
    d.h = d.w = 8;
    d.classes = 4;
    d.pixels = malloc((size_t)d.n * 64);
    d.labels = malloc((size_t)d.n);
    d.mean[0] = 0.5f;
    d.std[0] = 0.3f;
    Rng rng;
    rng_seed(&rng, 5, 0);
    for (int i = 0; i < d.n * 64; i++)
        d.pixels[i] = (uint8_t)rng_below(&rng, 256);
    for (int i = 0; i < d.n; i++)
        d.labels[i] = (uint8_t)(i % 4);
    Genotype g;
    NvError err;
    CHECK(geno_resolve("nasnet-a", &g, &err) == NV_OK, "nasnet-a");
    double s1 = 0, s2 = 0, s3 = 0;
    CHECK(zc_naswot(&g, 4, 1, &d, 16, 3, &s1, &err) == NV_OK, "%s", err.msg);
    CHECK(zc_naswot(&g, 4, 1, &d, 16, 3, &s2, &err) == NV_OK, "%s", err.msg);
    CHECK(zc_naswot(&g, 4, 1, &d, 16, 4, &s3, &err) == NV_OK, "%s", err.msg);
    CHECK(isfinite(s1) && s1 > 0, "finite and positive: %g", s1);
    CHECK(s1 == s2, "deterministic: %.17g %.17g", s1, s2);
    CHECK(s1 != s3, "another seed, another score");
    CHECK(zc_naswot(&g, 4, 1, &d, 1, 3, &s1, &err) == NV_ERR_USAGE,
          "a batch of one");
    free(d.pixels);
    free(d.labels);
}

/* Every path of these networks passes the same number L of weighted
 * layers and none has a bias, so synflow = sum over paths of L times the
 * path's product = L R, and with all weights of one magnitude R has a
 * closed form: the naive reference. */
static void test_synflow_tiny(void)
{
    /* 1x4x4 ones -> conv 3x3 pad 1 to 2 -> BN (left out) -> ReLU -> conv
     * 1x1 to 3 -> average pool: with |w| = c everywhere a first-conv pixel
     * is c times its in-bounds neighbours (corners 4, edges 6, inside 9:
     * 100 over the 16 pixels), so each of the 3 outputs is
     * 2 c^2 100/16, R = 37.5 c^2 and synflow = 2 R = 75 c^2. */
    Net *net = net_new(1);
    net_skip_bn(net);
    Tensor *in = net_input(net, 1, 4, 4);
    Tensor *t = net_conv(net, in, 2, 3, 3, 1, 1, 1, 1, 1, 1, 0);
    t = net_relu(net, net_bn(net, t));
    t = net_conv(net, t, 3, 1, 1, 1, 1, 0, 0, 1, 1, 0);
    Tensor *out = net_gap(net, t, 0);
    NvError err;
    CHECK(net_finish(net, 1, &err) == NV_OK, "%s", err.msg);
    CHECK(net_param_count(net) == 18 + 6, "no BN parameters: %lld",
          (long long)net_param_count(net));
    float *w, *g, *m;
    net_params(net, &w, &g, &m);
    const double c = 0.7;
    for (int i = 0; i < 24; i++)
        w[i] = (float)(i % 3 ? c : -c); /* signs do not matter */
    double score = 0;
    CHECK(zc_synflow_net(net, in, out, &score, &err) == NV_OK, "%s",
          err.msg);
    const double want = log(75.0 * (double)(float)c * (double)(float)c);
    CHECK(fabs(score - want) < 1e-5, "tiny: %.9g, want %.9g", score, want);
    net_free(net);
}

static void test_synflow_deep(void)
{
    /* 8x4x4 ones -> L = 40 1x1 convs 8 -> 8, |w| = 4 -> average pool:
     * every output is (8*4)^40, R = 8 * 32^40 = 2^203 (beyond float: the
     * scaled pass) and synflow = 40 R. */
    const int L = 40;
    Net *net = net_new(1);
    Tensor *in = net_input(net, 8, 4, 4), *t = in;
    for (int l = 0; l < L; l++)
        t = net_conv(net, t, 8, 1, 1, 1, 1, 0, 0, 1, 1, l > 0);
    Tensor *out = net_gap(net, t, 0);
    NvError err;
    CHECK(net_finish(net, 1, &err) == NV_OK, "%s", err.msg);
    float *w, *g, *m;
    net_params(net, &w, &g, &m);
    for (int64_t i = 0; i < net_param_count(net); i++)
        w[i] = i % 2 ? 4.0f : -4.0f;
    double score = 0;
    CHECK(zc_synflow_net(net, in, out, &score, &err) == NV_OK, "%s",
          err.msg);
    const double want = log(40.0) + 203.0 * M_LN2;
    CHECK(fabs(score - want) < 1e-4, "deep: %.9g, want %.9g", score, want);
    net_free(net);
}

static void test_synflow_child(void)
{
    Genotype g;
    NvError err;
    CHECK(geno_resolve("nasnet-a", &g, &err) == NV_OK, "nasnet-a");
    double s1 = 0, s2 = 0, s3 = 0;
    CHECK(zc_synflow(&g, 4, 1, 1, 28, 28, 10, 3, &s1, &err) == NV_OK, "%s",
          err.msg);
    CHECK(zc_synflow(&g, 4, 1, 1, 28, 28, 10, 3, &s2, &err) == NV_OK, "%s",
          err.msg);
    CHECK(zc_synflow(&g, 4, 1, 1, 28, 28, 10, 4, &s3, &err) == NV_OK, "%s",
          err.msg);
    CHECK(isfinite(s1) && s1 > 0, "finite: %g", s1);
    CHECK(s1 == s2, "deterministic: %.17g %.17g", s1, s2);
    CHECK(s1 != s3, "another seed, another score");
}

int main(void)
{
    test_synflow_tiny();
    test_synflow_deep();
    test_synflow_child();
    test_kernel();
    test_logdet();
    test_naswot();
    return check_exit("test_zerocost");
}
