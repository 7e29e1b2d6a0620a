/* strategy_impl.h - what the three strategy kinds share behind strategy.h:
 * the Strategy object, the per-kind operations table, and the helpers for
 * filling Proposal records.  Only strategy*.c include this. */
#ifndef NASVIEW_STRATEGY_IMPL_H
#define NASVIEW_STRATEGY_IMPL_H

#include "base/bytes.h"
#include "base/rng.h"
#include "search/strategy.h"

typedef struct {
    /* init - allocate s->impl for s->cfg (already validated). */
    NvStatus (*init)(Strategy *s, NvError *err);
    /* done - free s->impl (may be NULL after a failed init). */
    void (*done)(Strategy *s);
    /* propose - fill *out; s->rng is the only source of randomness. */
    NvStatus (*propose)(Strategy *s, Proposal *out, NvError *err);
    /* observe - p is a validated proposal of this strategy, reward finite
     * and in [0, 1]. */
    NvStatus (*observe)(Strategy *s, const Proposal *p, double reward,
                        NvError *err);
    /* save / load - the kind's own state only (the common part is done by
     * strategy.c).  load must consume exactly the rest of r, reject
     * r->failed, leftover bytes or inconsistent values with NV_ERR_FORMAT,
     * and change s->impl only when everything was valid. */
    void (*save)(const Strategy *s, ByteWriter *w);
    NvStatus (*load)(Strategy *s, ByteReader *r, NvError *err);
    /* sample - like propose, but with rng and without changing s; NULL
     * for kinds that cannot (evolution). */
    NvStatus (*sample)(Strategy *s, Rng *rng, Proposal *out, NvError *err);
} StrategyOps;

struct Strategy {
    StrategyConfig cfg;
    const StrategyOps *ops;
    Rng rng;          /* STRATEGY_STREAM_PROPOSE of
                         strategy_stream_seed(&cfg) */
    int64_t proposed; /* proposals made */
    int64_t observed; /* rewards received */
    void *impl;       /* the kind's own state */
};

extern const StrategyOps strategy_rl_ops;
extern const StrategyOps strategy_random_ops;
extern const StrategyOps strategy_evolution_ops;

/* strategy_fill_uniform - p's vectors uniform over each support (zeros
 * past it), decisions and genotype from g, log_prob and entropy to match. */
void strategy_fill_uniform(Proposal *p, const Genotype *g);

/* strategy_fill_totals - recompute p->log_prob and p->entropy from
 * p->probs and p->decisions. */
void strategy_fill_totals(Proposal *p);

#endif
