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

const char *strategy_kind_name(StrategyKind kind)
{
    return (unsigned)kind < 3 ? kind_names[kind] : "?";
}

NvStatus strategy_kind_parse(const char *name, StrategyKind *out, NvError *err)
{
    for (int k = 0; k < 3; k++)
        if (name && strcmp(name, kind_names[k]) == 0) {
            *out = (StrategyKind)k;
            return NV_OK;
        }
    return nv_error_set(err, NV_ERR_USAGE,
                        "unknown strategy '%s': use rl, random or evolution",
                        name ? name : "");
}

/* The defaults, and why (also in man/nasview.1, STRATEGIES).  Tuned with
 * tests/bench_strategies on the synthetic objective of the tests (fraction
 * of the 50 decisions equal to a hidden target) for budgets of 100-500. */
static void set_rl_defaults(StrategyConfig *c)
{
    c->update = RL_PPO;
    c->lstm_hidden = 100;
    c->lr = 0.01f;
    c->entropy_weight = 1e-3f;
    c->baseline_decay = 0.95f;
    c->ppo_batch = 10;
    c->ppo_epochs = 4;
    c->ppo_clip = 0.2f;
    c->temperature = 0.0f;
    c->tanh_c = 0.0f;
}

static void set_rl_paper(StrategyConfig *c)
{
    set_rl_defaults(c);
    c->lr = 3.5e-4f;
    c->entropy_weight = 1e-5f;
    c->ppo_batch = 20;
}

StrategyConfig strategy_config_default(StrategyKind kind, uint64_t seed)
{
    StrategyConfig c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.seed = seed;
    set_rl_defaults(&c);
    c.population = 20;
    c.tournament = 10;
    /* Children per generation: enough to keep a few cores busy, few
     * enough (under half of P) that most of the population still ages
     * one generation at a time. */
    c.generation = 8;
    return c;
}

static const StrategyParam params[] = {
    { "preset", "rl", "default", "paper", "default or paper",
      "set every RL setting to nasview's defaults or to the paper's values" },
    { "update", "rl", "ppo", "ppo", "ppo or reinforce",
      "policy-gradient rule of the controller" },
    { "lr", "rl", "0.01", "0.00035", "0 < lr <= 1",
      "Adam learning rate of the controller" },
    { "entropy-weight", "rl", "0.001", "1e-05", "0 .. 1",
      "weight of the entropy bonus (keeps the controller exploring)" },
    { "baseline-decay", "rl", "0.95", "0.95", "0 .. 0.9999",
      "weight of the old value in the moving-average reward baseline" },
    { "ppo-batch", "rl", "10", "20", "1 .. 1000",
      "architectures per controller update (PPO and REINFORCE)" },
    { "ppo-epochs", "rl", "4", "-", "1 .. 100",
      "PPO passes over each minibatch" },
    { "ppo-clip", "rl", "0.2", "0.2", "0 < eps <= 1",
      "PPO clipping of the probability ratio to [1-eps, 1+eps]" },
    { "temperature", "rl", "0", "-", "0 (off) or 0.01 .. 100",
      "divide the logits by T before the softmax" },
    { "tanh-c", "rl", "0", "-", "0 (off) or 0.01 .. 100",
      "squash the logits to c * tanh(logits)" },
    { "lstm-hidden", "rl", "100", "100", "1 .. 1024",
      "LSTM units (and embedding size) of the controller" },
    { "population", "evolution", "20", "100", "2 .. 100000",
      "population size P of regularised evolution" },
    { "tournament", "evolution", "10", "25", "1 .. population",
      "tournament sample size S (the best of S is mutated)" },
    { "generation", "evolution", "8", "-", "1 .. 100000",
      "children proposed from one population before any joins it (the "
      "batch trained in parallel)" },
};

const StrategyParam *strategy_params(int *n)
{
    *n = (int)(sizeof params / sizeof params[0]);
    return params;
}

NvStatus strategy_param_applies(StrategyKind kind, const char *name,
                                NvError *err)
{
    const char *k = strategy_kind_name(kind);
    char key[32];
    size_t i;
    for (i = 0; name[i] && i + 1 < sizeof key; i++)
        key[i] = name[i] == '_' ? '-' : name[i];
    key[i] = '\0';
    for (size_t p = 0; p < sizeof params / sizeof params[0]; p++) {
        if (strcmp(params[p].name, key) != 0)
            continue;
        if (strcmp(params[p].applies, k) == 0)
            return NV_OK;
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s is a setting of %s, not of %s search%s", key,
                            params[p].applies, k,
                            kind == STRATEGY_RANDOM
                                ? " (random search has no settings)"
                                : "");
    }
    return NV_OK; /* unknown names are strategy_config_set's to refuse */
}

static NvStatus parse_real(const char *name, const char *value, double lo,
                           double hi, int lo_open, int zero_ok, float *out,
                           NvError *err)
{
    char *end;
    errno = 0;
    double v = value ? strtod(value, &end) : 0.0;
    if (!value || !*value || *end || errno || !isfinite(v))
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: '%s' is not a number", name,
                            value ? value : "");
    if (zero_ok && v == 0.0) {
        *out = 0.0f;
        return NV_OK;
    }
    if (v < lo || v > hi || (lo_open && v == lo)) {
        const StrategyParam *p = NULL;
        for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
            if (strcmp(params[i].name, name) == 0)
                p = &params[i];
        return nv_error_set(err, NV_ERR_USAGE, "%s: %s is out of range (%s)",
                            name, value, p ? p->range : "?");
    }
    *out = (float)v;
    return NV_OK;
}

static NvStatus parse_int(const char *name, const char *value, long lo,
                          long hi, int *out, NvError *err)
{
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    if (!value || !*value || *end || errno)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: '%s' is not a whole number", name,
                            value ? value : "");
    if (v < lo || v > hi)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: %ld is out of range (%ld .. %ld)", name, v,
                            lo, hi);
    *out = (int)v;
    return NV_OK;
}

NvStatus strategy_config_set(StrategyConfig *cfg, const char *name,
                             const char *value, NvError *err)
{
    char key[32];
    size_t i;
    if (!name)
        name = "";
    for (i = 0; name[i] && i + 1 < sizeof key; i++)
        key[i] = name[i] == '_' ? '-' : name[i];
    key[i] = '\0';
    StrategyConfig c = *cfg;
    NvStatus st = NV_OK;
    if (!value)
        value = "";
    if (strcmp(key, "preset") == 0) {
        if (strcmp(value, "paper") == 0)
            set_rl_paper(&c);
        else if (strcmp(value, "default") == 0)
            set_rl_defaults(&c);
        else
            st = nv_error_set(err, NV_ERR_USAGE,
                              "preset: '%s' is not a preset (default or "
                              "paper)",
                              value);
    } else if (strcmp(key, "update") == 0) {
        if (strcmp(value, "ppo") == 0)
            c.update = RL_PPO;
        else if (strcmp(value, "reinforce") == 0)
            c.update = RL_REINFORCE;
        else
            st = nv_error_set(err, NV_ERR_USAGE,
                              "update: '%s' is not an update rule (ppo or "
                              "reinforce)",
                              value);
    } else if (strcmp(key, "lr") == 0) {
        st = parse_real(key, value, 0.0, 1.0, 1, 0, &c.lr, err);
    } else if (strcmp(key, "entropy-weight") == 0) {
        st = parse_real(key, value, 0.0, 1.0, 0, 0, &c.entropy_weight, err);
    } else if (strcmp(key, "baseline-decay") == 0) {
        st = parse_real(key, value, 0.0, 0.9999, 0, 0, &c.baseline_decay,
                        err);
    } else if (strcmp(key, "ppo-clip") == 0) {
        st = parse_real(key, value, 0.0, 1.0, 1, 0, &c.ppo_clip, err);
    } else if (strcmp(key, "temperature") == 0) {
        st = parse_real(key, value, 0.01, 100.0, 0, 1, &c.temperature, err);
    } else if (strcmp(key, "tanh-c") == 0) {
        st = parse_real(key, value, 0.01, 100.0, 0, 1, &c.tanh_c, err);
    } else if (strcmp(key, "ppo-batch") == 0) {
        st = parse_int(key, value, 1, 1000, &c.ppo_batch, err);
    } else if (strcmp(key, "ppo-epochs") == 0) {
        st = parse_int(key, value, 1, 100, &c.ppo_epochs, err);
    } else if (strcmp(key, "lstm-hidden") == 0) {
        st = parse_int(key, value, 1, 1024, &c.lstm_hidden, err);
    } else if (strcmp(key, "population") == 0) {
        st = parse_int(key, value, 2, 100000, &c.population, err);
    } else if (strcmp(key, "tournament") == 0) {
        st = parse_int(key, value, 1, 100000, &c.tournament, err);
    } else if (strcmp(key, "generation") == 0) {
        st = parse_int(key, value, 1, 100000, &c.generation, err);
    } else {
        st = nv_error_set(err, NV_ERR_USAGE,
                          "unknown strategy setting '%s' (known: preset, "
                          "update, lr, entropy-weight, baseline-decay, "
                          "ppo-batch, ppo-epochs, ppo-clip, temperature, "
                          "tanh-c, lstm-hidden, population, tournament, "
                          "generation)",
                          name);
    }
    if (st == NV_OK)
        *cfg = c;
    return st;
}

NvStatus strategy_config_validate(const StrategyConfig *c, NvError *err)
{
    if ((unsigned)c->kind > STRATEGY_EVOLUTION)
        return nv_error_set(err, NV_ERR_USAGE, "unknown strategy kind %d",
                            (int)c->kind);
    if ((unsigned)c->update > RL_REINFORCE)
        return nv_error_set(err, NV_ERR_USAGE, "unknown update rule %d",
                            (int)c->update);
#define RANGE(cond, ...)                                                     \
    if (!(cond))                                                             \
        return nv_error_set(err, NV_ERR_USAGE, __VA_ARGS__)
    RANGE(c->lstm_hidden >= 1 && c->lstm_hidden <= 1024,
          "lstm-hidden: %d is out of range (1 .. 1024)", c->lstm_hidden);
    RANGE(c->lr > 0.0f && c->lr <= 1.0f, "lr: %g is out of range (0 < lr <= 1)",
          (double)c->lr);
    RANGE(c->entropy_weight >= 0.0f && c->entropy_weight <= 1.0f,
          "entropy-weight: %g is out of range (0 .. 1)",
          (double)c->entropy_weight);
    RANGE(c->baseline_decay >= 0.0f && c->baseline_decay <= 0.9999f,
          "baseline-decay: %g is out of range (0 .. 0.9999)",
          (double)c->baseline_decay);
    RANGE(c->ppo_batch >= 1 && c->ppo_batch <= 1000,
          "ppo-batch: %d is out of range (1 .. 1000)", c->ppo_batch);
    RANGE(c->ppo_epochs >= 1 && c->ppo_epochs <= 100,
          "ppo-epochs: %d is out of range (1 .. 100)", c->ppo_epochs);
    RANGE(c->ppo_clip > 0.0f && c->ppo_clip <= 1.0f,
          "ppo-clip: %g is out of range (0 < eps <= 1)", (double)c->ppo_clip);
    RANGE(c->temperature == 0.0f ||
              (c->temperature >= 0.01f && c->temperature <= 100.0f),
          "temperature: %g is out of range (0 or 0.01 .. 100)",
          (double)c->temperature);
    RANGE(c->tanh_c == 0.0f || (c->tanh_c >= 0.01f && c->tanh_c <= 100.0f),
          "tanh-c: %g is out of range (0 or 0.01 .. 100)", (double)c->tanh_c);
    /* evolution's settings bind evolution alone: an rl search given
     * population=5 keeps it, unused, and is not told about tournaments */
    if (c->kind == STRATEGY_EVOLUTION) {
        RANGE(c->population >= 2 && c->population <= 100000,
              "population: %d is out of range (2 .. 100000)", c->population);
        RANGE(c->tournament >= 1 && c->tournament <= c->population,
              "tournament: %d is out of range (1 .. population = %d)",
              c->tournament, c->population);
        RANGE(c->generation >= 1 && c->generation <= 100000,
              "generation: %d is out of range (1 .. 100000)", c->generation);
    }
#undef RANGE
    return NV_OK;
}

size_t strategy_config_describe(const StrategyConfig *c, char *buf, size_t n)
{
    /* Only the settings of c's own strategy: a random search's settings do
     * not list the controller's.  A setting left out resumes at its
     * default, which is what it was (nothing else could change it). */
    char lr[32], ew[32], bd[32], clip[32], temp[32], tc[32];
    int w;
    num_text(lr, sizeof lr, c->lr);
    num_text(ew, sizeof ew, c->entropy_weight);
    num_text(bd, sizeof bd, c->baseline_decay);
    num_text(clip, sizeof clip, c->ppo_clip);
    num_text(temp, sizeof temp, c->temperature);
    num_text(tc, sizeof tc, c->tanh_c);
    if (c->kind == STRATEGY_RL)
        w = snprintf(buf, n,
                     "{\"strategy\":\"%s\",\"seed\":%llu,\"update\":\"%s\","
                     "\"lstm_hidden\":%d,\"lr\":%s,\"entropy_weight\":%s,"
                     "\"baseline_decay\":%s,\"ppo_batch\":%d,"
                     "\"ppo_epochs\":%d,\"ppo_clip\":%s,\"temperature\":%s,"
                     "\"tanh_c\":%s}",
                     strategy_kind_name(c->kind), (unsigned long long)c->seed,
                     c->update == RL_REINFORCE ? "reinforce" : "ppo",
                     c->lstm_hidden, lr, ew, bd, c->ppo_batch, c->ppo_epochs,
                     clip, temp, tc);
    else if (c->kind == STRATEGY_EVOLUTION)
        w = snprintf(buf, n,
                     "{\"strategy\":\"%s\",\"seed\":%llu,\"population\":%d,"
                     "\"tournament\":%d,\"generation\":%d}",
                     strategy_kind_name(c->kind), (unsigned long long)c->seed,
                     c->population, c->tournament, c->generation);
    else
        w = snprintf(buf, n, "{\"strategy\":\"%s\",\"seed\":%llu}",
                     strategy_kind_name(c->kind), (unsigned long long)c->seed);
    return w < 0 ? 0 : (size_t)w;
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
    rng_seed(&s->rng, cfg->seed, STRATEGY_STREAM_PROPOSE);
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
    bytes_put_u32(w, (uint32_t)c->update);
    bytes_put_u32(w, (uint32_t)c->lstm_hidden);
    bytes_put_f32(w, c->lr);
    bytes_put_f32(w, c->entropy_weight);
    bytes_put_f32(w, c->baseline_decay);
    bytes_put_u32(w, (uint32_t)c->ppo_batch);
    bytes_put_u32(w, (uint32_t)c->ppo_epochs);
    bytes_put_f32(w, c->ppo_clip);
    bytes_put_f32(w, c->temperature);
    bytes_put_f32(w, c->tanh_c);
    bytes_put_u32(w, (uint32_t)c->population);
    bytes_put_u32(w, (uint32_t)c->tournament);
}

static void get_config(ByteReader *r, StrategyConfig *c)
{
    memset(c, 0, sizeof *c);
    c->kind = (StrategyKind)bytes_get_u32(r);
    c->seed = bytes_get_u64(r);
    c->update = (RlUpdate)bytes_get_u32(r);
    c->lstm_hidden = (int)bytes_get_u32(r);
    c->lr = bytes_get_f32(r);
    c->entropy_weight = bytes_get_f32(r);
    c->baseline_decay = bytes_get_f32(r);
    c->ppo_batch = (int)bytes_get_u32(r);
    c->ppo_epochs = (int)bytes_get_u32(r);
    c->ppo_clip = bytes_get_f32(r);
    c->temperature = bytes_get_f32(r);
    c->tanh_c = bytes_get_f32(r);
    c->population = (int)bytes_get_u32(r);
    c->tournament = (int)bytes_get_u32(r);
}

/* Name the first setting in which a and b differ, or NULL. */
static const char *config_diff(const StrategyConfig *a, const StrategyConfig *b)
{
    if (a->kind != b->kind) return "strategy";
    if (a->seed != b->seed) return "seed";
    if (a->update != b->update) return "update";
    if (a->lstm_hidden != b->lstm_hidden) return "lstm-hidden";
    if (a->lr != b->lr) return "lr";
    if (a->entropy_weight != b->entropy_weight) return "entropy-weight";
    if (a->baseline_decay != b->baseline_decay) return "baseline-decay";
    if (a->ppo_batch != b->ppo_batch) return "ppo-batch";
    if (a->ppo_epochs != b->ppo_epochs) return "ppo-epochs";
    if (a->ppo_clip != b->ppo_clip) return "ppo-clip";
    if (a->temperature != b->temperature) return "temperature";
    if (a->tanh_c != b->tanh_c) return "tanh-c";
    if (a->population != b->population) return "population";
    if (a->tournament != b->tournament) return "tournament";
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
