/* test_zerocost.c - zero-cost scores (zerocost.h): the NASWOT kernel on a
 * hand-worked activation, the log-determinant on small matrices, and the
 * whole score on a tiny random dataset (finite, deterministic, seeded). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
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

int main(void)
{
    test_kernel();
    test_logdet();
    test_naswot();
    return check_exit("test_zerocost");
}
