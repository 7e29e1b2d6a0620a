/* strategy_evolution.c - regularised (aging) evolution, Real et al. 2019
 * (SPEC.md section 5).
 *
 * Invariants:
 *  1. The first P proposals are uniform random architectures (reported
 *     with uniform vectors); they become the initial population as their
 *     rewards arrive.
 *  2. After that, each proposal samples S members of the population as it
 *     was when its generation (strategy_batch_size) began, uniformly with
 *     replacement, takes the one with the highest reward (the first drawn
 *     on a tie) and mutates a copy with geno_mutate.  Its vectors are
 *     one-hot on every copied choice and, for the mutated decision, uniform
 *     over the values other than the parent's (what geno_mutate draws from);
 *     an unchanged child (probability 0.05) is one-hot everywhere.
 *  3. Every observed child joins the population, in proposal order; once
 *     it holds P members the oldest leaves first (age, not reward,
 *     decides).
 *  4. Members are kept oldest first (a ring indexed from `head`), and
 *     tournament picks index that order, so a saved and restored population
 *     gives the same picks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

typedef struct {
    Genotype g;
    double reward;
    int64_t born; /* index of the proposal it came from */
} Member;

typedef struct {
    int cap;      /* P */
    int count;
    int head;     /* ring position of the oldest member */
    Member *ring; /* [P] */
} Evolution;

static Member *member(Evolution *e, int i)
{
    return &e->ring[(e->head + i) % e->cap];
}

static NvStatus evo_init(Strategy *s, NvError *err)
{
    Evolution *e = calloc(1, sizeof *e);
    if (e)
        e->ring = calloc((size_t)s->cfg.population, sizeof *e->ring);
    if (!e || !e->ring) {
        free(e);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "evolution: out of memory for a population of %d",
                            s->cfg.population);
    }
    e->cap = s->cfg.population;
    s->impl = e;
    return NV_OK;
}

static void evo_done(Strategy *s)
{
    Evolution *e = s->impl;
    if (!e)
        return;
    free(e->ring);
    free(e);
    s->impl = NULL;
}

static NvStatus evo_propose(Strategy *s, Proposal *out, NvError *err)
{
    Evolution *e = s->impl;
    (void)err;
    if (s->proposed < s->cfg.population || e->count == 0) {
        Genotype g;
        geno_sample_uniform(&g, &s->rng);
        strategy_fill_uniform(out, &g);
        return NV_OK;
    }
    const Member *best = NULL;
    for (int k = 0; k < s->cfg.tournament; k++) {
        const Member *m = member(e, (int)rng_below(&s->rng, (uint32_t)e->count));
        if (!best || m->reward > best->reward)
            best = m;
    }
    int parent[GENO_DECISIONS];
    geno_to_decisions(&best->g, parent);
    Genotype child = best->g;
    int t = geno_mutate(&child, &s->rng);
    out->genotype = child;
    geno_to_decisions(&child, out->decisions);
    for (int d = 0; d < GENO_DECISIONS; d++) {
        for (int v = 0; v < GENO_MAX_SUPPORT; v++)
            out->probs[d][v] = v == out->decisions[d] ? 1.0f : 0.0f;
    }
    if (t >= 0) {
        int S = geno_decision_support(t);
        for (int v = 0; v < S; v++)
            out->probs[t][v] = v == parent[t] ? 0.0f : 1.0f / (float)(S - 1);
    }
    strategy_fill_totals(out);
    return NV_OK;
}

static NvStatus evo_observe(Strategy *s, const Proposal *p, double reward,
                            NvError *err)
{
    Evolution *e = s->impl;
    Member m;
    if (geno_validate(&p->genotype, err) != NV_OK) {
        nv_error_prefix(err, "evolution: observed proposal");
        if (err)
            err->status = NV_ERR_USAGE; /* the status returned, not PARSE */
        return NV_ERR_USAGE;
    }
    m.g = p->genotype;
    m.reward = reward;
    m.born = s->observed;
    if (e->count == e->cap) {
        e->ring[e->head] = m; /* the oldest leaves, the child takes its slot */
        e->head = (e->head + 1) % e->cap;
    } else {
        *member(e, e->count) = m;
        e->count++;
    }
    return NV_OK;
}

static void evo_save(const Strategy *s, ByteWriter *w)
{
    Evolution *e = s->impl;
    bytes_put_u32(w, (uint32_t)e->count);
    for (int i = 0; i < e->count; i++) {
        const Member *m = member(e, i);
        int d[GENO_DECISIONS];
        uint8_t b[GENO_DECISIONS];
        geno_to_decisions(&m->g, d);
        for (int t = 0; t < GENO_DECISIONS; t++)
            b[t] = (uint8_t)d[t];
        bytes_put(w, b, sizeof b);
        bytes_put_f64(w, m->reward);
        bytes_put_i64(w, m->born);
    }
}

static NvStatus evo_load(Strategy *s, ByteReader *r, NvError *err)
{
    Evolution *e = s->impl;
    uint32_t count = bytes_get_u32(r);
    if (r->failed || count > (uint32_t)e->cap)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "strategy state: population of %u in a snapshot "
                            "for population size %d",
                            count, e->cap);
    Member *tmp = calloc(count ? count : 1, sizeof *tmp);
    if (!tmp)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "evolution: out of memory while loading");
    for (uint32_t i = 0; i < count; i++) {
        uint8_t b[GENO_DECISIONS];
        int d[GENO_DECISIONS];
        bytes_get(r, b, sizeof b);
        for (int t = 0; t < GENO_DECISIONS; t++)
            d[t] = b[t];
        tmp[i].reward = bytes_get_f64(r);
        tmp[i].born = bytes_get_i64(r);
        if (r->failed || geno_from_decisions(d, &tmp[i].g, NULL) != NV_OK ||
            !(tmp[i].reward >= 0.0 && tmp[i].reward <= 1.0)) {
            free(tmp);
            return nv_error_set(err, NV_ERR_FORMAT,
                                "strategy state: population member %u is "
                                "truncated or damaged",
                                i);
        }
    }
    if (r->left) {
        free(tmp);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "strategy state: %zu unexpected bytes after the "
                            "population",
                            r->left);
    }
    e->head = 0;
    e->count = (int)count;
    memcpy(e->ring, tmp, count * sizeof *tmp);
    free(tmp);
    return NV_OK;
}

const StrategyOps strategy_evolution_ops = {
    evo_init, evo_done, evo_propose, evo_observe, evo_save, evo_load, NULL,
};
