/* fidelity_level.c - one fidelity of `nasview fidelity`: its settings
 * (parsed from the command line or from the database, written back in a
 * canonical form), the data it reads, and computing one architecture's
 * score at it (see fidelity_level.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/fidelity_level.h"
#include "train/proxy.h"
#include "nn/network.h"
#include "train/reward_metric.h"
#include "compare/trust.h"

#define CMD "fidelity"

int fidlevel_is_zero_cost(const char *score)
{
    return reward_metric_valid(score) && !reward_metric_is_accuracy(score);
}

void fidlevel_defaults(LevelSpec *ls)
{
    TrainConfig cfg = train_config_default();
    memset(ls, 0, sizeof *ls);
    snprintf(ls->score, sizeof ls->score, "val_acc");
    snprintf(ls->dataset, sizeof ls->dataset, "fashion-mnist");
    ls->train = TRAIN_DEFAULT_TRAIN_SIZE;
    ls->val = TRAIN_DEFAULT_VAL_SIZE;
    ls->epochs = cfg.epochs;
    ls->F = cfg.F;
    ls->N = cfg.N;
    ls->batch = cfg.batch;
    ls->threads = cfg.threads;
    ls->lr = cfg.lr;
    ls->recal = cfg.bn_recalibrate;
}

/* spec_set - one KEY=VALUE; 0, or -1 with the reason in why. */
static int spec_set(LevelSpec *ls, const char *key, const char *v, char *why,
                    size_t n)
{
    if (strcmp(key, "score") == 0) {
        if (strcmp(v, "val_acc") != 0 && !fidlevel_is_zero_cost(v)) {
            snprintf(why, n, "score is val_acc, params, mult_adds, naswot "
                             "or synflow, not '%s'", v);
            return -1;
        }
        snprintf(ls->score, sizeof ls->score, "%s", v);
        return 0;
    }
    if (strcmp(key, "dataset") == 0) {
        if (!*v || strlen(v) >= sizeof ls->dataset || !text_is_clean(v)) {
            snprintf(why, n, "dataset needs a name or a path");
            return -1;
        }
        snprintf(ls->dataset, sizeof ls->dataset, "%s", v);
        return 0;
    }
    if (strcmp(key, "recal") == 0) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
            snprintf(why, n, "recal is on or off, not '%s'", v);
            return -1;
        }
        ls->recal = strcmp(v, "on") == 0;
        return 0;
    }
    const int id = proxy_find_key(key);
    long *target = NULL;
    switch (id) {
    case PROXY_TRAIN_SIZE: target = &ls->train; break;
    case PROXY_VAL_SIZE: target = &ls->val; break;
    case PROXY_EPOCHS: target = &ls->epochs; break;
    case PROXY_F: target = &ls->F; break;
    case PROXY_N: target = &ls->N; break;
    case PROXY_BATCH: target = &ls->batch; break;
    case PROXY_THREADS: target = &ls->threads; break;
    default: break;
    }
    if (id < 0 || (id != PROXY_LR && !target)) {
        snprintf(why, n, "unknown setting '%s' (score, dataset, train, val, "
                         "epochs, F, N, batch, lr, recal, threads)", key);
        return -1;
    }
    const ProxySetting *ps = proxy_setting((ProxyId)id);
    char *end;
    double x = ps->real ? strtod(v, &end) : (double)strtol(v, &end, 10);
    if (!*v || *end || !(x >= ps->lo && x <= ps->hi)) {
        snprintf(why, n, "%s is %s in [%.10g, %.10g], not '%s'", key,
                 ps->real ? "a number" : "an integer", ps->lo, ps->hi, v);
        return -1;
    }
    if (target)
        *target = (long)x;
    else
        ls->lr = x;
    return 0;
}

int fidlevel_parse_settings(LevelSpec *ls, const char *text, char *why,
                               size_t n)
{
    char buf[2048];
    if (strlen(text) >= sizeof buf) {
        snprintf(why, n, "settings too long");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(why, n, "'%s' is not KEY=VALUE", tok);
            return -1;
        }
        *eq = '\0';
        if (spec_set(ls, tok, eq + 1, why, n))
            return -1;
    }
    return 0;
}

void fidlevel_format(const LevelSpec *ls, char *buf, size_t n)
{
    if (strcmp(ls->score, "val_acc") == 0)
        snprintf(buf, n,
                 "dataset=%.256s,train=%ld,val=%ld,epochs=%ld,F=%ld,N=%ld,"
                 "batch=%ld,lr=%g,recal=%s,threads=%ld",
                 ls->dataset, ls->train, ls->val, ls->epochs, ls->F, ls->N,
                 ls->batch, ls->lr, ls->recal ? "on" : "off", ls->threads);
    else if (strcmp(ls->score, "naswot") == 0)
        snprintf(buf, n, "dataset=%.256s,train=%ld,F=%ld,N=%ld,batch=%ld",
                 ls->dataset, ls->train, ls->F, ls->N, ls->batch);
    else
        snprintf(buf, n, "dataset=%.256s,F=%ld,N=%ld", ls->dataset, ls->F,
                 ls->N);
}

int fidlevel_parse_arg(const char *arg, LevelSpec *ls)
{
    char why[256];
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    fidlevel_defaults(ls);
    if (len == 0 || len >= sizeof ls->name ||
        strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789_.+-") < len)
        return cli_usage_error(CMD,
                               "--fidelity '%s': a fidelity's name has 1 to "
                               "%d letters, digits or _.+- before the ':'",
                               arg, STORE_LEVEL_NAME_MAX - 1);
    memcpy(ls->name, arg, len);
    ls->name[len] = '\0';
    if (fidlevel_is_zero_cost(ls->name))
        snprintf(ls->score, sizeof ls->score, "%.15s", ls->name);
    if (colon && fidlevel_parse_settings(ls, colon + 1, why, sizeof why))
        return cli_usage_error(CMD, "--fidelity '%s': %s", arg, why);
    return 0;
}

/* ---- data -------------------------------------------------------------- */




void fidlevel_cache_free(DataCache *dc)
{
    for (int i = 0; i < dc->nfull; i++)
        dataset_free(dc->full[i].full);
    dc->nfull = 0;
}

NvStatus fidlevel_data(DataCache *dc, const LevelSpec *ls, uint64_t seed,
                           LevelData *ld, NvError *err)
{
    NvStatus st;
    if (ld->loaded)
        return NV_OK;
    const Dataset *full = NULL;
    for (int i = 0; i < dc->nfull; i++)
        if (strcmp(dc->full[i].spec, ls->dataset) == 0)
            full = dc->full[i].full;
    if (!full) {
        if (dc->nfull == MAX_DATASETS)
            return nv_error_set(err, NV_ERR_USAGE,
                                "a panel run reads at most %d datasets",
                                MAX_DATASETS);
        FullSet *fs = &dc->full[dc->nfull];
        if ((st = dataset_load(ls->dataset, DATASET_TRAIN, &fs->full, err)))
            return st;
        snprintf(fs->spec, sizeof fs->spec, "%s", ls->dataset);
        full = fs->full;
        dc->nfull++;
    }
    ld->full = full;
    if (strcmp(ls->score, "val_acc") == 0 || strcmp(ls->score, "naswot") == 0) {
        long val = strcmp(ls->score, "val_acc") == 0 ? ls->val : 1;
        if ((st = dataset_split(full, ls->train, val, seed, &ld->train,
                                &ld->val, err)))
            return st;
    }
    ld->loaded = 1;
    return NV_OK;
}

void fidlevel_data_free(LevelData *ld)
{
    dataset_free(ld->train);
    dataset_free(ld->val);
    memset(ld, 0, sizeof *ld);
}

/* ---- computing one score ------------------------------------------------ */

NvStatus fidlevel_compute(const Genotype *g, const LevelSpec *ls,
                          const LevelData *ld, uint64_t seed,
                          TrainProgressFn progress, void *ctx,
                          StorePanelResult *r, int *stopped, NvError *err)
{
    NvStatus st;
    double t0 = clock_now_s();
    *stopped = 0;
    r->params = r->mult_adds = -1;
    snprintf(r->status, sizeof r->status, "done");
    if (strcmp(ls->score, "val_acc") == 0) {
        TrainConfig cfg = train_config_default();
        TrainResult tr;
        cfg.F = (int)ls->F;
        cfg.N = (int)ls->N;
        cfg.epochs = (int)ls->epochs;
        cfg.batch = (int)ls->batch;
        cfg.threads = (int)ls->threads;
        cfg.lr = (float)ls->lr;
        cfg.bn_recalibrate = ls->recal;
        cfg.seed = seed;
        if ((st = train_child(g, &cfg, ld->train, ld->val, NULL, progress,
                              ctx, &tr, err)))
            return st;
        if (tr.interrupted) {
            *stopped = 1;
            return NV_OK;
        }
        r->score = tr.diverged ? 0.0 : tr.val_acc;
        if (tr.diverged)
            snprintf(r->status, sizeof r->status, "diverged");
        r->params = tr.params;
        r->mult_adds = tr.mult_adds;
        r->seconds = tr.seconds;
        return NV_OK;
    }
    /* a zero-cost score: the one scorer searches use too (only naswot
     * reads images, from the split; the others the full set's shape) */
    TrainConfig zc = train_config_default();
    zc.F = (int)ls->F;
    zc.N = (int)ls->N;
    zc.batch = (int)ls->batch;
    if ((st = reward_metric_score(ls->score, g, &zc,
                                  ld->train ? ld->train : ld->full, seed,
                                  &r->score, &r->params, &r->mult_adds, err)))
        return st;
    r->seconds = clock_now_s() - t0;
    return NV_OK;
}

/* ---- the fidelity of a search, and its trust warning ------------------- */

void fidlevel_of_search(const StoreSearch *s, LevelSpec *ls)
{
    fidlevel_defaults(ls);
    snprintf(ls->name, sizeof ls->name, "search");
    if (!reward_metric_is_accuracy(s->reward_metric))
        snprintf(ls->score, sizeof ls->score, "%.15s", s->reward_metric);
    snprintf(ls->dataset, sizeof ls->dataset, "%.256s", s->dataset);
    ls->train = (long)s->train_size;
    ls->val = (long)s->val_size;
    ls->epochs = s->epochs;
    ls->F = s->F;
    ls->N = s->N;
    ls->batch = s->batch;
    ls->threads = s->threads;
    ls->lr = s->lr;
    ls->recal = s->bn_recalibrate != 0;
}

int fidlevel_trust(Store *st, const StoreSearch *s, char *buf, size_t n)
{
    StoreSampleQuery q = { STORE_ORDER_IDX, 0, TRUST_FIRST, NULL };
    StoreSample *rows = NULL;
    size_t nr = 0;
    double first[TRUST_FIRST], tau = NAN;
    char spec[1024], ref[1024], panel[STORE_NAME_MAX] = "";
    NvError err;
    LevelSpec me, def;
    if (n)
        buf[0] = '\0';
    if (store_samples(st, s->id, &q, &rows, &nr, &err) != NV_OK)
        return 0;
    for (size_t i = 0; i < nr && i < TRUST_FIRST; i++)
        first[i] = store_sample_has_reward(rows[i].status) ? rows[i].reward
                                                           : NAN;
    free(rows);
    fidlevel_of_search(s, &me);
    fidlevel_defaults(&def);
    snprintf(def.dataset, sizeof def.dataset, "%.256s", s->dataset);
    fidlevel_format(&me, spec, sizeof spec);
    fidlevel_format(&def, ref, sizeof ref);
    if (strcmp(spec, ref) != 0 || strcmp(me.score, "val_acc") != 0)
        if (trust_proxy_tau(st, me.score, spec, ref, &tau, panel,
                            sizeof panel, &err) != NV_OK)
            tau = NAN;
    return trust_line(reward_metric_is_accuracy(s->reward_metric), first,
                      nr < TRUST_FIRST ? nr : TRUST_FIRST,
                      FIDLEVEL_TRUST_CLASSES, tau, panel, buf, n);
}
