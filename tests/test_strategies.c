/* test_strategies.c - the three strategies behind strategy.h: settings and
 * their table, probability vectors of every proposal, learning on the
 * synthetic objective against random search, aging in evolution, save and
 * restore mid-run (byte-identical continuation), determinism, and hostile
 * snapshots. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "search/strategy.h"
#include "synthetic.h"

/* ---- settings ----------------------------------------------------------- */

static void config_checks(void)
{
    NvError err;
    int n;
    const StrategyParam *tab = strategy_params(&n);
    StrategyConfig def = strategy_config_default(STRATEGY_RL, 5);
    CHECK(strategy_config_validate(&def, &err) == NV_OK, "defaults: %s",
          err.msg);
    for (int i = 0; i < n; i++) {
        StrategyConfig c = def;
        CHECK(strategy_config_set(&c, tab[i].name, tab[i].def, &err) == NV_OK,
              "%s=%s: %s", tab[i].name, tab[i].def, err.msg);
        CHECK(memcmp(&c, &def, sizeof c) == 0,
              "the table's default of %s (%s) is not the default",
              tab[i].name, tab[i].def);
        CHECK(tab[i].help && *tab[i].help && tab[i].range && *tab[i].range,
              "%s lacks help", tab[i].name);
    }
    /* The paper's values, each one flag away, and all at once. */
    StrategyConfig c = def;
    CHECK(strategy_config_set(&c, "preset", "paper", &err) == NV_OK, "%s",
          err.msg);
    CHECK(c.lr == 3.5e-4f && c.entropy_weight == 1e-5f && c.ppo_batch == 20 &&
              c.ppo_clip == 0.2f && c.baseline_decay == 0.95f &&
              c.lstm_hidden == 100 && c.update == RL_PPO,
          "paper preset: lr %g ent %g M %d", (double)c.lr,
          (double)c.entropy_weight, c.ppo_batch);
    for (int i = 0; i < n; i++) {
        StrategyConfig p = def;
        if (strcmp(tab[i].paper, "-") == 0 || strcmp(tab[i].name, "preset") == 0)
            continue;
        CHECK(strategy_config_set(&p, tab[i].name, tab[i].paper, &err) == NV_OK,
              "paper %s=%s: %s", tab[i].name, tab[i].paper, err.msg);
    }
    /* Every setting by name, with '_' for '-'. */
    c = def;
    CHECK(strategy_config_set(&c, "update", "reinforce", NULL) == NV_OK &&
              c.update == RL_REINFORCE, "update");
    CHECK(strategy_config_set(&c, "entropy_weight", "0.25", NULL) == NV_OK &&
              c.entropy_weight == 0.25f, "entropy_weight alias");
    CHECK(strategy_config_set(&c, "ppo-epochs", "7", NULL) == NV_OK &&
              c.ppo_epochs == 7, "ppo-epochs");
    CHECK(strategy_config_set(&c, "temperature", "1.5", NULL) == NV_OK &&
              c.temperature == 1.5f, "temperature");
    CHECK(strategy_config_set(&c, "tanh-c", "2.5", NULL) == NV_OK &&
              c.tanh_c == 2.5f, "tanh-c");
    CHECK(strategy_config_set(&c, "population", "50", NULL) == NV_OK &&
              strategy_config_set(&c, "tournament", "10", NULL) == NV_OK &&
              c.population == 50 && c.tournament == 10, "evolution sizes");
    /* Refusals leave the config unchanged and say why. */
    static const char *const bad[][2] = {
        { "lr", "0" },          { "lr", "2" },          { "lr", "fast" },
        { "lr", "" },           { "lr", "nan" },        { "ppo-batch", "0" },
        { "ppo-batch", "3.5" }, { "ppo-epochs", "101" }, { "ppo-clip", "0" },
        { "temperature", "-1" }, { "temperature", "0.001" },
        { "tanh-c", "1000" },   { "baseline-decay", "1" },
        { "entropy-weight", "-0.1" }, { "lstm-hidden", "0" },
        { "population", "1" },  { "tournament", "0" },  { "update", "sgd" },
        { "preset", "nasnet" }, { "learning-rate", "0.1" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        StrategyConfig b = def;
        nv_error_clear(&err);
        CHECK(strategy_config_set(&b, bad[i][0], bad[i][1], &err) ==
                      NV_ERR_USAGE &&
                  memcmp(&b, &def, sizeof b) == 0 &&
                  strstr(err.msg, bad[i][0]) != NULL,
              "%s=%s accepted or unclear: '%s'", bad[i][0], bad[i][1],
              err.msg);
    }
    /* Cross-field check at construction. */
    c = strategy_config_default(STRATEGY_EVOLUTION, 1);
    c.tournament = c.population + 1;
    CHECK(strategy_new(&c, &err) == NULL && err.status == NV_ERR_USAGE &&
              strstr(err.msg, "tournament"),
          "tournament > population accepted: %s", err.msg);
    /* Kinds. */
    StrategyKind k;
    CHECK(strategy_kind_parse("evolution", &k, &err) == NV_OK &&
              k == STRATEGY_EVOLUTION, "parse evolution");
    CHECK(strategy_kind_parse("ga", &k, &err) == NV_ERR_USAGE, "parse ga");
    CHECK(strcmp(strategy_kind_name(STRATEGY_RANDOM), "random") == 0, "name");
    /* The JSON description holds every setting of its own strategy, and
     * none of another's. */
    char buf[1024];
    size_t len = strategy_config_describe(&def, buf, sizeof buf);
    CHECK(len > 0 && len < sizeof buf, "describe length %zu", len);
    static const char *const keys[] = {
        "\"strategy\":\"rl\"", "\"seed\":5", "\"update\":\"ppo\"",
        "\"lstm_hidden\":100", "\"lr\":0.01,", "\"entropy_weight\":",
        "\"baseline_decay\":0.95,", "\"ppo_batch\":", "\"ppo_epochs\":",
        "\"ppo_clip\":0.2,", "\"temperature\":0,", "\"tanh_c\":0}",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        CHECK(strstr(buf, keys[i]) != NULL, "describe lacks %s: %s", keys[i],
              buf);
    CHECK(!strstr(buf, "population"), "rl describes evolution: %s", buf);
    StrategyConfig other = def;
    other.kind = STRATEGY_EVOLUTION;
    strategy_config_describe(&other, buf, sizeof buf);
    CHECK(strstr(buf, "\"population\":") && strstr(buf, "\"tournament\":") &&
              strstr(buf, "\"generation\":") && !strstr(buf, "ppo"),
          "evolution describes its own: %s", buf);
    other.kind = STRATEGY_RANDOM;
    strategy_config_describe(&other, buf, sizeof buf);
    CHECK(strcmp(buf, "{\"strategy\":\"random\",\"seed\":5}") == 0,
          "random has no settings: %s", buf);
    len = strategy_config_describe(&def, buf, sizeof buf);
    CHECK(buf[0] == '{' && buf[len - 1] == '}', "describe: %s", buf);
    CHECK(strategy_config_describe(&def, buf, 10) == len && strlen(buf) == 9,
          "describe into a short buffer");
}

/* The table is the one home of each setting: for every row, a value other
 * than its default shows in the description under the row's key, and a
 * snapshot saved with it is refused by a strategy at the default, naming
 * the row (saved rows), or accepted (the one unsaved row, generation). */
static void table_driven_checks(void)
{
    int n;
    const StrategyParam *tab = strategy_params(&n);
    for (int i = 0; i < n; i++) {
        const StrategyParam *p = &tab[i];
        if (p->type == SETTING_ACTION)
            continue;
        StrategyKind kind = strcmp(p->applies, "rl") == 0 ? STRATEGY_RL
                                                           : STRATEGY_EVOLUTION;
        StrategyConfig def = strategy_config_default(kind, 3), c = def;
        char value[32], key[32], buf[1024];
        if (p->type == SETTING_CHOICE)
            snprintf(value, sizeof value, "%s", p->choices[1]);
        else if (p->type == SETTING_INT)
            snprintf(value, sizeof value, "%d",
                     strcmp(p->name, "tournament") == 0   ? 3
                     : strcmp(p->name, "population") == 0 ? 50
                                                           : (int)p->lo + 1);
        else
            snprintf(value, sizeof value, "%g", p->hi);
        NvError err;
        CHECK(strategy_config_set(&c, p->name, value, &err) == NV_OK,
              "%s=%s: %s", p->name, value, err.msg);
        CHECK(memcmp(&c, &def, sizeof c) != 0, "%s=%s changed nothing",
              p->name, value);
        size_t k;
        for (k = 0; p->name[k] && k + 1 < sizeof key; k++)
            key[k] = p->name[k] == '-' ? '_' : p->name[k];
        key[k] = '\0';
        strategy_config_describe(&c, buf, sizeof buf);
        char want[64];
        snprintf(want, sizeof want, p->type == SETTING_CHOICE ? "\"%s\":\"%s\""
                                                              : "\"%s\":%s",
                 key, value);
        CHECK(strstr(buf, want) != NULL, "describe lacks %s: %s", want, buf);
        Strategy *a = strategy_new(&c, &err), *b = strategy_new(&def, &err);
        CHECK(a && b, "strategies: %s", err.msg);
        if (!a || !b) {
            strategy_free(a);
            strategy_free(b);
            continue;
        }
        uint8_t *state = NULL;
        size_t len = 0;
        CHECK(strategy_save(a, &state, &len, &err) == NV_OK, "save: %s",
              err.msg);
        NvStatus st = strategy_load(b, state, len, &err);
        if (p->saved) {
            char named[64];
            snprintf(named, sizeof named, "(%s differs)", p->name);
            CHECK(st != NV_OK && strstr(err.msg, named),
                  "a snapshot with %s=%s loaded into the default: %s",
                  p->name, value, st == NV_OK ? "accepted" : err.msg);
        } else {
            CHECK(st == NV_OK, "unsaved %s refused: %s", p->name, err.msg);
        }
        free(state);
        strategy_free(a);
        strategy_free(b);
    }
}

/* ---- proposals ---------------------------------------------------------- */

static StrategyConfig small_cfg(StrategyKind kind, uint64_t seed)
{
    StrategyConfig c = strategy_config_default(kind, seed);
    c.lstm_hidden = 32; /* learning tests: smaller and faster */
    return c;
}

/* Check invariant 3 and the consistency of one proposal. */
static void check_proposal(const Proposal *p, const char *who, int i)
{
    int d[GENO_DECISIONS];
    double lp = 0, en = 0;
    NvError err;
    CHECK(geno_validate(&p->genotype, &err) == NV_OK, "%s %d: %s", who, i,
          err.msg);
    geno_to_decisions(&p->genotype, d);
    CHECK(memcmp(d, p->decisions, sizeof d) == 0,
          "%s %d: decisions differ from the genotype", who, i);
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int S = geno_decision_support(t);
        double sum = 0;
        CHECK(p->decisions[t] >= 0 && p->decisions[t] < S,
              "%s %d: decision %d = %d outside support %d", who, i, t,
              p->decisions[t], S);
        for (int v = 0; v < GENO_MAX_SUPPORT; v++) {
            float q = p->probs[t][v];
            if (v >= S)
                CHECK(q == 0.0f, "%s %d: p[%d][%d] = %g past the support",
                      who, i, t, v, (double)q);
            CHECK(q >= 0.0f && q <= 1.0f, "%s %d: p[%d][%d] = %g", who, i, t,
                  v, (double)q);
            sum += q;
            if (q > 0)
                en -= q * log(q);
        }
        CHECK(fabs(sum - 1.0) < 1e-5, "%s %d: decision %d sums to %.7f", who,
              i, t, sum);
        CHECK(p->probs[t][p->decisions[t]] > 0.0f,
              "%s %d: chose %d at probability 0", who, i, p->decisions[t]);
        lp += log(p->probs[t][p->decisions[t]]);
    }
    CHECK(fabs(lp - p->log_prob) < 1e-3 && fabs(en - p->entropy) < 1e-3,
          "%s %d: log_prob %g/%g entropy %g/%g", who, i, p->log_prob, lp,
          p->entropy, en);
}

static void proposal_checks(void)
{
    NvError err;
    Synthetic o;
    synthetic_init(&o, 3);
    for (int kind = 0; kind < 3; kind++) {
        StrategyConfig c = small_cfg((StrategyKind)kind, 21);
        c.population = 8;
        c.tournament = 3;
        c.ppo_batch = 4;
        Strategy *s = strategy_new(&c, &err);
        CHECK(s != NULL, "%s: %s", strategy_kind_name(c.kind), err.msg);
        if (!s)
            continue;
        Proposal hist[40];
        for (int i = 0; i < 40; i++) {
            Proposal *p = &hist[i];
            CHECK(strategy_propose(s, p, &err) == NV_OK, "%s", err.msg);
            check_proposal(p, strategy_kind_name(c.kind), i);
            if (kind == STRATEGY_RANDOM || (kind == STRATEGY_EVOLUTION && i < 8))
                for (int t = 0; t < GENO_DECISIONS; t++) {
                    int S = geno_decision_support(t);
                    for (int v = 0; v < S; v++)
                        CHECK(p->probs[t][v] == 1.0f / (float)S,
                              "uniform expected at %d/%d/%d", i, t, v);
                }
            if (kind == STRATEGY_EVOLUTION && i >= 8) {
                /* one-hot everywhere except at most one decision, and the
                 * parent is one of the last P observed (the oldest left) */
                int spread = 0, near = 0;
                for (int t = 0; t < GENO_DECISIONS; t++)
                    spread += p->probs[t][p->decisions[t]] != 1.0f;
                CHECK(spread <= 1, "evolution %d: %d mutated decisions", i,
                      spread);
                for (int j = i - 8; j < i; j++) {
                    int diff = 0;
                    for (int t = 0; t < GENO_DECISIONS; t++)
                        diff += hist[j].decisions[t] != p->decisions[t];
                    near |= diff <= 1;
                }
                CHECK(near, "evolution %d: no parent among the last 8", i);
            }
            CHECK(strategy_observe(s, p, synthetic_reward(&o, p->decisions),
                                   &err) == NV_OK, "%s", err.msg);
        }
        /* observe without a proposal, bad rewards */
        CHECK(strategy_observe(s, &hist[0], 0.5, &err) == NV_ERR_USAGE,
              "observe without propose accepted");
        Proposal p;
        strategy_propose(s, &p, &err);
        CHECK(strategy_observe(s, &p, NAN, &err) == NV_ERR_USAGE, "NaN reward");
        CHECK(strategy_observe(s, &p, 1.5, &err) == NV_ERR_USAGE, "reward 1.5");
        if (kind == STRATEGY_EVOLUTION) {
            /* a genotype outside the space (decisions fine): refused, and
             * err's status agrees with the status returned */
            Proposal q = p;
            q.genotype.cells[1].blocks[2].op1 = 200;
            nv_error_clear(&err);
            CHECK(strategy_observe(s, &q, 0.5, &err) == NV_ERR_USAGE &&
                      err.status == NV_ERR_USAGE &&
                      strstr(err.msg, "evolution: observed proposal") &&
                      strstr(err.msg, "reduce block 2"),
                  "bad genotype observed: status %d, '%s'", (int)err.status,
                  err.msg);
        }
        CHECK(strategy_observe(s, &p, 0.0, &err) == NV_OK, "%s", err.msg);
        strategy_free(s);
    }
    strategy_free(NULL);
}

/* strategy_sample (weight sharing) draws from the current distribution
 * with the caller's RNG and changes nothing: proposals interleaved with
 * samples are those made without them; evolution cannot sample. */
static void sample_checks(void)
{
    NvError err;
    Synthetic o;
    synthetic_init(&o, 4);
    for (int kind = 0; kind < 3; kind++) {
        StrategyConfig c = small_cfg((StrategyKind)kind, 9);
        c.population = 4;
        c.tournament = 2;
        c.ppo_batch = 3;
        Strategy *a = strategy_new(&c, &err), *b = strategy_new(&c, &err);
        Rng rng;
        rng_seed(&rng, 1, 2);
        if (!a || !b) {
            CHECK(0, "new: %s", err.msg);
            strategy_free(a);
            strategy_free(b);
            continue;
        }
        Proposal q;
        NvStatus st = strategy_sample(a, &rng, &q, &err);
        CHECK((st == NV_OK) == strategy_can_sample(c.kind),
              "%s: sample status %d", strategy_kind_name(c.kind), (int)st);
        if (st != NV_OK) {
            CHECK(st == NV_ERR_USAGE, "evolution: %d", (int)st);
            strategy_free(a);
            strategy_free(b);
            continue;
        }
        check_proposal(&q, "sample", 0);
        for (int i = 0; i < 12; i++) {
            Proposal pa, pb;
            for (int k = 0; k < 3; k++)
                CHECK(strategy_sample(a, &rng, &q, &err) == NV_OK, "%s",
                      err.msg);
            CHECK(strategy_propose(a, &pa, &err) == NV_OK &&
                      strategy_propose(b, &pb, &err) == NV_OK,
                  "%s", err.msg);
            CHECK(memcmp(pa.decisions, pb.decisions, sizeof pa.decisions) == 0,
                  "%s %d: a sample changed the proposals",
                  strategy_kind_name(c.kind), i);
            double rw = synthetic_reward(&o, pa.decisions);
            CHECK(strategy_observe(a, &pa, rw, &err) == NV_OK &&
                      strategy_observe(b, &pb, rw, &err) == NV_OK,
                  "%s", err.msg);
        }
        strategy_free(a);
        strategy_free(b);
    }
}

/* ---- learning ----------------------------------------------------------- */

static void learning_checks(void)
{
    const int budget = 300, seeds = 3;
    for (int sd = 1; sd <= seeds; sd++) {
        Synthetic o;
        double rb, rm;
        synthetic_init(&o, 100 + (uint64_t)sd);
        StrategyConfig rc = strategy_config_default(STRATEGY_RANDOM, (uint64_t)sd);
        CHECK(synthetic_run(&rc, &o, budget, &rb, &rm, NULL) == 0, "random");
        const char *names[3] = { "ppo", "reinforce", "evolution" };
        for (int k = 0; k < 3; k++) {
            StrategyConfig c = small_cfg(k == 2 ? STRATEGY_EVOLUTION
                                                : STRATEGY_RL,
                                         (uint64_t)sd);
            if (k == 1)
                c.update = RL_REINFORCE;
            double b, m;
            CHECK(synthetic_run(&c, &o, budget, &b, &m, NULL) == 0, "%s",
                  names[k]);
            printf("seed %d, %d samples: %-9s best %.2f mean %.3f | random "
                   "best %.2f mean %.3f\n",
                   sd, budget, names[k], b, m, rb, rm);
            CHECK(b >= rb + 0.1 && m >= rm + 0.1,
                  "seed %d: %s best %.2f mean %.3f not clearly above random's "
                  "%.2f %.3f",
                  sd, names[k], b, m, rb, rm);
        }
    }
}

/* ---- determinism and snapshots ------------------------------------------ */

static int same_proposal(const Proposal *a, const Proposal *b)
{
    return memcmp(&a->genotype, &b->genotype, sizeof a->genotype) == 0 &&
           memcmp(a->decisions, b->decisions, sizeof a->decisions) == 0 &&
           memcmp(a->probs, b->probs, sizeof a->probs) == 0 &&
           memcmp(&a->log_prob, &b->log_prob, sizeof a->log_prob) == 0 &&
           memcmp(&a->entropy, &b->entropy, sizeof a->entropy) == 0;
}

/* Drive s for n steps on o; record proposals into out (may be NULL).  When
 * half is set, the last step proposes but does not observe. */
static void drive(Strategy *s, const Synthetic *o, int n, Proposal *out)
{
    NvError err;
    for (int i = 0; i < n; i++) {
        Proposal p;
        if (strategy_propose(s, &p, &err) != NV_OK) {
            CHECK(0, "propose: %s", err.msg);
            return;
        }
        if (out)
            out[i] = p;
        CHECK(strategy_observe(s, &p, synthetic_reward(o, p.decisions),
                               &err) == NV_OK, "observe: %s", err.msg);
    }
}

/* ---- batches ------------------------------------------------------------ */

/* Drive s over n proposals in batches of strategy_batch_size (any = 3):
 * each batch proposed whole, then observed in proposal order. */
static void drive_batches(Strategy *s, const Synthetic *o, int n,
                          Proposal *out)
{
    NvError err;
    int done = 0;
    while (done < n) {
        int b = strategy_batch_size(s);
        if (b <= 0)
            b = 3;
        if (b > n - done)
            b = n - done;
        for (int i = 0; i < b; i++)
            CHECK(strategy_propose(s, &out[done + i], &err) == NV_OK,
                  "propose: %s", err.msg);
        for (int i = 0; i < b; i++)
            CHECK(strategy_observe(s, &out[done + i],
                                   synthetic_reward(o, out[done + i].decisions),
                                   &err) == NV_OK,
                  "observe: %s", err.msg);
        done += b;
    }
}

static void batch_checks(void)
{
    NvError err;
    Synthetic o;
    enum { N = 26 };
    Proposal a[N], b[N];
    synthetic_init(&o, 5);

    /* Batch sizes come from the settings and the proposals made. */
    StrategyConfig c = small_cfg(STRATEGY_RL, 3);
    c.ppo_batch = 4;
    Strategy *s = strategy_new(&c, &err);
    CHECK(s && strategy_batch_size(s) == 4, "rl: a batch is a minibatch");
    if (s) {
        Proposal p;
        strategy_propose(s, &p, &err);
        CHECK(strategy_batch_size(s) == 3, "rl: the rest of the minibatch");
    }
    strategy_free(s);
    c = small_cfg(STRATEGY_RANDOM, 3);
    s = strategy_new(&c, &err);
    CHECK(s && strategy_batch_size(s) == 0, "random: any number");
    strategy_free(s);
    c = small_cfg(STRATEGY_EVOLUTION, 3);
    CHECK(c.generation == 8, "evolution: generation 8 by default");
    c.generation = 5;
    s = strategy_new(&c, &err);
    CHECK(s && strategy_batch_size(s) == 5, "evolution: a generation");
    strategy_free(s);

    /* RL: a whole minibatch proposed before its first reward is what
     * proposing and observing one at a time gives (the controller changes
     * only at updates). */
    c = small_cfg(STRATEGY_RL, 8);
    c.ppo_batch = 4;
    Strategy *x = strategy_new(&c, &err), *y = strategy_new(&c, &err);
    if (x && y) {
        drive_batches(x, &o, N, a);
        drive(y, &o, N, b);
        int same = 1;
        for (int i = 0; i < N; i++)
            same = same && same_proposal(&a[i], &b[i]);
        CHECK(same, "rl: batches of a minibatch = one at a time");
    }
    strategy_free(x);
    strategy_free(y);

    /* Evolution: a generation is drawn from the population it began with,
     * so it differs from one at a time once mutation starts; a snapshot
     * between generations continues exactly. */
    c = small_cfg(STRATEGY_EVOLUTION, 8);
    c.population = 4;
    c.tournament = 2;
    c.generation = 3;
    x = strategy_new(&c, &err);
    y = strategy_new(&c, &err);
    if (x && y) {
        uint8_t *st = NULL;
        size_t len = 0;
        drive_batches(x, &o, 12, a);
        CHECK(strategy_save(x, &st, &len, &err) == NV_OK, "%s", err.msg);
        CHECK(st && strategy_load(y, st, len, &err) == NV_OK, "load: %s",
              err.msg);
        free(st);
        drive_batches(x, &o, N - 12, a + 12);
        drive_batches(y, &o, N - 12, b + 12);
        int same = 1;
        for (int i = 12; i < N; i++)
            same = same && same_proposal(&a[i], &b[i]);
        CHECK(same, "evolution: saved between generations, same children");
    }
    strategy_free(x);
    strategy_free(y);
    c.generation = 1;
    x = strategy_new(&c, &err);
    y = strategy_new(&c, &err);
    if (x && y) {
        drive_batches(x, &o, N, a);
        drive(y, &o, N, b);
        int same = 1;
        for (int i = 0; i < N; i++)
            same = same && same_proposal(&a[i], &b[i]);
        CHECK(same, "evolution: generation 1 = one child at a time");
    }
    strategy_free(x);
    strategy_free(y);
}

static void snapshot_checks(void)
{
    NvError err;
    Synthetic o;
    synthetic_init(&o, 9);
    enum { BEFORE = 27, AFTER = 30 };
    for (int kind = 0; kind < 4; kind++) {
        StrategyConfig c =
            small_cfg(kind == 3 ? STRATEGY_RL : (StrategyKind)kind, 77);
        c.ppo_batch = 10;     /* 27 observed: 7 pending at the snapshot */
        c.population = 10;
        c.tournament = 3;
        if (kind == 3)
            c.update = RL_REINFORCE;
        const char *who = kind == 3 ? "reinforce" : strategy_kind_name(c.kind);
        Strategy *a = strategy_new(&c, &err), *b = strategy_new(&c, &err);
        Strategy *twin = strategy_new(&c, &err);
        CHECK(a && b && twin, "%s: %s", who, err.msg);
        if (!a || !b || !twin)
            return;
        Proposal pa[BEFORE], pb[BEFORE];
        drive(a, &o, BEFORE, pa);
        drive(twin, &o, BEFORE, pb);
        int same = 1;
        for (int i = 0; i < BEFORE; i++)
            same &= same_proposal(&pa[i], &pb[i]);
        CHECK(same, "%s: same seed, different proposals", who);

        /* a snapshot with one proposal outstanding */
        Proposal open_a;
        strategy_propose(a, &open_a, &err);
        uint8_t *buf = NULL;
        size_t len = 0;
        CHECK(strategy_save(a, &buf, &len, &err) == NV_OK, "%s save: %s", who,
              err.msg);
        if (!buf)
            return;
        /* hostile snapshots are refused and change nothing */
        uint8_t *bad = malloc(len);
        const size_t cuts[] = { 0, 1, 7, 8, 23, 24, 60, len / 2, len - 5,
                                len - 1 };
        for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
            nv_error_clear(&err);
            CHECK(strategy_load(b, buf, cuts[i], &err) == NV_ERR_FORMAT &&
                      err.msg[0],
                  "%s: truncated at %zu accepted", who, cuts[i]);
        }
        for (size_t at = 0; at < len; at += len / 13 + 1) {
            memcpy(bad, buf, len);
            bad[at] ^= 0x40;
            CHECK(strategy_load(b, bad, len, &err) == NV_ERR_FORMAT,
                  "%s: byte %zu flipped accepted", who, at);
        }
        memcpy(bad, buf, len);
        bad[8] = 99; /* version */
        CHECK(strategy_load(b, bad, len, &err) == NV_ERR_FORMAT &&
                  strstr(err.msg, "version"), "%s: version: %s", who, err.msg);
        CHECK(strategy_load(b, (const uint8_t *)"SQLite format 3\0 and so on, "
                            "anything", 36, &err) == NV_ERR_FORMAT &&
                  strstr(err.msg, "not a nasview strategy"),
              "%s: foreign bytes: %s", who, err.msg);
        free(bad);
        /* a snapshot from another kind or other settings */
        StrategyConfig other = c;
        other.kind = (StrategyKind)((c.kind + 1) % 3);
        Strategy *o2 = strategy_new(&other, &err);
        CHECK(o2 && strategy_load(o2, buf, len, &err) == NV_ERR_FORMAT &&
                  strstr(err.msg, strategy_kind_name(c.kind)),
              "%s: loaded into %s: %s", who, strategy_kind_name(other.kind),
              err.msg);
        strategy_free(o2);
        other = c;
        other.lr *= 2.0f;
        other.population += 1;
        o2 = strategy_new(&other, &err);
        CHECK(o2 && strategy_load(o2, buf, len, &err) == NV_ERR_FORMAT &&
                  strstr(err.msg, "differs"),
              "%s: other settings: %s", who, err.msg);
        strategy_free(o2);

        /* b, after all those refusals, is still a fresh strategy */
        Proposal fresh, first;
        strategy_free(twin);
        twin = strategy_new(&c, &err);
        strategy_propose(b, &fresh, &err);
        strategy_propose(twin, &first, &err);
        CHECK(same_proposal(&fresh, &first), "%s: a refused load changed state",
              who);
        strategy_free(b);
        b = strategy_new(&c, &err);

        /* the real restore: b continues exactly as a does */
        CHECK(strategy_load(b, buf, len, &err) == NV_OK, "%s load: %s", who,
              err.msg);
        uint8_t *buf2 = NULL;
        size_t len2 = 0;
        strategy_save(b, &buf2, &len2, &err);
        CHECK(len2 == len && buf2 && memcmp(buf, buf2, len) == 0,
              "%s: save(load(x)) != x", who);
        free(buf2);
        double r = synthetic_reward(&o, open_a.decisions);
        CHECK(strategy_observe(a, &open_a, r, &err) == NV_OK, "%s", err.msg);
        CHECK(strategy_observe(b, &open_a, r, &err) == NV_OK, "%s", err.msg);
        Proposal ca[AFTER], cb[AFTER];
        drive(a, &o, AFTER, ca);
        drive(b, &o, AFTER, cb);
        int first_diff = -1;
        for (int i = AFTER - 1; i >= 0; i--)
            if (!same_proposal(&ca[i], &cb[i]))
                first_diff = i;
        CHECK(first_diff < 0, "%s: restored run differs at proposal %d", who,
              first_diff);
        /* and it did not stand still: proposals change over the run */
        CHECK(!same_proposal(&ca[0], &ca[AFTER - 1]), "%s: constant proposals",
              who);
        free(buf);
        strategy_free(a);
        strategy_free(b);
        strategy_free(twin);
    }
    /* different seeds, different proposals */
    StrategyConfig c1 = small_cfg(STRATEGY_RL, 1), c2 = small_cfg(STRATEGY_RL, 2);
    Strategy *s1 = strategy_new(&c1, &err), *s2 = strategy_new(&c2, &err);
    Proposal p1, p2;
    strategy_propose(s1, &p1, &err);
    strategy_propose(s2, &p2, &err);
    CHECK(!same_proposal(&p1, &p2), "seeds 1 and 2 propose the same");
    strategy_free(s1);
    strategy_free(s2);
}

/* ---- snapshots damaged behind a valid checksum ------------------------- */

/* Offsets of strategy.c's layout: body length at 16, the kind's own state
 * after header (24), settings (60), RNG (32) and the two counters (16). */
enum { BODY_LEN_AT = 16, KIND_STATE_AT = 24 + 60 + 32 + 16 };

/* Rewrite the body length and the CRC of snapshot buf[0..len), so that a
 * deliberate change reaches the kind's loader instead of the checksum. */
static void reseal(uint8_t *buf, size_t len)
{
    uint64_t body = len - 24 - 4;
    for (int i = 0; i < 8; i++)
        buf[BODY_LEN_AT + i] = (uint8_t)(body >> (8 * i));
    uint32_t crc = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    for (int i = 0; i < 4; i++)
        buf[len - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A strategy of config c after `observed` rewards, its snapshot in *buf
 * (with room for one more byte); NULL on failure. */
static Strategy *saved_after(const StrategyConfig *c, int observed,
                             uint8_t **buf, size_t *len)
{
    NvError err;
    Synthetic o;
    synthetic_init(&o, 4);
    Strategy *s = strategy_new(c, &err);
    CHECK(s != NULL, "%s", err.msg);
    if (!s)
        return NULL;
    drive(s, &o, observed, NULL);
    uint8_t *b = NULL;
    CHECK(strategy_save(s, &b, len, &err) == NV_OK, "%s", err.msg);
    *buf = b ? realloc(b, *len + 1) : NULL;
    if (!*buf) {
        free(b);
        strategy_free(s);
        return NULL;
    }
    return s;
}

/* Load a damaged copy of good (len bytes, plus `extra` appended zero
 * bytes), changed by `edit` at `at`, into a fresh strategy: it must be
 * refused with a message containing `want`, and the good snapshot must
 * load afterwards. */
static void expect_refused(const StrategyConfig *c, const uint8_t *good,
                           size_t len, size_t at, const uint8_t *edit,
                           size_t n, int extra, const char *want,
                           const char *what)
{
    NvError err;
    uint8_t *bad = malloc(len + 1);
    Strategy *s = strategy_new(c, &err);
    if (!bad || !s) {
        CHECK(0, "%s: setup", what);
        free(bad);
        strategy_free(s);
        return;
    }
    memcpy(bad, good, len);
    if (extra) { /* one more byte before the CRC */
        memmove(bad + len - 3, bad + len - 4, 4);
        bad[len - 4] = 0;
    }
    if (n)
        memcpy(bad + at, edit, n);
    reseal(bad, len + (size_t)extra);
    nv_error_clear(&err);
    NvStatus st = strategy_load(s, bad, len + (size_t)extra, &err);
    CHECK(st == NV_ERR_FORMAT && strstr(err.msg, want),
          "%s: status %d, '%s'", what, (int)st, err.msg);
    CHECK(strategy_load(s, good, len, &err) == NV_OK,
          "%s: the good snapshot no longer loads: %s", what, err.msg);
    free(bad);
    strategy_free(s);
}

/* The kinds' own checks of loaded state: bit flips and truncations (in
 * snapshot_checks) stop at the checksum or the length, so these only run
 * on state that is damaged and then resealed. */
static void resealed_checks(void)
{
    uint8_t *buf;
    size_t len;
    uint8_t v[8];
    /* rl: 3 of 8 pending; from the end: CRC, 3 x 74 pending bytes, count,
     * updates, have, baseline */
    StrategyConfig c = small_cfg(STRATEGY_RL, 31);
    c.lstm_hidden = 8;
    c.ppo_batch = 8;
    Strategy *s = saved_after(&c, 3, &buf, &len);
    if (!s)
        return;
    {
        NvError err;
        Strategy *t = strategy_new(&c, &err);
        uint8_t *copy = malloc(len);
        memcpy(copy, buf, len);
        reseal(copy, len); /* resealing an intact snapshot changes nothing */
        CHECK(t && memcmp(copy, buf, len) == 0 &&
                  strategy_load(t, copy, len, &err) == NV_OK,
              "reseal of an intact snapshot: %s", err.msg);
        free(copy);
        strategy_free(t);
    }
    size_t pend = len - 4 - 3 * 74, count = pend - 4, have = count - 8 - 4,
           baseline = have - 8;
    put_le(v, 8, 4);
    expect_refused(&c, buf, len, count, v, 4, 0, "damaged", "rl count = M");
    put_le(v, 0x7ff8000000000000ull, 8);
    expect_refused(&c, buf, len, baseline, v, 8, 0, "damaged",
                   "rl NaN baseline");
    put_le(v, 2, 4);
    expect_refused(&c, buf, len, have, v, 4, 0, "damaged", "rl have = 2");
    v[0] = 5; /* decision 4 is a comb: support 2 */
    expect_refused(&c, buf, len, pend + 74 + 4, v, 1, 0, "pending",
                   "rl decision outside its support");
    put_le(v, 0x7fc00000u, 4);
    expect_refused(&c, buf, len, KIND_STATE_AT + 8 + 4 * 5, v, 4, 0,
                   "pending", "rl NaN parameter");
    put_le(v, 12345, 8);
    expect_refused(&c, buf, len, KIND_STATE_AT, v, 8, 0, "parameters",
                   "rl parameter count");
    expect_refused(&c, buf, len, 0, NULL, 0, 1, "pending", "rl extra byte");
    free(buf);
    strategy_free(s);

    /* evolution: 3 members of 4; count, then 50 + 8 + 8 bytes a member */
    c = small_cfg(STRATEGY_EVOLUTION, 32);
    c.population = 4;
    c.tournament = 2;
    s = saved_after(&c, 3, &buf, &len);
    if (!s)
        return;
    const size_t m0 = KIND_STATE_AT + 4;
    put_le(v, 5, 4);
    expect_refused(&c, buf, len, KIND_STATE_AT, v, 4, 0, "population of 5",
                   "evolution count > population");
    put_le(v, 0x3ff8000000000000ull, 8); /* 1.5 */
    expect_refused(&c, buf, len, m0 + 66 + 50, v, 8, 0, "member 1",
                   "evolution reward 1.5");
    v[0] = 2; /* block 0's in1: states 0..1 */
    expect_refused(&c, buf, len, m0, v, 1, 0, "member 0",
                   "evolution decision outside its support");
    expect_refused(&c, buf, len, 0, NULL, 0, 1, "unexpected bytes",
                   "evolution extra byte");
    free(buf);
    strategy_free(s);

    c = small_cfg(STRATEGY_RANDOM, 33);
    s = saved_after(&c, 2, &buf, &len);
    if (!s)
        return;
    expect_refused(&c, buf, len, 0, NULL, 0, 1, "unexpected bytes",
                   "random extra byte");
    free(buf);
    strategy_free(s);
}

/* ---- advantage and baseline ------------------------------------------- */

static double le_f64(const uint8_t *p)
{
    uint64_t u = 0;
    double d;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    memcpy(&d, &u, sizeof d);
    return d;
}

/* SPEC.md section 4 and strategy_rl.c invariant 2, read back from the
 * snapshot (its tail is: baseline f64, have u32, updates i64, count u32,
 * then per pending architecture 50 decision bytes, logp_old, reward and
 * advantage as f64, then the CRC): advantage = reward - the baseline
 * before it, baseline = d * baseline + (1 - d) * reward, the first reward
 * starting the baseline.  Learning alone would not notice, say, the
 * baseline being updated before the advantage is taken. */
static void baseline_checks(void)
{
    NvError err;
    const double rewards[] = { 0.40, 0.70, 0.10, 0.55, 0.90 };
    enum { K = sizeof rewards / sizeof rewards[0], PEND = 50 + 3 * 8 };
    for (int rule = 0; rule < 2; rule++) {
        StrategyConfig c = small_cfg(STRATEGY_RL, 5);
        c.update = rule ? RL_REINFORCE : RL_PPO;
        c.ppo_batch = 8; /* no update: all K rewards stay pending */
        c.baseline_decay = 0.8f;
        Strategy *s = strategy_new(&c, &err);
        CHECK(s != NULL, "%s", err.msg);
        if (!s)
            return;
        Proposal p[K];
        for (int i = 0; i < K; i++) {
            CHECK(strategy_propose(s, &p[i], &err) == NV_OK, "%s", err.msg);
            CHECK(strategy_observe(s, &p[i], rewards[i], &err) == NV_OK, "%s",
                  err.msg);
        }
        uint8_t *buf = NULL;
        size_t len = 0;
        CHECK(strategy_save(s, &buf, &len, &err) == NV_OK, "%s", err.msg);
        if (!buf || len < 4 + K * PEND + 24) {
            CHECK(0, "snapshot of %zu bytes", len);
            free(buf);
            strategy_free(s);
            return;
        }
        const uint8_t *pend = buf + len - 4 - K * PEND;
        const uint8_t *tail = pend - 24;
        const double d = (double)c.baseline_decay;
        double b = rewards[0];
        for (int i = 0; i < K; i++) {
            const uint8_t *e = pend + i * PEND;
            int same = 1;
            for (int t = 0; t < GENO_DECISIONS; t++)
                same &= e[t] == p[i].decisions[t];
            CHECK(same, "pending %d: other decisions", i);
            CHECK(le_f64(e + 50) == p[i].log_prob, "pending %d: logp_old", i);
            CHECK(le_f64(e + 58) == rewards[i], "pending %d: reward", i);
            double adv = le_f64(e + 66);
            CHECK(fabs(adv - (rewards[i] - b)) < 1e-12,
                  "%s: advantage %d is %.6f, reward %.2f - baseline %.6f = "
                  "%.6f", rule ? "reinforce" : "ppo", i, adv, rewards[i], b,
                  rewards[i] - b);
            b = d * b + (1.0 - d) * rewards[i];
        }
        CHECK(fabs(le_f64(tail) - b) < 1e-12, "baseline %.6f, expected %.6f",
              le_f64(tail), b);
        CHECK(tail[20] == K && tail[8] == 1, "count %d, have %d", tail[20],
              tail[8]);
        free(buf);
        strategy_free(s);
    }
}

/* ---- random streams ------------------------------------------------------ */

/* The first n genotypes proposed by a fresh strategy of kind with seed and
 * streams into g[n]. */
static void first_genotypes(StrategyKind kind, uint64_t seed,
                            StrategyStreams streams, Genotype *g, int n)
{
    NvError err;
    StrategyConfig c = small_cfg(kind, seed);
    c.streams = streams;
    Strategy *s = strategy_new(&c, &err);
    CHECK(s != NULL, "%s", err.msg);
    for (int i = 0; s && i < n; i++) {
        Proposal p;
        CHECK(strategy_propose(s, &p, &err) == NV_OK, "%s", err.msg);
        g[i] = p.genotype;
    }
    strategy_free(s);
}

static int same_genotypes(const Genotype *a, const Genotype *b, int n)
{
    return memcmp(a, b, (size_t)n * sizeof *a) == 0;
}

static void stream_checks(void)
{
    enum { K = 4 };
    Genotype rnd[K], evo[K], rl[K], again[K], today[K];
    NvError err;
    StrategyStreams parsed;

    /* Common streams are today's: random search's proposals are uniform
     * draws from stream STRATEGY_STREAM_PROPOSE of the seed itself, and
     * evolution's founders are those same draws. */
    {
        Rng r;
        rng_seed(&r, 7, STRATEGY_STREAM_PROPOSE);
        for (int i = 0; i < K; i++)
            geno_sample_uniform(&today[i], &r);
    }
    first_genotypes(STRATEGY_RANDOM, 7, STRATEGY_STREAMS_COMMON, rnd, K);
    first_genotypes(STRATEGY_EVOLUTION, 7, STRATEGY_STREAMS_COMMON, evo, K);
    CHECK(same_genotypes(rnd, today, K), "common: random as before");
    CHECK(same_genotypes(evo, rnd, K),
          "common: evolution's founders are random's first samples");
    CHECK(strategy_config_default(STRATEGY_RL, 7).streams ==
              STRATEGY_STREAMS_COMMON,
          "a bare strategy config draws common streams");
    {
        StrategyConfig c = strategy_config_default(STRATEGY_RL, 7);
        CHECK(strategy_stream_seed(&c) == 7, "common: the seed itself");
    }

    /* Independent: one seed, different strategies, different samples */
    first_genotypes(STRATEGY_RANDOM, 7, STRATEGY_STREAMS_INDEPENDENT, rnd, K);
    first_genotypes(STRATEGY_EVOLUTION, 7, STRATEGY_STREAMS_INDEPENDENT, evo,
                    K);
    first_genotypes(STRATEGY_RL, 7, STRATEGY_STREAMS_INDEPENDENT, rl, K);
    for (int i = 0; i < K; i++) {
        CHECK(memcmp(&rnd[i], &evo[i], sizeof rnd[i]) != 0,
              "independent: evolution founder %d is random's sample", i);
        CHECK(memcmp(&rnd[i], &rl[i], sizeof rnd[i]) != 0,
              "independent: rl sample %d is random's", i);
        CHECK(memcmp(&rnd[i], &today[i], sizeof rnd[i]) != 0,
              "independent: random sample %d is the common one", i);
    }
    {
        StrategyConfig a = strategy_config_default(STRATEGY_RL, 7);
        StrategyConfig b = strategy_config_default(STRATEGY_RANDOM, 7);
        a.streams = b.streams = STRATEGY_STREAMS_INDEPENDENT;
        CHECK(strategy_stream_seed(&a) != strategy_stream_seed(&b) &&
                  strategy_stream_seed(&a) != 7,
              "independent: a seed per strategy");
    }
    /* ... and still deterministic: same seed and strategy, same samples */
    first_genotypes(STRATEGY_RANDOM, 7, STRATEGY_STREAMS_INDEPENDENT, again, K);
    CHECK(same_genotypes(rnd, again, K), "independent: random repeats");
    first_genotypes(STRATEGY_RL, 7, STRATEGY_STREAMS_INDEPENDENT, again, K);
    CHECK(same_genotypes(rl, again, K), "independent: rl repeats");
    first_genotypes(STRATEGY_RANDOM, 8, STRATEGY_STREAMS_INDEPENDENT, again, K);
    CHECK(!same_genotypes(rnd, again, K), "independent: seeds 7, 8 differ");

    CHECK(strategy_streams_parse("independent", &parsed, &err) == NV_OK &&
              parsed == STRATEGY_STREAMS_INDEPENDENT,
          "parse independent");
    CHECK(strategy_streams_parse("common", &parsed, &err) == NV_OK &&
              parsed == STRATEGY_STREAMS_COMMON,
          "parse common");
    CHECK(strategy_streams_parse("paired", &parsed, &err) == NV_ERR_USAGE &&
              strstr(err.msg, "independent or common") != NULL,
          "parse: %s", err.msg);
    CHECK(strcmp(strategy_streams_name(STRATEGY_STREAMS_INDEPENDENT),
                 "independent") == 0 &&
              strcmp(strategy_streams_name(STRATEGY_STREAMS_COMMON),
                     "common") == 0,
          "names");
}

int main(void)
{
    stream_checks();
    config_checks();
    table_driven_checks();
    baseline_checks();
    resealed_checks();
    proposal_checks();
    sample_checks();
    snapshot_checks();
    batch_checks();
    learning_checks();
    return check_exit("test_strategies");
}
