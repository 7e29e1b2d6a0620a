/* mkcomparedb.c - write a database with fixed rewards for the compare CLI
 * tests (tests/cli_compare.sh), through the store's write API, so the
 * expected statistics can be worked out by hand:
 *
 *   rl-s1..rl-s4      0.50 0.70 0.60 x 0.90+0.01(K-1) 0.65 0.80 0.85
 *                     (x: in rl-s1 sample 3 repeats sample 1's architecture,
 *                     status duplicate, reward 0.70 reused; else 0.55)
 *   random-s1..s4     0.40 0.60 y 0.80+0.01(K-1) 0.50 0.55 0.58 z
 *                     (y: diverged, reward 0, in random-s1, else 0.45;
 *                     z: failed without a reward in random-s1, else 0.59)
 *   evolution-s1      0.50 0.60 0.70 0.75 0.80 0.85 0.84 0.83
 *
 * random-s1 has 7 samples with a reward, so the default budget is 7.  At 7
 * samples rl's best are 0.90..0.93 and random's 0.80..0.83: U = 16 of 16,
 * exact two-sided p = 2/C(8,4) = 2/70 = 0.0286, A12 = 1: "rl better".
 *
 * The searches are independent runs (streams 'independent'): tested
 * unpaired.  With the word common after the file they say 'common'
 * instead, so rl-sK and random-sK pair up by seed K: 4 pairs, every
 * difference about 0.10, W+ = 10 of 10, exact p = 2/2^4 = 0.125 (the floor
 * of 4 pairs), while evolution's one search is still tested unpaired.
 *
 * Usage: mkcomparedb DBFILE [common]   (the file must not exist) */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "space/genotype.h"
#include "base/rng.h"
#include "store/store.h"

static int add_sample(Store *s, int64_t id, int idx, const Genotype *g,
                      double reward, SampleStatus status, int dup_of)
{
    StoreSample sm;
    StoreDecision dec[GENO_DECISIONS];
    int d[GENO_DECISIONS];
    NvError err;
    uint8_t state[1] = { (uint8_t)idx };

    geno_to_decisions(g, d);
    memset(&sm, 0, sizeof sm);
    sm.idx = idx;
    geno_format(g, sm.genotype, sizeof sm.genotype);
    geno_hash_hex(g, sm.hash);
    sm.log_prob = -10.0;
    sm.entropy = 5.0;
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int k = geno_decision_support(t);
        memset(&dec[t], 0, sizeof dec[t]);
        dec[t].step = t;
        geno_decision_locate(t, &dec[t].cell, &dec[t].block, &dec[t].field);
        dec[t].chosen = d[t];
        dec[t].support = k;
        for (int v = 0; v < k; v++)
            dec[t].probs[v] = 1.0f / (float)k;
    }
    if (store_sample_start(s, id, &sm, dec, &err) != NV_OK)
        goto fail;
    if (status == SAMPLE_FAILED) {
        if (store_sample_abort(s, id, idx, SAMPLE_FAILED, "test failure",
                               &err) != NV_OK)
            goto fail;
        return 0;
    }
    sm.status = status;
    sm.reward = reward;
    sm.train_loss = 1.0;
    sm.params = 1000;
    sm.mult_adds = 5000;
    sm.seconds = 1.0;
    sm.duplicate_of = dup_of;
    if (store_sample_finish(s, id, &sm, state, sizeof state, &err) != NV_OK)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "mkcomparedb: sample %d: %s\n", idx, err.msg);
    return 1;
}

static const char *streams = "independent";

static int add_search(Store *s, const char *strategy, int k,
                      const double r[8], const SampleStatus st[8],
                      const int dup_of[8])
{
    StoreSearch in;
    Genotype g[8];
    Rng rng;
    NvError err;
    int64_t id;

    memset(&in, 0, sizeof in);
    snprintf(in.name, sizeof in.name, "%s-s%d", strategy, k);
    snprintf(in.strategy, sizeof in.strategy, "%s", strategy);
    in.seed = (uint64_t)k;
    snprintf(in.streams, sizeof in.streams, "%s", streams);
    in.budget = 8;
    snprintf(in.dataset, sizeof in.dataset, "fashion-mnist");
    in.F = 8;
    in.N = 1;
    in.epochs = 1;
    in.batch = 64;
    in.threads = 1;
    in.train_size = 1000;
    in.val_size = 500;
    in.lr = 0.05;
    snprintf(in.settings, sizeof in.settings, "{}");
    if (store_search_create(s, &in, &id, &err) != NV_OK) {
        fprintf(stderr, "mkcomparedb: %s: %s\n", in.name, err.msg);
        return 1;
    }
    rng_seed(&rng, 1000u + (uint64_t)k, (uint64_t)strategy[0]);
    for (int i = 0; i < 8; i++) {
        if (dup_of[i] >= 0)
            g[i] = g[dup_of[i]];
        else {
            geno_sample_uniform(&g[i], &rng);
            geno_canonicalize(&g[i]);
        }
        if (add_sample(s, id, i, &g[i], r[i], st[i], dup_of[i]))
            return 1;
    }
    if (store_search_set_status(s, id, SEARCH_DONE, NULL, &err) != NV_OK) {
        fprintf(stderr, "mkcomparedb: %s: %s\n", in.name, err.msg);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    Store *s;
    NvError err;
    int rc = 0;
    if (argc == 3 && strcmp(argv[2], "common") == 0)
        streams = "common";
    else if (argc != 2) {
        fprintf(stderr, "usage: mkcomparedb DBFILE [common]\n");
        return 2;
    }
    if (store_open(argv[1], STORE_WRITE, &s, &err) != NV_OK) {
        fprintf(stderr, "mkcomparedb: %s\n", err.msg);
        return 1;
    }
    for (int k = 1; k <= 4 && !rc; k++) {
        double r[8] = { 0.50, 0.70, 0.60, 0.55, 0.90 + 0.01 * (k - 1),
                        0.65, 0.80, 0.85 };
        SampleStatus st[8];
        int dup[8];
        for (int i = 0; i < 8; i++) {
            st[i] = SAMPLE_DONE;
            dup[i] = -1;
        }
        if (k == 1) {
            r[3] = 0.70;
            st[3] = SAMPLE_DUPLICATE;
            dup[3] = 1;
        }
        rc = add_search(s, "rl", k, r, st, dup);
        if (rc)
            break;
        {
            double q[8] = { 0.40, 0.60, 0.45, 0.80 + 0.01 * (k - 1),
                            0.50, 0.55, 0.58, 0.59 };
            for (int i = 0; i < 8; i++) {
                st[i] = SAMPLE_DONE;
                dup[i] = -1;
            }
            if (k == 1) {
                q[2] = 0.0;
                st[2] = SAMPLE_DIVERGED;
                q[7] = NAN;
                st[7] = SAMPLE_FAILED;
            }
            rc = add_search(s, "random", k, q, st, dup);
        }
    }
    if (!rc) {
        const double r[8] = { 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.84, 0.83 };
        SampleStatus st[8];
        int dup[8];
        for (int i = 0; i < 8; i++) {
            st[i] = SAMPLE_DONE;
            dup[i] = -1;
        }
        rc = add_search(s, "evolution", 1, r, st, dup);
    }
    store_close(s);
    return rc;
}
