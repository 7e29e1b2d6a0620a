/* test_rng.c - the RNG is deterministic, unbiased enough, and its saved
 * state continues the same stream. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"

/* Load the state words s[0..3] through the public byte form. */
static void load_words(Rng *r, const uint64_t s[4])
{
    uint8_t bytes[RNG_STATE_BYTES];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++)
            bytes[8 * i + k] = (uint8_t)(s[i] >> (8 * k));
    rng_load(r, bytes);
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse_odd(uint64_t a)
{
    uint64_t x = a;
    for (int i = 0; i < 6; i++)
        x *= 2 - a * x;
    return x;
}

/* A state whose next output is all ones: the largest draw there is.
 * xoshiro256** outputs rotl(s[1] * 5, 7) * 9, so solve for s[1]. */
static void load_largest(Rng *r)
{
    uint64_t x = UINT64_MAX * inverse_odd(9);
    uint64_t y = x >> 7 | x << 57;
    const uint64_t s[4] = { 1, y * inverse_odd(5), 3, 4 };
    load_words(r, s);
}

static void extreme_checks(void)
{
    Rng r;
    /* Known answers of the reference xoshiro256** from state {1,2,3,4}:
     * the stream (and so every stored search) stays the same. */
    const uint64_t s[4] = { 1, 2, 3, 4 };
    load_words(&r, s);
    CHECK(rng_next(&r) == 11520u, "xoshiro256** output 1");
    CHECK(rng_next(&r) == 0u, "xoshiro256** output 2");
    CHECK(rng_next(&r) == 1509978240u, "xoshiro256** output 3");

    load_largest(&r);
    CHECK(rng_next(&r) == UINT64_MAX, "crafted state");
    load_largest(&r);
    double u = rng_uniform(&r);
    CHECK(u < 1.0, "largest uniform draw %.17g", u);
    /* (float)u rounds to 1.0f: the result must still stay below hi */
    static const float range[][2] = {
        { -0.1f, 0.1f }, { 0.0f, 1.0f }, { -1.0f, 3.0f }, { 5.0f, 5.5f },
    };
    for (size_t i = 0; i < sizeof range / sizeof range[0]; i++) {
        load_largest(&r);
        float f = rng_uniformf(&r, range[i][0], range[i][1]);
        CHECK(f >= range[i][0] && f < range[i][1],
              "rng_uniformf(%g, %g) gave %.9g, outside [lo, hi)",
              (double)range[i][0], (double)range[i][1], (double)f);
    }
    rng_seed(&r, 3, 0);
    for (int i = 0; i < 1000; i++) {
        float f = rng_uniformf(&r, -0.1f, 0.1f);
        CHECK(f >= -0.1f && f < 0.1f, "rng_uniformf gave %.9g", (double)f);
    }
}

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
    extreme_checks();
    return check_exit("test_rng");
}
