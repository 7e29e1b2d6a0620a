/* store_fill.c - test helper: write a search with N finished samples
 * (seeded random genotypes, uniform probability vectors, rewards from the
 * seed) into a database through the store API, so the shell tests of ls,
 * show and export need no training.
 *
 * Usage: store_fill DB NAME N [SEED]
 * Sample 1 (when N > 1) is written as a duplicate of sample 0. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static int fail(const NvError *err)
{
    fprintf(stderr, "store_fill: %s\n", err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    Store *s = NULL;
    StoreSearch in;
    NvError err;
    int64_t id;
    Rng rng;
    int n;
    uint64_t seed;

    if (argc < 4) {
        fprintf(stderr, "usage: store_fill DB NAME N [SEED]\n");
        return 2;
    }
    n = atoi(argv[3]);
    seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
    nv_error_clear(&err);
    if (store_open(argv[1], STORE_WRITE, &s, &err))
        return fail(&err);
    memset(&in, 0, sizeof in);
    snprintf(in.name, sizeof in.name, "%s", argv[2]);
    snprintf(in.strategy, sizeof in.strategy, "random");
    in.seed = seed;
    in.budget = n;
    snprintf(in.dataset, sizeof in.dataset, "test, \"quoted\"");
    in.F = 4;
    in.N = 1;
    in.epochs = 1;
    in.batch = 32;
    in.threads = 1;
    in.train_size = 200;
    in.val_size = 100;
    in.lr = 0.05;
    snprintf(in.settings, sizeof in.settings, "{\"strategy_params\":{}}");
    if (store_search_create(s, &in, &id, &err))
        return fail(&err);
    rng_seed(&rng, seed, 0);
    Genotype first;
    for (int i = 0; i < n; i++) {
        Genotype g;
        StoreSample sm;
        StoreDecision dec[GENO_DECISIONS];
        int d[GENO_DECISIONS];
        if (i == 1)
            g = first;
        else
            geno_sample_uniform(&g, &rng);
        if (i == 0)
            first = g;
        geno_to_decisions(&g, d);
        geno_canonicalize(&g);
        memset(&sm, 0, sizeof sm);
        sm.idx = i;
        geno_format(&g, sm.genotype, sizeof sm.genotype);
        geno_hash_hex(&g, sm.hash);
        sm.log_prob = 0;
        sm.entropy = 0;
        for (int t = 0; t < GENO_DECISIONS; t++) {
            int k = geno_decision_support(t);
            memset(&dec[t], 0, sizeof dec[t]);
            dec[t].chosen = d[t];
            for (int v = 0; v < k; v++)
                dec[t].probs[v] = 1.0f / (float)k;
            sm.entropy += log((double)k);
            sm.log_prob -= log((double)k);
        }
        if (store_sample_start(s, id, &sm, dec, &err))
            return fail(&err);
        for (int step = 1; step <= 3; step++) {
            StoreProgress p = { i, 0, 1, step, 3, 2.0 / step, 0.3 * step,
                                1000, step * 0.1, (3 - step) * 0.1, 0,
                                step == 3, 0 };
            if (store_progress_write(s, id, &p, &err))
                return fail(&err);
        }
        sm.status = i == 1 ? SAMPLE_DUPLICATE : SAMPLE_DONE;
        sm.reward = i == 1 ? 0 : 0.1 + 0.8 * rng_uniform(&rng);
        sm.train_loss = 1.0;
        sm.params = 1000 + 37 * i;
        sm.mult_adds = 50000 + i;
        sm.seconds = 0.5;
        sm.duplicate_of = i == 1 ? 0 : -1;
        if (i == 1) {
            StoreSample prev;
            if (store_sample_get(s, id, 0, &prev, NULL, NULL, &err))
                return fail(&err);
            sm.reward = prev.reward;
        }
        uint8_t state = (uint8_t)i;
        if (store_sample_finish(s, id, &sm, &state, 1, &err))
            return fail(&err);
    }
    if (store_search_set_status(s, id, SEARCH_DONE, "", &err))
        return fail(&err);
    store_close(s);
    printf("%lld\n", (long long)id);
    return 0;
}
