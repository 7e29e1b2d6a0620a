/* fuzz_driver.c - a deterministic mutation fuzzer for `make check`: starts
 * from the target's seed corpus and applies random byte flips, inserts,
 * deletions, duplications, dictionary splices and truncations for
 * NASVIEW_FUZZ_ITERS iterations (default 300000).  It counts iterations,
 * never time, so a run is the same on every machine. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "base/rng.h"

#define FUZZ_MAX 4096

static size_t mutate(Rng *r, uint8_t *buf, size_t len)
{
    int kind = (int)rng_below(r, 7);
    size_t pos = len ? rng_below(r, (uint32_t)len) : 0;
    switch (kind) {
    case 0: /* flip a bit */
        if (len)
            buf[pos] ^= (uint8_t)(1u << rng_below(r, 8));
        break;
    case 1: /* random byte inserted */
        if (len < FUZZ_MAX) {
            memmove(buf + pos + 1, buf + pos, len - pos);
            buf[pos] = (uint8_t)rng_below(r, 256);
            len++;
        }
        break;
    case 2: { /* delete a range */
        size_t n = len - pos ? 1 + rng_below(r, (uint32_t)(len - pos)) : 0;
        if (n > 16)
            n = 1 + n % 16;
        memmove(buf + pos, buf + pos + n, len - pos - n);
        len -= n;
        break;
    }
    case 3: { /* duplicate a range */
        size_t n = len - pos ? 1 + rng_below(r, (uint32_t)(len - pos)) : 0;
        if (n > 64)
            n = 64;
        if (len + n <= FUZZ_MAX) {
            memmove(buf + pos + n, buf + pos, len - pos);
            len += n;
        }
        break;
    }
    case 4:
    case 5: { /* splice a dictionary token */
        size_t count = 0;
        while (fuzz_dictionary[count])
            count++;
        const char *tok = fuzz_dictionary[rng_below(r, (uint32_t)count)];
        size_t n = strlen(tok);
        if (len + n <= FUZZ_MAX) {
            memmove(buf + pos + n, buf + pos, len - pos);
            memcpy(buf + pos, tok, n);
            len += n;
        }
        break;
    }
    default: /* truncate */
        len = pos;
        break;
    }
    return len;
}

int main(void)
{
    const char *env = getenv("NASVIEW_FUZZ_ITERS");
    long iters = env ? atol(env) : 300000;
    size_t seeds = 0;
    uint8_t buf[FUZZ_MAX], input[FUZZ_MAX];
    Rng r;

    while (fuzz_seed_corpus[seeds])
        seeds++;
    rng_seed(&r, 0x5eed, 0);
    for (size_t i = 0; i < seeds; i++)
        LLVMFuzzerTestOneInput((const uint8_t *)fuzz_seed_corpus[i],
                               strlen(fuzz_seed_corpus[i]));
    for (long it = 0; it < iters; it++) {
        const char *seed = fuzz_seed_corpus[rng_below(&r, (uint32_t)seeds)];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        int rounds = 1 + (int)rng_below(&r, 8);
        for (int k = 0; k < rounds; k++)
            len = mutate(&r, buf, len);
        /* the target gets an exact-size copy so ASan sees overreads */
        memcpy(input, buf, len);
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, input, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    printf("fuzz: %ld iterations from %zu seeds, no failure\n", iters, seeds);
    return 0;
}
