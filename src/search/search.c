/* search.c - starting and resuming a search (search.h): its settings, the
 * row that stores them, the datasets and the strategy; the loop itself is
 * in search_batch.c (see its design comment for the batches, the
 * snapshots and what a resume relies on). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/dataset.h"
#include "base/jsonw.h"
#include "search/search_env.h"
#include "search/search_loop.h"
#include "train/reward_metric.h"

SearchConfig search_config_default(StrategyKind kind, uint64_t seed)
{
    SearchConfig c;
    memset(&c, 0, sizeof c);
    c.strategy = strategy_config_default(kind, seed);
    /* New searches draw independent streams (issue 18); a stored search
     * resumes with the streams it has (config_from_row). */
    c.strategy.streams = STRATEGY_STREAMS_INDEPENDENT;
    c.train = train_config_default();
    c.budget = 100;
    snprintf(c.dataset, sizeof c.dataset, "fashion-mnist");
    c.train_size = TRAIN_DEFAULT_TRAIN_SIZE;
    c.val_size = TRAIN_DEFAULT_VAL_SIZE;
    c.ws_steps = SHARED_DEFAULT_STEPS;
    c.ws_samples = SHARED_DEFAULT_SAMPLES;
    c.ws_panel = SHARED_DEFAULT_PANEL;
    return c;
}


/* ---- configuration from the database ------------------------------------ */

static NvStatus apply_param(const char *name, const char *value, void *ctx,
                            NvError *err)
{
    if (strcmp(name, "strategy") == 0 || strcmp(name, "seed") == 0)
        return NV_OK; /* columns of their own */
    return strategy_config_set(ctx, name, value, err);
}

/* config_from_row - rebuild the SearchConfig a stored search ran with. */
static NvStatus config_from_row(Store *st, const StoreSearch *row,
                                SearchConfig *c, NvError *err)
{
    StrategyKind kind;
    NvStatus r;
    if ((r = strategy_kind_parse(row->strategy, &kind, err)))
        return r;
    *c = search_config_default(kind, row->seed);
    /* Searches stored before evolution had generations evolved one child
     * at a time; one that has the setting stores it with the others. */
    c->strategy.generation = 1;
    snprintf(c->name, sizeof c->name, "%s", row->name);
    c->budget = row->budget;
    snprintf(c->dataset, sizeof c->dataset, "%s", row->dataset);
    c->train.F = row->F;
    c->train.N = row->N;
    c->train.epochs = row->epochs;
    c->train.batch = row->batch;
    c->train.lr = (float)row->lr;
    c->train.threads = row->threads;
    c->train_size = row->train_size;
    c->val_size = row->val_size;
    c->retrain_duplicates = row->retrain_duplicates;
    /* 0 for a search made before schema 4: it resumes as it began */
    c->train.bn_recalibrate = row->bn_recalibrate;
    /* "common" for a search made before schema 9: it resumes as it began */
    c->strategy.streams = strcmp(row->streams, "independent") == 0
                              ? STRATEGY_STREAMS_INDEPENDENT
                              : STRATEGY_STREAMS_COMMON;
    /* "standalone" for a search made before schema 5 */
    c->weight_sharing = strcmp(row->reward_kind, "shared") == 0;
    if (c->weight_sharing) {
        c->ws_steps = row->ws_steps;
        c->ws_samples = row->ws_samples;
        c->ws_panel = row->ws_panel;
    }
    /* "accuracy" for a search made before schema 10 */
    snprintf(c->reward, sizeof c->reward, "%.15s",
             row->reward_metric[0] ? row->reward_metric : "accuracy");
    if ((r = store_search_params(st, row->id, apply_param, &c->strategy, err)))
        nv_error_prefix(err, "search '%s': stored strategy settings",
                        row->name);
    return r;
}

/* settings_json - every setting of c as one JSON object (the settings
 * column), with the strategy's under "strategy_params". */
static NvStatus settings_json(const SearchConfig *c, char *buf, size_t n,
                              NvError *err)
{
    char strat[1024], lr[32], mom[32], wd[32];
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    strategy_config_describe(&c->strategy, strat, sizeof strat);
    num_text(lr, sizeof lr, c->train.lr);
    num_text(mom, sizeof mom, c->train.momentum);
    num_text(wd, sizeof wd, c->train.weight_decay);
    fprintf(f, "{\"strategy\":");
    json_string(f, strategy_kind_name(c->strategy.kind));
    fprintf(f, ",\"seed\":%llu,\"budget\":%d,\"dataset\":",
            (unsigned long long)c->strategy.seed, c->budget);
    json_string(f, c->dataset);
    fprintf(f, ",\"F\":%d,\"N\":%d,\"epochs\":%d,\"train_size\":%lld,"
               "\"val_size\":%lld,\"batch\":%d,\"lr\":%s,\"momentum\":%s,"
               "\"weight_decay\":%s,",
            c->train.F, c->train.N, c->train.epochs, (long long)c->train_size,
            (long long)c->val_size, c->train.batch, lr, mom, wd);
    fprintf(f, "\"threads\":%d,\"retrain_duplicates\":%s,"
               "\"bn_recalibrate\":%s,\"recal_images\":%d,"
               "\"weight_sharing\":%s,\"ws_steps\":%d,\"ws_samples\":%d,"
               "\"ws_panel\":%d,\"streams\":\"%s\",\"space_version\":%d,"
               "\"reward\":\"%s\",\"strategy_params\":%s}",
            c->train.threads, c->retrain_duplicates ? "true" : "false",
            c->train.bn_recalibrate ? "true" : "false",
            c->train.recal_images, c->weight_sharing ? "true" : "false",
            c->weight_sharing ? c->ws_steps : 0,
            c->weight_sharing ? c->ws_samples : 0,
            c->weight_sharing ? c->ws_panel : 0,
            strategy_streams_name(c->strategy.streams), GENO_SPACE_VERSION,
            c->reward[0] ? c->reward : "accuracy", strat);
    fclose(f);
    if (len >= n) {
        free(text);
        return nv_error_set(err, NV_ERR_USAGE, "settings too long to store");
    }
    memcpy(buf, text, len + 1);
    free(text);
    return NV_OK;
}

/* ---- datasets and the strategy ------------------------------------------ */

static void resources_free(SearchResources *res)
{
    evaluator_free(res->ev); /* first: the workers share the datasets */
    shared_free(res->shared);
    dataset_free(res->train);
    dataset_free(res->val);
    strategy_free(res->strat);
}

uint64_t search_split_seed(const SearchConfig *c)
{
    Rng r;
    rng_seed(&r, strategy_stream_seed(&c->strategy), SEARCH_STREAM_SPLIT);
    return rng_next(&r);
}

static NvStatus load_data(const SearchConfig *c, SearchResources *res,
                          NvError *err)
{
    Dataset *full = NULL;
    NvStatus st;
    if ((st = dataset_load(c->dataset, DATASET_TRAIN, &full, err)))
        return st;
    /* a zero-cost search draws its train subset as `nasview fidelity
     * --seed S` does (reward_metric.h) */
    st = dataset_split(full, c->train_size, c->val_size,
                       reward_metric_is_accuracy(c->reward)
                           ? search_split_seed(c)
                           : c->strategy.seed,
                       &res->train, &res->val, err);
    dataset_free(full);
    return st;
}

/* unique_name - "<strategy>-<seed>" ("<strategy>-ws-<seed>" with weight
 * sharing), then "-2", "-3", ... until free. */
static NvStatus unique_name(Store *st, const SearchConfig *c, char *name,
                            size_t n, NvError *err)
{
    StoreSearch tmp;
    NvError e2;
    for (int k = 1; k < 10000; k++) {
        NvStatus r;
        const char *ws = c->weight_sharing ? "-ws" : "";
        if (k == 1)
            snprintf(name, n, "%s%s-%llu", strategy_kind_name(c->strategy.kind),
                     ws, (unsigned long long)c->strategy.seed);
        else
            snprintf(name, n, "%s%s-%llu-%d",
                     strategy_kind_name(c->strategy.kind), ws,
                     (unsigned long long)c->strategy.seed, k);
        r = store_search_find(st, name, &tmp, &e2);
        if (r == NV_ERR_NOT_FOUND)
            return NV_OK;
        if (r != NV_OK) {
            *err = e2;
            return r;
        }
    }
    return nv_error_set(err, NV_ERR_USAGE, "no free name; give --name");
}

NvStatus search_run(Store *st, const SearchConfig *cfg,
                    const SearchHooks *hooks, int64_t *id_out, NvError *err)
{
    SearchConfig one = *cfg;
    const SearchConfig *c = &one;
    SearchResources res = { NULL, NULL, NULL, NULL, NULL };
    StoreSearch row;
    uint8_t *state = NULL;
    size_t len = 0;
    int64_t id = 0;
    NvStatus r;

    if (c->budget < 1)
        return nv_error_set(err, NV_ERR_USAGE, "--budget must be at least 1");
    if ((r = search_config_check(c, err)))
        return r;
    /* Each worker trains one child with one thread (stored as such, so a
     * resume with any number of workers trains the same way).  A
     * weight-sharing search has no workers (search_batch.c invariant 7). */
    if ((hooks->workers > 1 || hooks->mpi) && !c->weight_sharing)
        one.train.threads = 1;
    memset(&row, 0, sizeof row);
    if (cfg->name[0])
        snprintf(row.name, sizeof row.name, "%s", cfg->name);
    else if ((r = unique_name(st, c, row.name, sizeof row.name, err)))
        return r;
    /* Check every setting before the search exists. */
    if (!(res.strat = strategy_new(&c->strategy, err)))
        return err->status ? err->status : NV_ERR_USAGE;
    if ((r = load_data(c, &res, err)) ||
        (r = search_shared_make(c, &res, err)))
        goto out;
    snprintf(row.strategy, sizeof row.strategy, "%s",
             strategy_kind_name(c->strategy.kind));
    row.seed = c->strategy.seed;
    row.budget = c->budget;
    snprintf(row.dataset, sizeof row.dataset, "%s", cfg->dataset);
    row.F = c->train.F;
    row.N = c->train.N;
    row.epochs = c->train.epochs;
    row.batch = c->train.batch;
    row.threads = c->train.threads;
    {
        char lr[32];
        num_text(lr, sizeof lr, c->train.lr);
        row.lr = strtod(lr, NULL); /* reads back as the same float */
    }
    row.train_size = c->train_size;
    row.val_size = c->val_size;
    row.retrain_duplicates = c->retrain_duplicates;
    row.bn_recalibrate = c->train.bn_recalibrate;
    snprintf(row.reward_kind, sizeof row.reward_kind, "%s",
             c->weight_sharing ? "shared" : "standalone");
    row.ws_steps = c->weight_sharing ? c->ws_steps : 0;
    row.ws_samples = c->weight_sharing ? c->ws_samples : 0;
    row.ws_panel = c->weight_sharing ? c->ws_panel : 0;
    snprintf(row.streams, sizeof row.streams, "%s",
             strategy_streams_name(c->strategy.streams));
    row.space_version = GENO_SPACE_VERSION;
    snprintf(row.reward_metric, sizeof row.reward_metric, "%.15s",
             c->reward[0] ? c->reward : "accuracy");
    if ((r = settings_json(c, row.settings, sizeof row.settings, err)) ||
        (r = store_search_create(st, &row, &id, err)))
        goto out;
    if (id_out)
        *id_out = id;
    {
        StoreEnv env;
        search_env_collect(hooks->workers, one.train.threads, &env);
        if ((r = store_search_env_put(st, id, &env, err))) {
            NvError e2;
            store_search_set_status(st, id, SEARCH_FAILED, err->msg, &e2);
            goto out;
        }
    }
    if ((r = strategy_save(res.strat, &state, &len, err)) ||
        (r = store_state_save(st, id, -1, state, len, err))) {
        NvError e2;
        store_search_set_status(st, id, SEARCH_FAILED, err->msg, &e2);
        goto out;
    }
    r = search_loop(st, id, 0, c, &res, hooks, err);
out:
    free(state);
    resources_free(&res);
    return r;
}

NvStatus search_resume(Store *st, const char *key, const SearchHooks *hooks,
                       int ws_panel, int64_t *id_out, NvError *err)
{
    SearchResources res = { NULL, NULL, NULL, NULL, NULL };
    StoreSearch row;
    SearchConfig c;
    uint8_t *state = NULL;
    size_t len = 0;
    int after = -1;
    NvStatus r;

    if ((r = store_search_find(st, key, &row, err)) ||
        (r = config_from_row(st, &row, &c, err)))
        return r;
    if (id_out)
        *id_out = row.id;
    if (ws_panel >= 0) {
        if (!c.weight_sharing)
            return nv_error_set(err, NV_ERR_USAGE,
                                "'%s' is a stand-alone search: --ws-panel "
                                "is for weight-sharing searches",
                                row.name);
        c.ws_panel = ws_panel;
    }
    if (!(res.strat = strategy_new(&c.strategy, err)))
        return err->status ? err->status : NV_ERR_USAGE;
    if ((r = store_state_load(st, row.id, &after, &state, &len, err)) ||
        (r = strategy_load(res.strat, state, len, err))) {
        nv_error_prefix(err, "cannot resume '%s'", row.name);
        goto out;
    }
    if ((r = load_data(&c, &res, err)) ||
        (r = search_shared_make(&c, &res, err)))
        goto out;
    if (c.weight_sharing) {
        /* search_batch.c invariant 7: the last round's checkpoint */
        uint8_t *wbuf = NULL;
        size_t wlen = 0;
        int rounds = 0;
        r = store_shared_load(st, row.id, &rounds, &wbuf, &wlen, err);
        if (r == NV_OK)
            r = shared_load(res.shared, rounds, wbuf, wlen, err);
        else if (r == NV_ERR_NOT_FOUND)
            r = NV_OK; /* stopped before its first round ended */
        free(wbuf);
        if (r) {
            nv_error_prefix(err, "cannot resume '%s'", row.name);
            goto out;
        }
    }
    if ((r = store_search_claim(st, row.id, ws_panel >= 0, err)) ||
        (ws_panel >= 0 &&
         (r = store_search_set_ws_panel(st, row.id, ws_panel, err))))
        goto out;
    r = search_loop(st, row.id, after + 1, &c, &res, hooks, err);
out:
    free(state);
    resources_free(&res);
    return r;
}
