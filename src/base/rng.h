/* rng.h - explicit, seedable pseudo-random numbers (xoshiro256**).
 *
 * All randomness in nasview (architecture sampling, data split and order,
 * weight initialisation) flows from an Rng the caller owns; nothing uses
 * rand() or hidden global state.  The state is plain data: copy it, store it
 * (RNG_STATE_BYTES bytes, see rng_save/rng_load) and it continues exactly. */
#ifndef NASVIEW_RNG_H
#define NASVIEW_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} Rng;

#define RNG_STATE_BYTES 32

/* rng_seed - initialise r from seed and a stream number, so one user seed
 * gives independent streams for independent purposes (stream 0 sampling,
 * 1 data split, ...).  Any seed, including 0, is valid. */
void rng_seed(Rng *r, uint64_t seed, uint64_t stream);

/* rng_next - the next 64 random bits. */
uint64_t rng_next(Rng *r);

/* rng_below - uniform integer in [0, n); n must be >= 1.  Unbiased. */
uint32_t rng_below(Rng *r, uint32_t n);

/* rng_uniform - uniform double in [0, 1) with 53 random bits. */
double rng_uniform(Rng *r);

/* rng_uniformf - uniform float in [lo, hi). */
float rng_uniformf(Rng *r, float lo, float hi);

/* rng_normal - standard normal deviate (Box-Muller, one value per call). */
double rng_normal(Rng *r);

/* rng_shuffle - Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle(Rng *r, int32_t *idx, int64_t n);

/* rng_save / rng_load - the state as RNG_STATE_BYTES little-endian bytes. */
void rng_save(const Rng *r, uint8_t out[RNG_STATE_BYTES]);
void rng_load(Rng *r, const uint8_t in[RNG_STATE_BYTES]);

#endif
