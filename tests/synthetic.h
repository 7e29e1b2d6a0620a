/* synthetic.h - the tests' synthetic objective for search strategies: the
 * fraction of the 50 decisions that equal those of a fixed hidden target
 * architecture (drawn from its own seed).  Microseconds per architecture;
 * it lives in the tests, never in the product.  Random search scores about
 * 0.25 on average. */
#ifndef NASVIEW_TESTS_SYNTHETIC_H
#define NASVIEW_TESTS_SYNTHETIC_H

#include "space/genotype.h"
#include "base/rng.h"
#include "search/strategy.h"

typedef struct {
    int target[GENO_DECISIONS];
} Synthetic;

static inline void synthetic_init(Synthetic *o, uint64_t seed)
{
    Rng r;
    Genotype g;
    rng_seed(&r, seed, 0x7a7a);
    geno_sample_uniform(&g, &r);
    geno_to_decisions(&g, o->target);
}

static inline double synthetic_reward(const Synthetic *o, const int d[])
{
    int hit = 0;
    for (int t = 0; t < GENO_DECISIONS; t++)
        hit += d[t] == o->target[t];
    return (double)hit / GENO_DECISIONS;
}

/* Run cfg for `budget` proposals; write the best and mean reward, and
 * optionally each reward (rewards[budget]).  Returns 0, or -1 on error. */
static inline int synthetic_run(const StrategyConfig *cfg, const Synthetic *o,
                                int budget, double *best, double *mean,
                                double *rewards)
{
    NvError err;
    Strategy *s = strategy_new(cfg, &err);
    double sum = 0.0;
    *best = *mean = 0.0;
    if (!s)
        return -1;
    for (int i = 0; i < budget; i++) {
        Proposal p;
        if (strategy_propose(s, &p, &err) != NV_OK) {
            strategy_free(s);
            return -1;
        }
        double r = synthetic_reward(o, p.decisions);
        if (rewards)
            rewards[i] = r;
        sum += r;
        if (r > *best)
            *best = r;
        if (strategy_observe(s, &p, r, &err) != NV_OK) {
            strategy_free(s);
            return -1;
        }
    }
    *mean = sum / budget;
    strategy_free(s);
    return 0;
}

#endif
