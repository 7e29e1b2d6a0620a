/* rng.c - xoshiro256** seeded through splitmix64 (Blackman & Vigna). */
#include "config.h"

#include <math.h>

#include "base/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(Rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t rng_below(Rng *r, uint32_t n)
{
    /* Lemire's multiply-shift with rejection: unbiased for every n. */
    uint64_t m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double rng_uniform(Rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

float rng_uniformf(Rng *r, float lo, float hi)
{
    float x = lo + (hi - lo) * (float)rng_uniform(r);
    /* A draw within 2^-25 of 1 rounds to 1.0f as a float (and the sum can
     * round up too), which gave hi itself: keep the interval open there.
     * Every other draw is unchanged, so seeded streams stay the same. */
    return x < hi ? x : nextafterf(hi, lo);
}

double rng_normal(Rng *r)
{
    double u1 = rng_uniform(r), u2 = rng_uniform(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void rng_shuffle(Rng *r, int32_t *idx, int64_t n)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)rng_below(r, (uint32_t)(i + 1));
        int32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

void rng_save(const Rng *r, uint8_t out[RNG_STATE_BYTES])
{
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++)
            out[i * 8 + b] = (uint8_t)(r->s[i] >> (8 * b));
}

void rng_load(Rng *r, const uint8_t in[RNG_STATE_BYTES])
{
    for (int i = 0; i < 4; i++) {
        r->s[i] = 0;
        for (int b = 0; b < 8; b++)
            r->s[i] |= (uint64_t)in[i * 8 + b] << (8 * b);
    }
}
