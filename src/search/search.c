/* search.c - the headless search loop (search.h).
 *
 * One iteration, for sample idx:
 *   propose (strategy) -> store_sample_start (row + 50 decisions, one
 *   transaction) -> train the child, or reuse the reward of an equal
 *   architecture already trained in this search -> observe (strategy) ->
 *   snapshot the strategy -> store_sample_finish (result + snapshot, one
 *   transaction).
 *
 * Invariants:
 *  1. The strategy snapshot in the file is always the state right after
 *     observing the last finished sample (or the initial state), because
 *     both are committed together.  A resume loads it and proposes
 *     idx = after_sample + 1; proposals depend only on that state, so they
 *     equal those of an uninterrupted run.
 *  2. Everything random a child depends on comes from the search seed
 *     through fixed RNG streams: the data split from SEARCH_STREAM_SPLIT,
 *     child idx's weights and batch order from SEARCH_STREAM_CHILD + idx.
 *     A child retrained after an interruption gets the same reward.
 *  3. No transaction is open while a child trains or while the search is
 *     paused; progress points are single INSERTs written at most about once
 *     a second (and at epoch ends).
 *  4. A stop (hooks->stop) ends training within one batch: the child is
 *     marked interrupted, the search interrupted, and nothing the strategy
 *     did after the last snapshot survives (it is recomputed on resume).
 *  5. Weight sharing (shared.h): sample idx belongs to round idx /
 *     ws_samples.  Before the first sample of round r the shared weights
 *     are trained (phase a) unless the checkpoint already holds r + 1
 *     rounds, and the checkpoint (supernet values and momentum, rounds
 *     r + 1) is written as soon as that phase ends.  Scoring a sample
 *     (phase b) reads the shared weights without changing them, so the
 *     checkpoint of round r is valid for all of round r's samples: a
 *     resume loads it and the strategy snapshot and goes on exactly.
 *     A shared-weight search never reuses the reward of a duplicate (the
 *     weights have moved on since).
 *  6. The fidelity panel of a weight-sharing search comes after its last
 *     sample and before it is done: its picks depend only on the stored
 *     samples and the seed (SEARCH_STREAM_PANEL), each is trained as a
 *     stand-alone child with the seed sample idx would have had, and each
 *     result is committed alone, so a resume trains only those missing. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/dataset.h"
#include "space/genotype.h"
#include "base/jsonw.h"
#include "base/text.h"
#include "search/search.h"
#include "search/search_impl.h"

/* The data split's RNG stream (invariant 2; the others are in
 * search_impl.h). */
#define SEARCH_STREAM_SPLIT 0x53504c4954ull       /* "SPLIT" */

/* How often a training child's progress is written (seconds). */
#define SEARCH_PROGRESS_PERIOD 1.0

double search_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

SearchConfig search_config_default(StrategyKind kind, uint64_t seed)
{
    SearchConfig c;
    memset(&c, 0, sizeof c);
    c.strategy = strategy_config_default(kind, seed);
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

int search_stopping(const Loop *l)
{
    return l->hooks->stop && *l->hooks->stop;
}

/* search_human_line - redraw the one status line on the terminal. */
void search_human_line(Loop *l, const char *fmt, ...)
{
    va_list ap;
    char line[512];
    FILE *f = l->hooks->human;
    if (!f)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* a final newline ends the line; text_put would escape it */
    size_t len = strlen(line);
    int newline = len > 0 && line[len - 1] == '\n';
    if (newline)
        line[len - 1] = '\0';
    fputs("\r\033[K", f);
    text_put(f, line);
    if (newline)
        fputc('\n', f);
    fflush(f);
}

/* search_complain - a failure the search survives, on stderr. */
static void search_complain(const NvError *err, const char *what)
{
    fputs("nasview search: ", stderr);
    text_put(stderr, err->msg);
    fprintf(stderr, "%s\n", what);
}

static void format_eta(char *buf, size_t n, double s)
{
    if (!(s >= 0) || s > 1e7)
        snprintf(buf, n, "?");
    else if (s >= 3600)
        snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
    else
        snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

/* search_pause_here - wait while hooks->pause is set (invariant 3: no transaction
 * open); the search shows as paused meanwhile. */
void search_pause_here(Loop *l)
{
    NvError err;
    if (!l->hooks->pause || !*l->hooks->pause || search_stopping(l))
        return;
    if (store_search_set_status(l->st, l->id, SEARCH_PAUSED,
                                "paused (SIGUSR1); SIGUSR2 resumes", &err))
        search_complain(&err, "");
    search_human_line(l, "paused at sample %d (send SIGUSR2 to resume)", l->idx);
    while (*l->hooks->pause && !search_stopping(l))
        sleep_ms(50);
    if (store_search_set_status(l->st, l->id, SEARCH_RUNNING, "", &err))
        search_complain(&err, "");
}

static int on_progress(const TrainProgress *p, void *ctx)
{
    Loop *l = ctx;
    double now;
    int64_t per_epoch;
    int epoch_end;

    if (search_stopping(l))
        return 1;
    search_pause_here(l);
    if (search_stopping(l))
        return 1;
    now = search_mono_s();
    per_epoch = p->epochs > 0 ? p->steps / p->epochs : p->steps;
    epoch_end = per_epoch > 0 && p->step > 0 && !p->evaluating &&
                p->step % per_epoch == 0;
    if (epoch_end || now - l->last_write >= SEARCH_PROGRESS_PERIOD ||
        l->last_epoch < 0) {
        StoreProgress pt = { l->idx, p->epoch, p->epochs, p->step, p->steps,
                             p->loss, p->train_acc, p->images_per_s,
                             p->elapsed_s, p->eta_s, p->evaluating, epoch_end,
                             0 };
        NvError err;
        if (store_progress_write(l->st, l->id, &pt, &err) && !l->write_failed) {
            /* The search goes on: progress is for watching only. */
            search_complain(&err, " (progress not recorded)");
            l->write_failed = 1;
        }
        l->last_write = now;
        l->last_epoch = p->epoch;
    }
    if (l->hooks->human && now - l->last_human >= SEARCH_HUMAN_PERIOD) {
        char best[32], eta[32];
        double per = l->done_this_run > 0 ? (now - l->t0) / l->done_this_run
                                          : p->elapsed_s + p->eta_s;
        int left = l->row->budget - l->idx;
        if (isnan(l->row->best_reward))
            snprintf(best, sizeof best, "-");
        else
            snprintf(best, sizeof best, "%.4f", l->row->best_reward);
        format_eta(eta, sizeof eta, per * left - p->elapsed_s);
        search_human_line(l,
                   "sample %d (%d of %d)  epoch %d/%d  step %lld/%lld  "
                   "loss %.4f%s  best %s  ETA %s",
                   l->idx, l->idx + 1, l->row->budget, p->epoch + 1, p->epochs,
                   (long long)p->step, (long long)p->steps, p->loss,
                   p->evaluating ? "  (validating)" : "", best, eta);
        l->last_human = now;
    }
    return search_stopping(l);
}

/* ---- configuration from the database ----------------------------------- */

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
    /* "standalone" for a search made before schema 5 */
    c->weight_sharing = strcmp(row->reward_kind, "shared") == 0;
    if (c->weight_sharing) {
        c->ws_steps = row->ws_steps;
        c->ws_samples = row->ws_samples;
        c->ws_panel = row->ws_panel;
    }
    if ((r = store_search_params(st, row->id, apply_param, &c->strategy, err)))
        nv_error_prefix(err, "search '%s': stored strategy settings",
                        row->name);
    return r;
}

/* float_text - the shortest decimal that reads back as x ("0.05", not
 * "0.0500000007"), so stored settings look like what was typed. */
static void float_text(char *buf, size_t n, float x)
{
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, n, "%.*g", prec, (double)x);
        if ((float)strtod(buf, NULL) == x)
            return;
    }
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
    float_text(lr, sizeof lr, c->train.lr);
    float_text(mom, sizeof mom, c->train.momentum);
    float_text(wd, sizeof wd, c->train.weight_decay);
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
               "\"ws_panel\":%d,\"strategy_params\":%s}",
            c->train.threads, c->retrain_duplicates ? "true" : "false",
            c->train.bn_recalibrate ? "true" : "false",
            c->train.recal_images, c->weight_sharing ? "true" : "false",
            c->weight_sharing ? c->ws_steps : 0,
            c->weight_sharing ? c->ws_samples : 0,
            c->weight_sharing ? c->ws_panel : 0, strat);
    fclose(f);
    if (len >= n) {
        free(text);
        return nv_error_set(err, NV_ERR_USAGE, "settings too long to store");
    }
    memcpy(buf, text, len + 1);
    free(text);
    return NV_OK;
}

/* ---- the loop ------------------------------------------------------------- */


static void resources_free(Resources *res)
{
    shared_free(res->shared);
    dataset_free(res->train);
    dataset_free(res->val);
    strategy_free(res->strat);
}

static NvStatus load_data(const SearchConfig *c, Resources *res, NvError *err)
{
    Dataset *full = NULL;
    Rng r;
    NvStatus st;
    if ((st = dataset_load(c->dataset, DATASET_TRAIN, &full, err)))
        return st;
    rng_seed(&r, c->strategy.seed, SEARCH_STREAM_SPLIT);
    st = dataset_split(full, c->train_size, c->val_size, rng_next(&r),
                       &res->train, &res->val, err);
    dataset_free(full);
    return st;
}

/* finish_sample - observe, snapshot and commit sample sm (invariant 1). */
static NvStatus finish_sample(Loop *l, Strategy *strat, const Proposal *p,
                              StoreSample *sm, NvError *err)
{
    uint8_t *state = NULL;
    size_t len = 0;
    NvStatus r;
    double reward = isnan(sm->reward) ? 0.0 : sm->reward;
    if ((r = strategy_observe(strat, p, reward, err)) ||
        (r = strategy_save(strat, &state, &len, err)))
        return r;
    r = store_sample_finish(l->st, l->id, sm, state, len, err);
    free(state);
    return r;
}

/* run_one - sample l->idx from proposal to commit. */
static NvStatus run_one(Loop *l, const SearchConfig *c, Resources *res,
                        NvError *err)
{
    Proposal p;
    StoreSample sm, prev;
    StoreDecision dec[GENO_DECISIONS];
    Genotype canon;
    TrainConfig tc = c->train;
    TrainResult tr;
    Rng r;
    NvStatus st;
    int found = 0;

    if ((st = strategy_propose(res->strat, &p, err)))
        return st;
    canon = p.genotype;
    geno_canonicalize(&canon);
    memset(&sm, 0, sizeof sm);
    sm.idx = l->idx;
    geno_format(&canon, sm.genotype, sizeof sm.genotype);
    geno_hash_hex(&canon, sm.hash);
    sm.log_prob = p.log_prob;
    sm.entropy = p.entropy;
    for (int t = 0; t < GENO_DECISIONS; t++) {
        dec[t].step = t;
        dec[t].chosen = p.decisions[t];
        memcpy(dec[t].probs, p.probs[t], sizeof dec[t].probs);
    }
    if (!c->retrain_duplicates && !c->weight_sharing &&
        (st = store_find_trained(l->st, l->id, sm.hash, &prev, &found, err)))
        return st;
    if ((st = store_sample_start(l->st, l->id, &sm, dec, err)))
        return st;

    sm.duplicate_of = -1;
    sm.params = sm.mult_adds = -1;
    sm.reward = sm.train_loss = sm.seconds = NAN;
    if (found) {
        sm.status = SAMPLE_DUPLICATE;
        sm.reward = prev.reward;
        sm.train_loss = prev.train_loss;
        sm.params = prev.params;
        sm.mult_adds = prev.mult_adds;
        sm.seconds = 0;
        sm.duplicate_of = prev.idx;
        snprintf(sm.message, sizeof sm.message,
                 "same architecture as sample %d: reward reused", prev.idx);
        return finish_sample(l, res->strat, &p, &sm, err);
    }

    if (c->weight_sharing) {
        SharedScore sc;
        if ((st = shared_score(res->shared, &canon, l->idx, &sc, err))) {
            NvError ignored;
            store_sample_abort(l->st, l->id, l->idx, SAMPLE_FAILED, err->msg,
                               &ignored);
            return st;
        }
        sm.status = SAMPLE_DONE;
        sm.reward = sc.reward;
        sm.params = sc.params;
        sm.mult_adds = sc.mult_adds;
        sm.seconds = sc.seconds;
        snprintf(sm.message, sizeof sm.message,
                 "shared weights, round %d: validation batch loss %.4f",
                 shared_round_of(res->shared, l->idx), (double)sc.loss);
        return finish_sample(l, res->strat, &p, &sm, err);
    }
    rng_seed(&r, c->strategy.seed, SEARCH_STREAM_CHILD + (uint64_t)l->idx);
    tc.seed = rng_next(&r);
    l->last_epoch = -1;
    l->last_write = 0;
    memset(&tr, 0, sizeof tr);
    st = train_child(&canon, &tc, res->train, res->val, NULL, on_progress, l,
                     &tr, err);
    if (st) {
        NvError ignored;
        store_sample_abort(l->st, l->id, l->idx, SAMPLE_FAILED, err->msg,
                           &ignored);
        return st;
    }
    if (tr.interrupted || search_stopping(l)) {
        NvError ignored;
        store_sample_abort(l->st, l->id, l->idx, SAMPLE_INTERRUPTED,
                           "stopped by a signal while training", &ignored);
        return nv_error_set(err, NV_ERR_INTERRUPTED,
                            "stopped by signal %d during sample %d",
                            l->hooks->stop ? (int)*l->hooks->stop : 0, l->idx);
    }
    sm.status = tr.diverged ? SAMPLE_DIVERGED : SAMPLE_DONE;
    sm.reward = tr.diverged ? 0.0 : tr.val_acc;
    sm.train_loss = tr.train_loss;
    sm.params = tr.params;
    sm.mult_adds = tr.mult_adds;
    sm.seconds = tr.seconds;
    if (tr.diverged)
        snprintf(sm.message, sizeof sm.message,
                 "training loss became NaN or infinite");
    return finish_sample(l, res->strat, &p, &sm, err);
}

/* loop - run samples from `from` to the budget; sets the final status. */
static NvStatus loop(Store *st, int64_t id, int from, const SearchConfig *c,
                     Resources *res, const SearchHooks *hooks, NvError *err)
{
    StoreSearch row;
    Loop l;
    NvStatus r = NV_OK;

    memset(&l, 0, sizeof l);
    l.st = st;
    l.hooks = hooks;
    l.id = id;
    l.row = &row;
    l.t0 = search_mono_s();
    for (l.idx = from; l.idx < c->budget; l.idx++) {
        if ((r = store_search_get(st, id, &row, err)))
            break;
        search_pause_here(&l);
        if (search_stopping(&l)) {
            r = nv_error_set(err, NV_ERR_INTERRUPTED,
                             "stopped by signal %d before sample %d",
                             (int)*hooks->stop, l.idx);
            break;
        }
        if (c->weight_sharing &&
            (r = search_shared_phase(&l, res, err)))
            break;
        if ((r = run_one(&l, c, res, err)))
            break;
        l.done_this_run++;
        if (hooks->human) {
            StoreSample sm;
            NvError e2;
            if (store_sample_get(st, id, l.idx, &sm, NULL, NULL, &e2) == NV_OK)
                search_human_line(&l, "sample %d (%d of %d)  %-9s reward %.4f  "
                               "params %lld  %.1f s\n",
                           l.idx, l.idx + 1, c->budget,
                           store_sample_status_name(sm.status), sm.reward,
                           (long long)sm.params,
                           isnan(sm.seconds) ? 0.0 : sm.seconds);
        }
    }
    if (r == NV_OK && c->weight_sharing && c->ws_panel > 0) {
        if ((r = store_search_get(st, id, &row, err)) == NV_OK)
            r = search_panel(&l, c, res, err);
    }
    if (hooks->human)
        search_human_line(&l, "%s", "");
    {
        NvError e2;
        NvStatus w;
        if (r == NV_OK)
            w = store_search_set_status(st, id, SEARCH_DONE, "", &e2);
        else
            w = store_search_set_status(st, id,
                                        r == NV_ERR_INTERRUPTED
                                            ? SEARCH_INTERRUPTED
                                            : SEARCH_FAILED,
                                        err->msg, &e2);
        if (w && r == NV_OK) {
            *err = e2;
            r = w;
        }
    }
    return r;
}

/* unique_name - "<strategy>-<seed>", then "-2", "-3", ... until free. */
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

NvStatus search_run(Store *st, const SearchConfig *c, const SearchHooks *hooks,
                    int64_t *id_out, NvError *err)
{
    Resources res = { NULL, NULL, NULL, NULL };
    StoreSearch row;
    uint8_t *state = NULL;
    size_t len = 0;
    int64_t id = 0;
    NvStatus r;

    if (c->budget < 1)
        return nv_error_set(err, NV_ERR_USAGE, "--budget must be at least 1");
    if ((r = search_config_check(c, err)))
        return r;
    memset(&row, 0, sizeof row);
    if (c->name[0])
        snprintf(row.name, sizeof row.name, "%s", c->name);
    else if ((r = unique_name(st, c, row.name, sizeof row.name, err)))
        return r;
    /* Check every setting before the search exists. */
    if (!(res.strat = strategy_new(&c->strategy, err)))
        return err->status ? err->status : NV_ERR_USAGE;
    if ((r = load_data(c, &res, err)) || (r = search_shared_make(c, &res, err)))
        goto out;
    snprintf(row.strategy, sizeof row.strategy, "%s",
             strategy_kind_name(c->strategy.kind));
    row.seed = c->strategy.seed;
    row.budget = c->budget;
    snprintf(row.dataset, sizeof row.dataset, "%s", c->dataset);
    row.F = c->train.F;
    row.N = c->train.N;
    row.epochs = c->train.epochs;
    row.batch = c->train.batch;
    row.threads = c->train.threads;
    {
        char lr[32];
        float_text(lr, sizeof lr, c->train.lr);
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
    if ((r = settings_json(c, row.settings, sizeof row.settings, err)) ||
        (r = store_search_create(st, &row, &id, err)))
        goto out;
    if (id_out)
        *id_out = id;
    if ((r = strategy_save(res.strat, &state, &len, err)) ||
        (r = store_state_save(st, id, -1, state, len, err))) {
        NvError e2;
        store_search_set_status(st, id, SEARCH_FAILED, err->msg, &e2);
        goto out;
    }
    r = loop(st, id, 0, c, &res, hooks, err);
out:
    free(state);
    resources_free(&res);
    return r;
}

NvStatus search_resume(Store *st, const char *key, const SearchHooks *hooks,
                       int64_t *id_out, NvError *err)
{
    Resources res = { NULL, NULL, NULL, NULL };
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
    if (!(res.strat = strategy_new(&c.strategy, err)))
        return err->status ? err->status : NV_ERR_USAGE;
    if ((r = store_state_load(st, row.id, &after, &state, &len, err)) ||
        (r = strategy_load(res.strat, state, len, err))) {
        nv_error_prefix(err, "cannot resume '%s'", row.name);
        goto out;
    }
    if ((r = load_data(&c, &res, err)) || (r = search_shared_make(&c, &res, err)))
        goto out;
    if (c.weight_sharing) {
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
    if ((r = store_search_claim(st, row.id, err)))
        goto out;
    r = loop(st, row.id, after + 1, &c, &res, hooks, err);
out:
    free(state);
    resources_free(&res);
    return r;
}
