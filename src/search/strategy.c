/* strategy.c - the strategy interface (strategy.h): kinds, settings and
 * their table, dispatch to the three kinds, and the framing of saved state.
 *
 * Saved state layout (all little-endian):
 *   0  magic   "NVSTRAT\n" (8 bytes)
 *   8  u32     format version (STATE_VERSION)
 *  12  u32     kind
 *  16  u64     body length L
 *  24  body    settings, RNG (32 bytes), proposed, observed, kind's state
 *  24+L u32    CRC-32 (zlib) of bytes 0 .. 24+L
 * Loading checks magic, version, kind, length, checksum and that the
 * settings equal the loading strategy's, in that order, and names the first
 * mismatch. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/jsonw.h"
#include "search/strategy_impl.h"

#define STATE_MAGIC "NVSTRAT\n"
#define STATE_VERSION 1u
#define STATE_HEADER 24u

/* ---- kinds and settings ------------------------------------------------- */

static const char *const kind_names[] = { "rl", "random", "evolution" };
#define NKINDS (sizeof kind_names / sizeof kind_names[0])
_Static_assert(NKINDS == STRATEGY_EVOLUTION + 1, "a name for every kind");

const char *strategy_kind_name(StrategyKind kind)
{
    return (unsigned)kind < NKINDS ? kind_names[kind] : "?";
}

NvStatus strategy_kind_parse(const char *name, StrategyKind *out, NvError *err)
{
    for (int k = 0; k < (int)NKINDS; k++)
        if (name && strcmp(name, kind_names[k]) == 0) {
            *out = (StrategyKind)k;
            return NV_OK;
        }
    return nv_error_set(err, NV_ERR_USAGE,
                        "unknown strategy '%s': use rl, random or evolution",
                        name ? name : "");
}

/* ---- the settings table ------------------------------------------------ */

static const char *const update_names[] = { "ppo", "reinforce", NULL };

#define FIELD(f) offsetof(StrategyConfig, f)

/* Every strategy setting, once.  The defaults, and why (also in
 * man/nasview.1, STRATEGIES): tuned with tests/bench_strategies on the
 * synthetic objective of the tests (fraction of the 50 decisions equal to
 * a hidden target) for budgets of 100-500.  The rows marked saved are the
 * saved state's settings, in this order (strategy.c's layout above):
 * reordering them changes the snapshot format.  Evolution's generation
 * only sets where batches end, so it is not saved. */
static const StrategyParam params[] = {
    { .name = "preset", .applies = "rl", .def = "default", .paper = "paper",
      .range = "default or paper",
      .help = "set every RL setting to nasview's defaults or to the "
              "paper's values",
      .type = SETTING_ACTION },
    { .name = "update", .applies = "rl", .def = "ppo", .paper = "ppo",
      .range = "ppo or reinforce",
      .help = "policy-gradient rule of the controller",
      .type = SETTING_CHOICE, .offset = FIELD(update), .saved = 1,
      .choices = update_names },
    { .name = "lstm-hidden", .applies = "rl", .def = "100", .paper = "100",
      .range = "1 .. 1024",
      .help = "LSTM units (and embedding size) of the controller",
      .type = SETTING_INT, .offset = FIELD(lstm_hidden), .lo = 1, .hi = 1024,
      .saved = 1 },
    { .name = "lr", .applies = "rl", .def = "0.01", .paper = "0.00035",
      .range = "0 < lr <= 1", .help = "Adam learning rate of the controller",
      .type = SETTING_REAL, .offset = FIELD(lr), .lo = 0, .hi = 1,
      .lo_open = 1, .saved = 1 },
    { .name = "entropy-weight", .applies = "rl", .def = "0.001",
      .paper = "1e-05", .range = "0 .. 1",
      .help = "weight of the entropy bonus (keeps the controller exploring)",
      .type = SETTING_REAL, .offset = FIELD(entropy_weight), .lo = 0, .hi = 1,
      .saved = 1 },
    { .name = "baseline-decay", .applies = "rl", .def = "0.95",
      .paper = "0.95", .range = "0 .. 0.9999",
      .help = "weight of the old value in the moving-average reward "
              "baseline",
      .type = SETTING_REAL, .offset = FIELD(baseline_decay), .lo = 0,
      .hi = 0.9999, .saved = 1 },
    { .name = "ppo-batch", .applies = "rl", .def = "10", .paper = "20",
      .range = "1 .. 1000",
      .help = "architectures per controller update (PPO and REINFORCE)",
      .type = SETTING_INT, .offset = FIELD(ppo_batch), .lo = 1, .hi = 1000,
      .saved = 1 },
    { .name = "ppo-epochs", .applies = "rl", .def = "4", .paper = "-",
      .range = "1 .. 100", .help = "PPO passes over each minibatch",
      .type = SETTING_INT, .offset = FIELD(ppo_epochs), .lo = 1, .hi = 100,
      .saved = 1 },
    { .name = "ppo-clip", .applies = "rl", .def = "0.2", .paper = "0.2",
      .range = "0 < eps <= 1",
      .help = "PPO clipping of the probability ratio to [1-eps, 1+eps]",
      .type = SETTING_REAL, .offset = FIELD(ppo_clip), .lo = 0, .hi = 1,
      .lo_open = 1, .saved = 1 },
    { .name = "temperature", .applies = "rl", .def = "0", .paper = "-",
      .range = "0 (off) or 0.01 .. 100",
      .help = "divide the logits by T before the softmax",
      .type = SETTING_REAL, .offset = FIELD(temperature), .lo = 0.01,
      .hi = 100, .zero_off = 1, .saved = 1 },
    { .name = "tanh-c", .applies = "rl", .def = "0", .paper = "-",
      .range = "0 (off) or 0.01 .. 100",
      .help = "squash the logits to c * tanh(logits)",
      .type = SETTING_REAL, .offset = FIELD(tanh_c), .lo = 0.01, .hi = 100,
      .zero_off = 1, .saved = 1 },
    { .name = "population", .applies = "evolution", .def = "20",
      .paper = "100", .range = "2 .. 100000",
      .help = "population size P of regularised evolution",
      .type = SETTING_INT, .offset = FIELD(population), .lo = 2,
      .hi = 100000, .saved = 1 },
    { .name = "tournament", .applies = "evolution", .def = "10",
      .paper = "25", .range = "1 .. population",
      .help = "tournament sample size S (the best of S is mutated)",
      .type = SETTING_INT, .offset = FIELD(tournament), .lo = 1,
      .hi = 100000, .saved = 1 },
    /* Children per generation: enough to keep a few cores busy, few
     * enough (under half of P) that most of the population still ages
     * one generation at a time. */
    { .name = "generation", .applies = "evolution", .def = "8", .paper = "-",
      .range = "1 .. 100000",
      .help = "children proposed from one population before any joins it "
              "(the batch trained in parallel)",
      .type = SETTING_INT, .offset = FIELD(generation), .lo = 1,
      .hi = 100000 },
};

#define NPARAMS (sizeof params / sizeof params[0])

const StrategyParam *strategy_params(int *n)
{
    *n = (int)NPARAMS;
    return params;
}

static int *int_field(StrategyConfig *c, const StrategyParam *p)
{
    return (int *)(void *)((char *)c + p->offset);
}

static float *real_field(StrategyConfig *c, const StrategyParam *p)
{
    return (float *)(void *)((char *)c + p->offset);
}

static int int_value(const StrategyConfig *c, const StrategyParam *p)
{
    return *int_field((StrategyConfig *)c, p);
}

static float real_value(const StrategyConfig *c, const StrategyParam *p)
{
    return *real_field((StrategyConfig *)c, p);
}

/* An enum field is stored as its enum; every one here is int-sized. */
static int choice_value(const StrategyConfig *c, const StrategyParam *p)
{
    _Static_assert(sizeof(RlUpdate) == sizeof(int), "enum fields are ints");
    return int_value(c, p);
}

/* The row called name ('_' may stand for '-'), or NULL. */
static const StrategyParam *param_find(const char *name)
{
    char key[32];
    size_t i;
    for (i = 0; name && name[i] && i + 1 < sizeof key; i++)
        key[i] = name[i] == '_' ? '-' : name[i];
    key[i] = '\0';
    for (size_t k = 0; k < NPARAMS; k++)
        if (strcmp(params[k].name, key) == 0)
            return &params[k];
    return NULL;
}

static int applies_to(const StrategyParam *p, StrategyKind kind)
{
    return strcmp(p->applies, strategy_kind_name(kind)) == 0;
}

NvStatus strategy_param_applies(StrategyKind kind, const char *name,
                                NvError *err)
{
    const StrategyParam *p = param_find(name);
    if (!p || applies_to(p, kind))
        return NV_OK; /* unknown names are strategy_config_set's to refuse */
    return nv_error_set(err, NV_ERR_USAGE,
                        "%s is a setting of %s, not of %s search%s", p->name,
                        p->applies, strategy_kind_name(kind),
                        kind == STRATEGY_RANDOM
                            ? " (random search has no settings)"
                            : "");
}

/* A real value is in p's range (0 counts when 0 means off). */
static int real_in_range(const StrategyParam *p, double v)
{
    if (p->zero_off && v == 0.0)
        return 1;
    return v >= p->lo && v <= p->hi && !(p->lo_open && v == p->lo);
}

/* Set p's field of c from text; c is unchanged on failure. */
static NvStatus param_parse(const StrategyParam *p, const char *value,
                            StrategyConfig *c, NvError *err);

/* Every setting of the strategy kind `applies` (all when NULL) at the
 * table's default (which='d') or paper value (which='p', where it has
 * one). */
static void apply_column(StrategyConfig *c, const char *applies, char which)
{
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        const char *text = which == 'p' ? p->paper : p->def;
        if (p->type == SETTING_ACTION || strcmp(text, "-") == 0 ||
            (applies && strcmp(p->applies, applies) != 0))
            continue;
        NvStatus st = param_parse(p, text, c, NULL);
        (void)st; /* the table's own values parse (test_strategies.c) */
    }
}

static NvStatus param_parse(const StrategyParam *p, const char *value,
                            StrategyConfig *c, NvError *err)
{
    char *end;
    errno = 0;
    switch (p->type) {
    case SETTING_ACTION: /* preset */
        if (strcmp(value, "paper") == 0) {
            apply_column(c, "rl", 'd');
            apply_column(c, "rl", 'p');
        } else if (strcmp(value, "default") == 0) {
            apply_column(c, "rl", 'd');
        } else {
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: '%s' is not a preset (%s)", p->name,
                                value, p->range);
        }
        return NV_OK;
    case SETTING_CHOICE:
        for (int v = 0; p->choices[v]; v++)
            if (strcmp(value, p->choices[v]) == 0) {
                *int_field(c, p) = v;
                return NV_OK;
            }
        return nv_error_set(err, NV_ERR_USAGE, "%s: '%s' is not one of %s",
                            p->name, value, p->range);
    case SETTING_INT: {
        long v = strtol(value, &end, 10);
        if (!*value || *end || errno)
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: '%s' is not a whole number", p->name,
                                value);
        if (v < (long)p->lo || v > (long)p->hi)
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: %ld is out of range (%ld .. %ld)",
                                p->name, v, (long)p->lo, (long)p->hi);
        *int_field(c, p) = (int)v;
        return NV_OK;
    }
    case SETTING_REAL: {
        double v = strtod(value, &end);
        if (!*value || *end || errno || !isfinite(v))
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: '%s' is not a number", p->name, value);
        if (!real_in_range(p, v))
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: %s is out of range (%s)", p->name,
                                value, p->range);
        *real_field(c, p) = (float)v;
        return NV_OK;
    }
    }
    return nv_error_set(err, NV_ERR_USAGE, "%s: unknown setting type",
                        p->name);
}

const char *strategy_streams_name(StrategyStreams s)
{
    return s == STRATEGY_STREAMS_INDEPENDENT ? "independent" : "common";
}

NvStatus strategy_streams_parse(const char *name, StrategyStreams *out,
                                NvError *err)
{
    if (strcmp(name, "common") == 0)
        *out = STRATEGY_STREAMS_COMMON;
    else if (strcmp(name, "independent") == 0)
        *out = STRATEGY_STREAMS_INDEPENDENT;
    else
        return nv_error_set(err, NV_ERR_USAGE,
                            "streams '%s': use independent or common", name);
    return NV_OK;
}

uint64_t strategy_stream_seed(const StrategyConfig *c)
{
    Rng r;
    if (c->streams != STRATEGY_STREAMS_INDEPENDENT)
        return c->seed;
    rng_seed(&r, c->seed, STRATEGY_STREAM_KIND + (uint64_t)c->kind);
    return rng_next(&r);
}

StrategyConfig strategy_config_default(StrategyKind kind, uint64_t seed)
{
    StrategyConfig c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.seed = seed;
    apply_column(&c, NULL, 'd');
    return c;
}

NvStatus strategy_config_set(StrategyConfig *cfg, const char *name,
                             const char *value, NvError *err)
{
    const StrategyParam *p = param_find(name);
    if (!p) {
        char known[512];
        size_t len = 0;
        for (size_t k = 0; k < NPARAMS && len < sizeof known; k++)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                                    k ? ", " : "", params[k].name);
        return nv_error_set(err, NV_ERR_USAGE,
                            "unknown strategy setting '%s' (known: %s)",
                            name ? name : "", known);
    }
    StrategyConfig c = *cfg;
    NvStatus st = param_parse(p, value ? value : "", &c, err);
    if (st == NV_OK)
        *cfg = c;
    return st;
}

NvStatus strategy_config_validate(const StrategyConfig *c, NvError *err)
{
    if ((unsigned)c->kind > STRATEGY_EVOLUTION)
        return nv_error_set(err, NV_ERR_USAGE, "unknown strategy kind %d",
                            (int)c->kind);
    /* A strategy's settings bind that strategy alone: an rl search given
     * population=5 keeps it, unused, and is not told about tournaments. */
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        if (!applies_to(p, c->kind))
            continue;
        switch (p->type) {
        case SETTING_ACTION:
            break;
        case SETTING_CHOICE: {
            int v = choice_value(c, p), n = 0;
            while (p->choices[n])
                n++;
            if (v < 0 || v >= n)
                return nv_error_set(err, NV_ERR_USAGE,
                                    "%s: unknown value %d (%s)", p->name, v,
                                    p->range);
            break;
        }
        case SETTING_INT: {
            int v = int_value(c, p);
            if (v < p->lo || v > p->hi)
                return nv_error_set(err, NV_ERR_USAGE,
                                    "%s: %d is out of range (%s)", p->name,
                                    v, p->range);
            break;
        }
        case SETTING_REAL: {
            float v = real_value(c, p);
            if (!isfinite(v) || !real_in_range(p, v))
                return nv_error_set(err, NV_ERR_USAGE,
                                    "%s: %g is out of range (%s)", p->name,
                                    (double)v, p->range);
            break;
        }
        }
    }
    /* The one rule between two settings. */
    if (c->kind == STRATEGY_EVOLUTION && c->tournament > c->population)
        return nv_error_set(err, NV_ERR_USAGE,
                            "tournament: %d is out of range (1 .. "
                            "population = %d)",
                            c->tournament, c->population);
    return NV_OK;
}

size_t strategy_config_describe(const StrategyConfig *c, char *buf, size_t n)
{
    /* Only the settings of c's own strategy: a random search's settings do
     * not list the controller's.  A setting left out resumes at its
     * default, which is what it was (nothing else could change it). */
    size_t len = 0;
#define PUT(...)                                                             \
    do {                                                                     \
        int w_ = snprintf(buf + (len < n ? len : n), len < n ? n - len : 0,  \
                          __VA_ARGS__);                                      \
        if (w_ > 0)                                                          \
            len += (size_t)w_;                                               \
    } while (0)
    if (n)
        buf[0] = '\0';
    PUT("{\"strategy\":\"%s\",\"seed\":%llu", strategy_kind_name(c->kind),
        (unsigned long long)c->seed);
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        char key[32], num[32];
        size_t i;
        if (p->type == SETTING_ACTION || !applies_to(p, c->kind))
            continue;
        for (i = 0; p->name[i] && i + 1 < sizeof key; i++)
            key[i] = p->name[i] == '-' ? '_' : p->name[i];
        key[i] = '\0';
        switch (p->type) {
        case SETTING_CHOICE: {
            int v = choice_value(c, p), m = 0;
            while (p->choices[m])
                m++;
            PUT(",\"%s\":\"%s\"", key, v >= 0 && v < m ? p->choices[v] : "?");
            break;
        }
        case SETTING_INT:
            PUT(",\"%s\":%d", key, int_value(c, p));
            break;
        default:
            num_text(num, sizeof num, real_value(c, p));
            PUT(",\"%s\":%s", key, num);
            break;
        }
    }
    PUT("}");
#undef PUT
    return len;
}

/* ---- proposals ---------------------------------------------------------- */

void strategy_fill_totals(Proposal *p)
{
    double lp = 0.0, ent = 0.0;
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int S = geno_decision_support(t);
        lp += log((double)p->probs[t][p->decisions[t]]);
        for (int v = 0; v < S; v++) {
            double q = p->probs[t][v];
            if (q > 0.0)
                ent -= q * log(q);
        }
    }
    p->log_prob = lp;
    p->entropy = ent;
}

void strategy_fill_uniform(Proposal *p, const Genotype *g)
{
    p->genotype = *g;
    geno_to_decisions(g, p->decisions);
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int S = geno_decision_support(t);
        for (int v = 0; v < GENO_MAX_SUPPORT; v++)
            p->probs[t][v] = v < S ? 1.0f / (float)S : 0.0f;
    }
    strategy_fill_totals(p);
}

/* ---- the object --------------------------------------------------------- */

static const StrategyOps *ops_of(StrategyKind k)
{
    switch (k) {
    case STRATEGY_RL: return &strategy_rl_ops;
    case STRATEGY_RANDOM: return &strategy_random_ops;
    default: return &strategy_evolution_ops;
    }
}

Strategy *strategy_new(const StrategyConfig *cfg, NvError *err)
{
    if (strategy_config_validate(cfg, err) != NV_OK)
        return NULL;
    Strategy *s = calloc(1, sizeof *s);
    if (!s)
        return nv_error_set(err, NV_ERR_NOMEM, "strategy: out of memory"),
               NULL;
    s->cfg = *cfg;
    s->ops = ops_of(cfg->kind);
    rng_seed(&s->rng, strategy_stream_seed(cfg), STRATEGY_STREAM_PROPOSE);
    if (s->ops->init(s, err) != NV_OK) {
        strategy_free(s);
        return NULL;
    }
    return s;
}

void strategy_free(Strategy *s)
{
    if (!s)
        return;
    s->ops->done(s);
    free(s);
}

NvStatus strategy_propose(Strategy *s, Proposal *out, NvError *err)
{
    memset(out, 0, sizeof *out);
    NvStatus st = s->ops->propose(s, out, err);
    if (st == NV_OK)
        s->proposed++;
    return st;
}

int strategy_can_sample(StrategyKind kind)
{
    return kind == STRATEGY_RL || kind == STRATEGY_RANDOM;
}

NvStatus strategy_sample(Strategy *s, Rng *rng, Proposal *out, NvError *err)
{
    memset(out, 0, sizeof *out);
    if (!s->ops->sample)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s cannot sample architectures outside its "
                            "proposals (weight sharing needs rl or random)",
                            strategy_kind_name(s->cfg.kind));
    return s->ops->sample(s, rng, out, err);
}

NvStatus strategy_observe(Strategy *s, const Proposal *p, double reward,
                          NvError *err)
{
    if (s->observed >= s->proposed)
        return nv_error_set(err, NV_ERR_USAGE,
                            "strategy: a reward was reported for proposal %lld "
                            "but only %lld were made",
                            (long long)s->observed + 1,
                            (long long)s->proposed);
    if (!isfinite(reward) || reward < 0.0 || reward > 1.0)
        return nv_error_set(err, NV_ERR_USAGE,
                            "strategy: reward %g is not in [0, 1] (report "
                            "a diverged child as 0)",
                            reward);
    for (int t = 0; t < GENO_DECISIONS; t++)
        if (p->decisions[t] < 0 ||
            p->decisions[t] >= geno_decision_support(t))
            return nv_error_set(err, NV_ERR_USAGE,
                                "strategy: proposal decision %d = %d is "
                                "outside its support 0..%d",
                                t, p->decisions[t],
                                geno_decision_support(t) - 1);
    NvStatus st = s->ops->observe(s, p, reward, err);
    if (st == NV_OK)
        s->observed++;
    return st;
}

int strategy_batch_size(const Strategy *s)
{
    switch (s->cfg.kind) {
    case STRATEGY_RL: {
        int M = s->cfg.ppo_batch;
        return M - (int)(s->proposed % M);
    }
    case STRATEGY_EVOLUTION:
        return s->cfg.generation;
    default:
        return 0;
    }
}

/* ---- saved state -------------------------------------------------------- */

static void put_config(ByteWriter *w, const StrategyConfig *c)
{
    bytes_put_u32(w, (uint32_t)c->kind);
    bytes_put_u64(w, c->seed);
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        if (!p->saved)
            continue;
        if (p->type == SETTING_REAL)
            bytes_put_f32(w, real_value(c, p));
        else
            bytes_put_u32(w, (uint32_t)int_value(c, p));
    }
}

/* The saved settings into c; the unsaved ones at their defaults. */
static void get_config(ByteReader *r, StrategyConfig *c)
{
    memset(c, 0, sizeof *c);
    c->kind = (StrategyKind)bytes_get_u32(r);
    c->seed = bytes_get_u64(r);
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        if (!p->saved)
            continue;
        if (p->type == SETTING_REAL)
            *real_field(c, p) = bytes_get_f32(r);
        else
            *int_field(c, p) = (int)bytes_get_u32(r);
    }
}

/* Name the first saved setting in which a and b differ, or NULL. */
static const char *config_diff(const StrategyConfig *a, const StrategyConfig *b)
{
    if (a->kind != b->kind) return "strategy";
    if (a->seed != b->seed) return "seed";
    for (size_t k = 0; k < NPARAMS; k++) {
        const StrategyParam *p = &params[k];
        if (!p->saved)
            continue;
        if (p->type == SETTING_REAL ? real_value(a, p) != real_value(b, p)
                                    : int_value(a, p) != int_value(b, p))
            return p->name;
    }
    return NULL;
}

NvStatus strategy_save(const Strategy *s, uint8_t **buf, size_t *len,
                       NvError *err)
{
    ByteWriter w;
    bytes_writer_init(&w);
    bytes_put(&w, STATE_MAGIC, 8);
    bytes_put_u32(&w, STATE_VERSION);
    bytes_put_u32(&w, (uint32_t)s->cfg.kind);
    bytes_put_u64(&w, 0); /* body length, patched below */
    put_config(&w, &s->cfg);
    uint8_t rs[RNG_STATE_BYTES];
    rng_save(&s->rng, rs);
    bytes_put(&w, rs, sizeof rs);
    bytes_put_i64(&w, s->proposed);
    bytes_put_i64(&w, s->observed);
    s->ops->save(s, &w);
    if (w.failed) {
        bytes_writer_done(&w);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "strategy: out of memory while saving its state");
    }
    uint64_t body = w.len - STATE_HEADER;
    for (int i = 0; i < 8; i++)
        w.buf[16 + i] = (uint8_t)(body >> (8 * i));
    bytes_put_u32(&w, (uint32_t)crc32(0L, w.buf, (uInt)w.len));
    if (w.failed) {
        bytes_writer_done(&w);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "strategy: out of memory while saving its state");
    }
    *buf = w.buf;
    *len = w.len;
    return NV_OK;
}

NvStatus strategy_load(Strategy *s, const uint8_t *buf, size_t len,
                       NvError *err)
{
    const char *what = "strategy state";
    if (!buf || len < STATE_HEADER + 4 || memcmp(buf, STATE_MAGIC, 8) != 0)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: not a nasview strategy snapshot (%zu bytes, "
                            "no NVSTRAT header)",
                            what, len);
    ByteReader r;
    bytes_reader_init(&r, buf + 8, len - 8);
    uint32_t version = bytes_get_u32(&r);
    uint32_t kind = bytes_get_u32(&r);
    uint64_t body = bytes_get_u64(&r);
    if (version != STATE_VERSION)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: format version %u, this nasview reads "
                            "version %u",
                            what, version, STATE_VERSION);
    if (kind != (uint32_t)s->cfg.kind)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: saved by a '%s' strategy, cannot restore "
                            "into a '%s' one",
                            what, strategy_kind_name((StrategyKind)kind),
                            strategy_kind_name(s->cfg.kind));
    if (body != len - STATE_HEADER - 4)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: %zu bytes but the header announces %llu; "
                            "the snapshot is truncated or damaged",
                            what, len, (unsigned long long)body + STATE_HEADER + 4);
    uint32_t crc = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    ByteReader tail;
    bytes_reader_init(&tail, buf + len - 4, 4);
    if (bytes_get_u32(&tail) != crc)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: checksum mismatch; the snapshot is damaged",
                            what);
    bytes_reader_init(&r, buf + STATE_HEADER, (size_t)body);
    StrategyConfig saved;
    get_config(&r, &saved);
    const char *diff = r.failed ? NULL : config_diff(&saved, &s->cfg);
    if (diff) {
        char a[1024], b[1024];
        strategy_config_describe(&saved, a, sizeof a);
        strategy_config_describe(&s->cfg, b, sizeof b);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: saved with different settings (%s "
                            "differs): saved %.200s, now %.200s",
                            what, diff, a, b);
    }
    uint8_t rs[RNG_STATE_BYTES];
    bytes_get(&r, rs, sizeof rs);
    int64_t proposed = bytes_get_i64(&r), observed = bytes_get_i64(&r);
    if (r.failed || proposed < 0 || observed < 0 || observed > proposed)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: damaged counters or truncated body", what);
    /* The kind loads into s->impl; on failure it leaves it unchanged. */
    NvStatus st = s->ops->load(s, &r, err);
    if (st != NV_OK)
        return st;
    rng_load(&s->rng, rs);
    s->proposed = proposed;
    s->observed = observed;
    return NV_OK;
}
