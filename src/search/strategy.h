/* strategy.h - the one interface every search strategy offers the search
 * loop: propose a genotype with the probability vectors it was drawn from,
 * observe its reward, save and restore state.
 *
 * Invariants:
 *  1. A strategy's randomness comes only from its own seeded state, so the
 *     same seed and settings give the same proposals.
 *  2. save() then load() into a fresh strategy of the same kind and settings
 *     continues with exactly the proposals the original would have made.
 *  3. Every proposal reports, for each of the GENO_DECISIONS decisions, the
 *     full probability vector over its support (zeros past the support);
 *     strategies that do not sample from a distribution report the
 *     distribution they effectively used (uniform for random search, a
 *     one-hot vector for a mutation's copied choices, uniform for the
 *     mutated one, so the UI can draw every strategy the same way).
 *  4. observe() is called exactly once per proposal, in proposal order.
 *  5. Proposals come in batches (strategy_batch_size): all of a batch are
 *     proposed before the first of them is observed, so each is drawn
 *     from the state the batch started from. */
#ifndef NASVIEW_STRATEGY_H
#define NASVIEW_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "space/genotype.h"
#include "base/nv_error.h"
#include "base/rng.h"

typedef enum {
    STRATEGY_RL = 0,
    STRATEGY_RANDOM = 1,
    STRATEGY_EVOLUTION = 2
} StrategyKind;

typedef enum { RL_PPO = 0, RL_REINFORCE = 1 } RlUpdate;

/* How a search's seed becomes its random streams.  Common: every stream
 * is drawn from the seed itself, so searches of different strategies with
 * one seed share their numbers (common random numbers: evolution's
 * founders are random search's first samples, every child idx gets the
 * same weights and batches, the split is the same).  Independent: every
 * stream is drawn from strategy_stream_seed, a seed derived from the seed
 * and the strategy, so they share nothing.  Not a setting of the params
 * table: the search stores it in a column of its own. */
typedef enum {
    STRATEGY_STREAMS_COMMON = 0,
    STRATEGY_STREAMS_INDEPENDENT = 1
} StrategyStreams;

typedef struct {
    StrategyKind kind;
    uint64_t seed;
    /* rl */
    RlUpdate update;       /* PPO (paper) or REINFORCE */
    int lstm_hidden;       /* 100 (paper) */
    float lr;              /* Adam learning rate */
    float entropy_weight;  /* entropy bonus */
    float baseline_decay;  /* EMA weight of the reward baseline (0.95) */
    int ppo_batch;         /* M: architectures per update */
    int ppo_epochs;        /* K: passes per minibatch */
    float ppo_clip;        /* epsilon (0.2) */
    float temperature;     /* logits / T; 0 or 1 = off */
    float tanh_c;          /* c * tanh(logits); 0 = off */
    /* evolution */
    int population;        /* P */
    int tournament;        /* S */
    int generation;        /* children proposed per batch (not saved in
                              the state: it only sets where batches end) */
    StrategyStreams streams; /* common (strategy_config_default) or
                              independent; see StrategyStreams */
} StrategyConfig;

/* strategy_streams_name - "common" or "independent". */
const char *strategy_streams_name(StrategyStreams s);

/* strategy_streams_parse - the streams named by name; NV_ERR_USAGE naming
 * the choices otherwise. */
NvStatus strategy_streams_parse(const char *name, StrategyStreams *out,
                                NvError *err);

/* strategy_stream_seed - the seed every random stream of a search with
 * settings c is drawn from: c->seed with common streams (what every
 * search made before streams were a choice did), otherwise 64 bits drawn
 * from (c->seed, STRATEGY_STREAM_KIND + kind), different for each
 * strategy.  Deterministic. */
uint64_t strategy_stream_seed(const StrategyConfig *c);

/* strategy_config_default - documented defaults for kind and seed. */
StrategyConfig strategy_config_default(StrategyKind kind, uint64_t seed);

/* strategy_kind_name / strategy_kind_parse - "rl", "random", "evolution". */
const char *strategy_kind_name(StrategyKind kind);
NvStatus strategy_kind_parse(const char *name, StrategyKind *out, NvError *err);

/* How a setting's text becomes its field (strategy.c). */
typedef enum {
    SETTING_ACTION = 0, /* preset: sets other settings, has no field */
    SETTING_INT,        /* an int field, lo .. hi */
    SETTING_REAL,       /* a float field, lo .. hi (see lo_open, zero_off) */
    SETTING_CHOICE      /* an enum field, one of choices[] */
} SettingType;

/* One tunable setting: the one home of its name (also the long option,
 * --NAME), the strategy it belongs to, its default and paper value as
 * text, its accepted values (in words, and as lo/hi for numbers), one line
 * of help, and where it lives in StrategyConfig.  Parsing, validation,
 * defaults, the CLI's options, the JSON description, the saved state and
 * its comparison on load are all driven by the table of these. */
typedef struct {
    const char *name;    /* "lr" */
    const char *applies; /* "rl", "evolution" */
    const char *def;     /* default, as strategy_config_set accepts it */
    const char *paper;   /* the paper's value, or "-" */
    const char *range;   /* accepted values, in words */
    const char *help;    /* one line */
    SettingType type;
    size_t offset;       /* of the field in StrategyConfig */
    double lo, hi;       /* numbers: the accepted range */
    int lo_open;         /* reals: lo itself is refused (0 < lr) */
    int zero_off;        /* reals: 0 is accepted as "off" outside lo .. hi */
    int saved;           /* part of the saved state (strategy_save) */
    const char *const *choices; /* SETTING_CHOICE: names by enum value */
} StrategyParam;

/* strategy_params - the table of every setting strategy_config_set knows,
 * in a stable order; *n receives its length.  Static, never freed. */
const StrategyParam *strategy_params(int *n);

/* strategy_param_applies - NV_OK when the setting called name (as
 * strategy_config_set takes it) belongs to the strategy kind, or is not
 * a setting at all; NV_ERR_USAGE saying whose setting it is otherwise
 * (population given to an rl search). */
NvStatus strategy_param_applies(StrategyKind kind, const char *name,
                                NvError *err);

/* strategy_config_set - set one named setting from text (names as in
 * strategy_params; '_' may stand for '-').  "preset" takes "paper" (every
 * RL setting to the paper's value) or "default"; it overwrites the RL
 * settings, so give it before the others.  Range-checks the value:
 * NV_ERR_USAGE naming the setting, the value and what is accepted; cfg is
 * unchanged on failure. */
NvStatus strategy_config_set(StrategyConfig *cfg, const char *name,
                             const char *value, NvError *err);

/* strategy_config_validate - NV_OK when every setting is in range and they
 * agree with each other (tournament <= population); NV_ERR_USAGE
 * otherwise.  strategy_new calls it. */
NvStatus strategy_config_validate(const StrategyConfig *cfg, NvError *err);

/* strategy_config_describe - every setting of cfg as one JSON object
 * ({"strategy":"rl","seed":1,"update":"ppo",...}; keys are the setting
 * names with '_' for '-') into buf (size n, NUL-terminated, 1024 bytes is
 * always enough).  Returns the length it needed, like snprintf. */
size_t strategy_config_describe(const StrategyConfig *cfg, char *buf,
                                size_t n);

typedef struct {
    Genotype genotype;                              /* as sampled */
    int decisions[GENO_DECISIONS];                  /* chosen values */
    float probs[GENO_DECISIONS][GENO_MAX_SUPPORT];  /* see invariant 3 */
    double log_prob;                                /* sum of log probs */
    double entropy;                                 /* sum of entropies */
} Proposal;

typedef struct Strategy Strategy;

/* RNG streams (rng_seed's second argument) a strategy draws from its seed:
 * proposals and controller initialisation never share numbers. */
#define STRATEGY_STREAM_PROPOSE 0x5354u
#define STRATEGY_STREAM_INIT 0x5355u
/* The stream, plus the kind, from which independent streams' seed comes. */
#define STRATEGY_STREAM_KIND 0x4b494e44ull /* "KIND" */

/* strategy_new - a fresh strategy; NULL with err filled on failure.  The
 * caller owns the result (strategy_free). */
Strategy *strategy_new(const StrategyConfig *cfg, NvError *err);

/* strategy_free - release s; NULL is a no-op. */
void strategy_free(Strategy *s);

/* strategy_batch_size - how many proposals the next batch holds, a
 * property of the settings and of how many proposals were made, never of
 * how many children train at once: RL the rest of its update minibatch
 * (ppo_batch architectures from one controller state), evolution its
 * generation (children of the population as it is before any of them
 * joins), random 0, meaning any number.  The search proposes a whole
 * batch, then observes it in proposal order, and saves the state only
 * between batches (proposed == observed): a state saved inside a batch
 * would have drawn proposals that were never observed. */
int strategy_batch_size(const Strategy *s);

/* strategy_propose - fill *out with the next architecture to train. */
NvStatus strategy_propose(Strategy *s, Proposal *out, NvError *err);

/* strategy_sample - draw an architecture from the strategy's current
 * distribution with rng (the caller's, not the strategy's own), changing
 * nothing in s: no proposal is counted and none is owed an observe().
 * What weight sharing trains its shared weights on.  NV_ERR_USAGE for
 * strategies without a distribution to draw from (evolution);
 * strategy_can_sample says which. */
NvStatus strategy_sample(Strategy *s, Rng *rng, Proposal *out, NvError *err);
int strategy_can_sample(StrategyKind kind);

/* strategy_observe - report the reward (validation accuracy in [0,1]) of
 * the last proposal; RL may update its controller here. */
NvStatus strategy_observe(Strategy *s, const Proposal *p, double reward,
                          NvError *err);

/* strategy_save - serialise the complete state (weights, optimiser
 * moments, baseline, pending batch, population, RNG) into a new buffer;
 * *buf is malloc'ed and owned by the caller. */
NvStatus strategy_save(const Strategy *s, uint8_t **buf, size_t *len,
                       NvError *err);

/* strategy_load - restore state saved by strategy_save from a strategy of
 * the same kind and settings.  Rejects foreign or truncated bytes. */
NvStatus strategy_load(Strategy *s, const uint8_t *buf, size_t len,
                       NvError *err);

#endif
