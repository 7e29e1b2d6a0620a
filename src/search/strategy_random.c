/* strategy_random.c - random search (SPEC.md section 5): every decision
 * uniform over its support, reported as uniform probability vectors.  No
 * state besides the common RNG. */
#include "config.h"

#include "search/strategy_impl.h"

static NvStatus random_init(Strategy *s, NvError *err)
{
    (void)s, (void)err;
    return NV_OK;
}

static void random_done(Strategy *s)
{
    (void)s;
}

static NvStatus random_propose(Strategy *s, Proposal *out, NvError *err)
{
    Genotype g;
    (void)err;
    geno_sample_uniform(&g, &s->rng);
    strategy_fill_uniform(out, &g);
    return NV_OK;
}

static NvStatus random_observe(Strategy *s, const Proposal *p, double reward,
                               NvError *err)
{
    (void)s, (void)p, (void)reward, (void)err;
    return NV_OK;
}

static void random_save(const Strategy *s, ByteWriter *w)
{
    (void)s, (void)w;
}

static NvStatus random_load(Strategy *s, ByteReader *r, NvError *err)
{
    (void)s;
    if (r->failed || r->left)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "strategy state: %zu unexpected bytes after a "
                            "random search's state",
                            r->left);
    return NV_OK;
}

static NvStatus random_sample(Strategy *s, Rng *rng, Proposal *out,
                              NvError *err)
{
    Genotype g;
    (void)s, (void)err;
    geno_sample_uniform(&g, rng);
    strategy_fill_uniform(out, &g);
    return NV_OK;
}

const StrategyOps strategy_random_ops = {
    random_init, random_done, random_propose, random_observe, random_save,
    random_load, random_sample,
};
