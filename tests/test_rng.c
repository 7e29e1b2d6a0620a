/* test_rng.c - the RNG is deterministic, unbiased enough, and its saved
 * state continues the same stream. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "rng.h"

int main(void)
{
    Rng a, b;
    rng_seed(&a, 42, 0);
    rng_seed(&b, 42, 0);
    for (int i = 0; i < 1000; i++)
        CHECK(rng_next(&a) == rng_next(&b), "same seed diverged at %d", i);

    rng_seed(&b, 42, 1);
    rng_seed(&a, 42, 0);
    CHECK(rng_next(&a) != rng_next(&b), "streams 0 and 1 start equal");

    /* rng_below stays in range and hits every value of a small support. */
    int hits[13] = { 0 };
    for (int i = 0; i < 13000; i++) {
        uint32_t v = rng_below(&a, 13);
        CHECK(v < 13, "rng_below(13) gave %u", v);
        if (v < 13)
            hits[v]++;
    }
    for (int v = 0; v < 13; v++)
        CHECK(hits[v] > 800 && hits[v] < 1200, "value %d hit %d/13000 times", v,
              hits[v]);

    /* uniform in [0,1) with mean 1/2; normal with mean 0 and variance 1. */
    double sum = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < 100000; i++) {
        double u = rng_uniform(&a);
        CHECK(u >= 0.0 && u < 1.0, "uniform out of range: %g", u);
        sum += u;
        double z = rng_normal(&a);
        sn += z;
        sn2 += z * z;
    }
    CHECK(fabs(sum / 100000 - 0.5) < 0.01, "uniform mean %g", sum / 100000);
    CHECK(fabs(sn / 100000) < 0.02, "normal mean %g", sn / 100000);
    CHECK(fabs(sn2 / 100000 - 1.0) < 0.03, "normal variance %g", sn2 / 100000);

    /* save/load continues the same stream. */
    uint8_t bytes[RNG_STATE_BYTES];
    rng_save(&a, bytes);
    Rng c;
    memset(&c, 0, sizeof c);
    rng_load(&c, bytes);
    for (int i = 0; i < 100; i++)
        CHECK(rng_next(&a) == rng_next(&c), "restored stream diverged at %d", i);

    /* shuffle is a permutation. */
    int32_t idx[100];
    int seen[100] = { 0 };
    for (int i = 0; i < 100; i++)
        idx[i] = i;
    rng_shuffle(&a, idx, 100);
    for (int i = 0; i < 100; i++)
        seen[idx[i]]++;
    for (int i = 0; i < 100; i++)
        CHECK(seen[i] == 1, "shuffle lost or doubled %d", i);
    return check_exit("test_rng");
}
