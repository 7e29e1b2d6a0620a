/* search_batch.c - the search loop proper (search_loop.h): batches of
 * samples from proposal to snapshot, and the hooks the evaluator calls.
 *
 * The loop runs in batches.  One batch, of the samples start .. start+n-1
 * (n = strategy_batch_size, or the evaluator's slots for a strategy that
 * takes any number):
 *   propose all n (strategy) -> for each, in proposal order: reuse a result
 *   already in the file (a resumed batch), reuse the reward of an equal
 *   architecture trained earlier (a duplicate), wait for an equal one of
 *   this batch, or submit it to the evaluator -> collect results as they
 *   finish; each is committed on its own (store_sample_start when it begins
 *   training, store_sample_finish when it ends) -> observe all n in
 *   proposal order (strategy) -> snapshot the strategy (store_state_save,
 *   after_sample = start+n-1).
 *
 * Invariants:
 *  1. The strategy snapshot in the file is always the state at a batch
 *     boundary: right after observing the last sample of a whole batch (or
 *     the initial state).  A resume loads it and proposes the batch from
 *     idx = after_sample + 1 again; proposals depend only on that state, so
 *     they equal those of an uninterrupted run, and the samples of that
 *     batch already finished in the file are reused (same hash, checked)
 *     instead of trained again.  Batch boundaries depend on the strategy's
 *     settings, never on the number of workers, except for random search,
 *     whose proposals do not depend on where batches end.
 *  2. Everything random a child depends on comes from the search seed
 *     through fixed RNG streams of strategy_stream_seed (the seed itself
 *     with common streams, one derived from seed and strategy with
 *     independent ones): the data split from SEARCH_STREAM_SPLIT,
 *     child idx's weights and batch order from SEARCH_STREAM_CHILD + idx.
 *     A child's reward does not depend on the evaluator, on when it is
 *     trained or on how often (a retried or resumed child gets the same).
 *  3. Whether a sample is a duplicate depends only on the proposals: an
 *     architecture trained in an earlier batch is reused at once; one
 *     equal to an earlier sample of the same batch waits for it (and trains
 *     itself if that one failed).  So statuses and rewards do not depend on
 *     the order in which children finish.
 *  4. No transaction is open while a child trains or while the search is
 *     paused; progress points are single INSERTs written at most about once
 *     a second per child (and at epoch ends).  This process is the only
 *     writer: workers send their progress and results here.
 *  5. A stop (hooks->stop) ends training within one step (in-process) or
 *     at once (workers are killed): every child in flight is marked
 *     interrupted, the search interrupted, and nothing the strategy did
 *     after the last snapshot survives (it is recomputed on resume).
 *  6. A child whose worker died twice is stored as failed with the reason
 *     and observed with reward 0, like a diverged one; the search goes on.
 *     An error from training itself (train_child) still ends the search.
 *  7. Weight sharing (shared.h; search_ws.c): the batch size is 1, so the
 *     strategy snapshot follows every sample, as it did before batches.
 *     Sample idx belongs to round idx / ws_samples.  Before the first
 *     sample of round r is proposed the shared weights are trained (the
 *     phase) unless the checkpoint already holds r + 1 rounds, and the
 *     checkpoint (supernet values and momentum, rounds r + 1) is written
 *     as soon as that phase ends.  Scoring a sample reads the shared
 *     weights without changing them, so the checkpoint of round r is valid
 *     for all of round r's samples: a resume loads it and the strategy
 *     snapshot and goes on exactly.  Samples are scored in this process
 *     (no evaluator, whatever hooks->workers says), and a shared-weight
 *     search never reuses the reward of a duplicate (the weights have
 *     moved on since).
 *  8. The fidelity panel of a weight-sharing search comes after its last
 *     sample and before it is done: its picks depend only on the stored
 *     samples and the seed (SEARCH_STREAM_PANEL), each is trained as a
 *     stand-alone child in this process with the seed sample idx would
 *     have had, and scored with the final shared weights (the checkpoint
 *     of the last round, which a resume loads) on the same validation
 *     images as every other member; each result is committed alone, so
 *     a resume trains only those missing. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/text.h"
#include "space/genotype.h"
#include "search/evaluator_mpi.h"
#include "search/search_loop.h"
#include "train/reward_metric.h"
#include "train/train.h"

/* How often a training child's progress is written (seconds). */
#define SEARCH_PROGRESS_PERIOD 1.0

typedef enum {
    ITEM_TRAIN = 0, /* submitted to the evaluator (or about to be) */
    ITEM_WAIT,      /* equal to item wait_for of this batch, waits for it */
    ITEM_DONE       /* finished: sm is its stored row, reward observed */
} ItemState;

/* One sample of the batch in flight. */
typedef struct SearchItem {
    Proposal p;
    Genotype canon;
    StoreSample sm;
    StoreDecision dec[GENO_DECISIONS];
    ItemState state;
    int wait_for;       /* ITEM_WAIT: position of the original */
    int started;        /* its row is in the file */
    double reward;      /* what the strategy observes */
    double last_write;  /* monotonic time of its last progress point */
    int last_epoch;
} Item;


static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
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
    /* the line's own end stays a line end; anything else is escaped */
    size_t len = strlen(line);
    int ends = len > 0 && line[len - 1] == '\n';
    fputs("\r\033[K", f);
    text_putn(f, line, len - (size_t)ends);
    if (ends)
        fputc('\n', f);
    fflush(f);
}

/* search_complain - a failure the search survives, on stderr. */
static void search_complain(const char *msg, const char *what)
{
    fputs("nasview search: ", stderr);
    text_put(stderr, msg);
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

/* on_poll - the evaluator asks whether to go on (EvalHooks.poll): a stop
 * stops, a pause holds training with the search shown as paused
 * (invariant 4: no transaction open meanwhile). */
static EvalPoll on_poll(void *ctx)
{
    Loop *l = ctx;
    NvError err;
    if (search_stopping(l))
        return EVAL_STOP;
    if (l->hooks->pause && *l->hooks->pause) {
        if (!l->paused) {
            if (store_search_set_status(l->st, l->id, SEARCH_PAUSED,
                                        "paused (SIGUSR1); SIGUSR2 resumes",
                                        &err))
                search_complain(err.msg, "");
            search_human_line(l,
                              "paused at sample %d (send SIGUSR2 to resume)",
                              l->start);
            l->paused = 1;
        }
        return EVAL_HOLD;
    }
    if (l->paused) {
        if (store_search_set_status(l->st, l->id, SEARCH_RUNNING, "", &err))
            search_complain(err.msg, "");
        l->paused = 0;
    }
    return EVAL_GO;
}

/* search_pause_here - between batches (and during a weight-sharing
 * search's own training): wait while a pause is asked for. */
void search_pause_here(Loop *l)
{
    while (on_poll(l) == EVAL_HOLD)
        sleep_ms(50);
}

static Item *item_of(Loop *l, int idx)
{
    int i = idx - l->start;
    return i >= 0 && i < l->n ? &l->items[i] : NULL;
}

/* on_start - child idx begins training: its row and decisions go in. */
static NvStatus on_start(void *ctx, int idx, NvError *err)
{
    Loop *l = ctx;
    Item *it = item_of(l, idx);
    NvStatus r;
    if (!it)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "evaluator started sample %d outside the batch",
                            idx);
    if ((r = store_sample_start(l->st, l->id, &it->sm, it->dec, err)))
        return r;
    it->started = 1;
    it->last_epoch = -1;
    it->last_write = 0;
    return NV_OK;
}

static void on_progress(void *ctx, int idx, const TrainProgress *p)
{
    Loop *l = ctx;
    Item *it = item_of(l, idx);
    double now;
    int64_t per_epoch;
    int epoch_end;

    if (!it)
        return;
    now = clock_now_s();
    per_epoch = p->epochs > 0 ? p->steps / p->epochs : p->steps;
    epoch_end = per_epoch > 0 && p->step > 0 && !p->evaluating &&
                p->step % per_epoch == 0;
    if (epoch_end || now - it->last_write >= SEARCH_PROGRESS_PERIOD ||
        it->last_epoch < 0) {
        StoreProgress pt = { idx, p->epoch, p->epochs, p->step, p->steps,
                             p->loss, p->train_acc, p->images_per_s,
                             p->elapsed_s, p->eta_s, p->evaluating, epoch_end,
                             0 };
        NvError err;
        if (store_progress_write(l->st, l->id, &pt, &err) && !l->write_failed) {
            /* The search goes on: progress is for watching only. */
            search_complain(err.msg, " (progress not recorded)");
            l->write_failed = 1;
        }
        it->last_write = now;
        it->last_epoch = p->epoch;
    }
    if (l->hooks->human && now - l->last_human >= SEARCH_HUMAN_PERIOD) {
        char best[32], eta[32];
        double per = l->done_this_run > 0 ? (now - l->t0) / l->done_this_run
                                          : p->elapsed_s + p->eta_s;
        int left = l->row.budget - idx;
        if (isnan(l->row.best_reward))
            snprintf(best, sizeof best, "-");
        else
            snprintf(best, sizeof best, "%.4f", l->row.best_reward);
        int training = 0;
        char more[32] = "";
        for (int i = 0; i < l->n; i++)
            training += l->items[i].started &&
                        l->items[i].state == ITEM_TRAIN;
        if (training > 1)
            snprintf(more, sizeof more, "  (+%d training)", training - 1);
        format_eta(eta, sizeof eta, per * left - p->elapsed_s);
        search_human_line(l,
                   "sample %d (%d of %d)  epoch %d/%d  step %lld/%lld  "
                   "loss %.4f%s%s  best %s  ETA %s",
                   idx, idx + 1, l->row.budget, p->epoch + 1, p->epochs,
                   (long long)p->step, (long long)p->steps, p->loss,
                   p->evaluating ? "  (validating)" : "", more, best, eta);
        l->last_human = now;
    }
}

/* item_done - item it has its final row in it->sm: note the reward the
 * strategy will observe and tell a person. */
static void item_done(Loop *l, Item *it)
{
    it->state = ITEM_DONE;
    it->reward = isnan(it->sm.reward) ? 0.0 : it->sm.reward;
    l->done_this_run++;
    if (l->hooks->human && !reward_metric_is_accuracy(l->c->reward))
        search_human_line(l, "sample %d (%d of %d)  %-9s %s %.6g  "
                      "params %lld  %.3f s\n",
                   it->sm.idx, it->sm.idx + 1, l->c->budget,
                   store_sample_status_name(it->sm.status),
                   reward_metric_label(l->c->reward), it->reward,
                   (long long)it->sm.params,
                   isnan(it->sm.seconds) ? 0.0 : it->sm.seconds);
    else if (l->hooks->human)
        search_human_line(l, "sample %d (%d of %d)  %-9s reward %.4f  "
                      "params %lld  %.1f s\n",
                   it->sm.idx, it->sm.idx + 1, l->c->budget,
                   store_sample_status_name(it->sm.status), it->reward,
                   (long long)it->sm.params,
                   isnan(it->sm.seconds) ? 0.0 : it->sm.seconds);
}

/* finish_duplicate - store it as a duplicate of the trained sample prev
 * (its reward reused) in two transactions, as any sample. */
static NvStatus finish_duplicate(Loop *l, Item *it, const StoreSample *prev,
                                 NvError *err)
{
    NvStatus r;
    if ((r = store_sample_start(l->st, l->id, &it->sm, it->dec, err)))
        return r;
    it->started = 1;
    it->sm.status = SAMPLE_DUPLICATE;
    it->sm.reward = prev->reward;
    it->sm.train_loss = prev->train_loss;
    it->sm.params = prev->params;
    it->sm.mult_adds = prev->mult_adds;
    it->sm.seconds = 0;
    it->sm.duplicate_of = prev->idx;
    snprintf(it->sm.message, sizeof it->sm.message,
             "same architecture as sample %d: reward reused", prev->idx);
    if ((r = store_sample_finish(l->st, l->id, &it->sm, NULL, 0, err)))
        return r;
    item_done(l, it);
    return NV_OK;
}

/* zero_cost_item - a zero-cost search: score item it here, at once, with
 * the search's seed (reward_metric.h), and store it as any sample (a
 * score that is not finite is stored as diverged, reward 0). */
static NvStatus zero_cost_item(Loop *l, Item *it, NvError *err)
{
    NvStatus r;
    double t0 = clock_now_s(), score = NAN;
    if ((r = store_sample_start(l->st, l->id, &it->sm, it->dec, err)))
        return r;
    it->started = 1;
    if ((r = reward_metric_score(l->c->reward, &it->canon, &l->c->train,
                                 l->train, l->c->strategy.seed, &score,
                                 &it->sm.params, &it->sm.mult_adds, err))) {
        NvError ignored;
        store_sample_abort(l->st, l->id, it->sm.idx, SAMPLE_FAILED, err->msg,
                           &ignored);
        return r;
    }
    it->sm.status = isfinite(score) ? SAMPLE_DONE : SAMPLE_DIVERGED;
    it->sm.reward = isfinite(score) ? score : 0.0;
    it->sm.seconds = clock_now_s() - t0;
    if (!isfinite(score))
        snprintf(it->sm.message, sizeof it->sm.message,
                 "%s score is not finite", l->c->reward);
    if ((r = store_sample_finish(l->st, l->id, &it->sm, NULL, 0, err)))
        return r;
    item_done(l, it);
    return NV_OK;
}

/* submit - hand item it to the evaluator with the child's own seed (a
 * zero-cost search scores it here instead). */
static NvStatus submit(Loop *l, Evaluator *ev, Item *it, NvError *err)
{
    EvalJob job;
    Rng r;
    if (!reward_metric_is_accuracy(l->c->reward))
        return zero_cost_item(l, it, err);
    memset(&job, 0, sizeof job);
    job.idx = it->sm.idx;
    job.genotype = it->canon;
    job.train = l->c->train;
    rng_seed(&r, strategy_stream_seed(&l->c->strategy),
             SEARCH_STREAM_CHILD + (uint64_t)it->sm.idx);
    job.train.seed = rng_next(&r);
    it->state = ITEM_TRAIN;
    return evaluator_submit(ev, &job, err);
}

/* reuse_stored - a resumed batch: when item it already finished in the
 * file (same hash, checked), take that row (*reused = 1; invariant 1). */
static NvStatus reuse_stored(Loop *l, Item *it, int *reused, NvError *err)
{
    StoreSample old;
    NvError e2;
    NvStatus r;

    *reused = 0;
    r = store_sample_get(l->st, l->id, it->sm.idx, &old, NULL, NULL, &e2);
    if (r != NV_OK && r != NV_ERR_NOT_FOUND) {
        *err = e2;
        return r;
    }
    if (r == NV_OK && store_sample_has_reward(old.status)) {
        if (strcmp(old.hash, it->sm.hash) != 0)
            return nv_error_set(err, NV_ERR_FORMAT,
                                "sample %d in the file (%s) is not what the "
                                "strategy proposes again (%s): the stored "
                                "state does not belong to these samples",
                                old.idx, old.hash, it->sm.hash);
        it->sm = old;
        it->started = 1;
        item_done(l, it);
        *reused = 1;
    }
    return NV_OK;
}

/* plan_item - decide what item i of the batch needs (invariants 1, 3). */
static NvStatus plan_item(Loop *l, Evaluator *ev, int i, NvError *err)
{
    Item *it = &l->items[i];
    StoreSample prev;
    NvStatus r;
    int found = 0, reused = 0;

    if ((r = reuse_stored(l, it, &reused, err)) || reused)
        return r;
    if (l->c->retrain_duplicates)
        return submit(l, ev, it, err);
    if ((r = store_find_trained(l->st, l->id, it->sm.hash, &prev, &found,
                                err)))
        return r;
    if (found && prev.idx < l->start)
        return finish_duplicate(l, it, &prev, err);
    for (int j = 0; j < i; j++) {
        Item *o = &l->items[j];
        if (strcmp(o->sm.hash, it->sm.hash) != 0)
            continue;
        if (o->state != ITEM_DONE) {
            it->state = ITEM_WAIT;
            it->wait_for = o->state == ITEM_WAIT ? o->wait_for : j;
            return NV_OK;
        }
        if (o->sm.status == SAMPLE_DONE || o->sm.status == SAMPLE_DIVERGED)
            return finish_duplicate(l, it, &o->sm, err);
        if (o->sm.status == SAMPLE_DUPLICATE) {
            prev = o->sm;
            prev.idx = o->sm.duplicate_of;
            return finish_duplicate(l, it, &prev, err);
        }
    }
    return submit(l, ev, it, err);
}

/* resolve_waiters - item i just finished: the items waiting for it reuse
 * its reward, or, when it failed, the first of them trains in its place
 * and the others wait for that one. */
static NvStatus resolve_waiters(Loop *l, Evaluator *ev, int i, NvError *err)
{
    const Item *o = &l->items[i];
    int heir = -1;
    NvStatus r;
    for (int k = i + 1; k < l->n; k++) {
        Item *it = &l->items[k];
        if (it->state != ITEM_WAIT || it->wait_for != i)
            continue;
        if (o->sm.status == SAMPLE_DONE || o->sm.status == SAMPLE_DIVERGED) {
            if ((r = finish_duplicate(l, it, &o->sm, err)))
                return r;
        } else if (heir < 0) {
            heir = k;
            if ((r = submit(l, ev, it, err)))
                return r;
        } else {
            it->wait_for = heir;
        }
    }
    return NV_OK;
}

/* take_result - store what the evaluator returned for one child. */
static NvStatus take_result(Loop *l, Evaluator *ev, const EvalResult *res,
                            NvError *err)
{
    Item *it = item_of(l, res->idx);
    const TrainResult *tr = &res->result;
    NvError ignored;
    NvStatus r;
    if (!it || it->state != ITEM_TRAIN || !it->started)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "evaluator returned sample %d, which is not "
                            "training (%s)",
                            res->idx,
                            !it                         ? "not in the batch"
                            : it->state != ITEM_TRAIN   ? "finished"
                                                        : "not started");
    switch (res->outcome) {
    case EVAL_ERROR:
        store_sample_abort(l->st, l->id, res->idx, SAMPLE_FAILED, res->message,
                           &ignored);
        return nv_error_set(err, res->status ? res->status : NV_ERR_RUNTIME,
                            "%s", res->message);
    case EVAL_CRASHED:
        if ((r = store_sample_abort(l->st, l->id, res->idx, SAMPLE_FAILED,
                                    res->message, err)))
            return r;
        it->sm.status = SAMPLE_FAILED;
        snprintf(it->sm.message, sizeof it->sm.message, "%s", res->message);
        fprintf(stderr, "nasview search: sample %d failed: ", res->idx);
        text_put(stderr, res->message);
        fputc('\n', stderr);
        break;
    case EVAL_TRAINED:
        it->sm.status = tr->diverged ? SAMPLE_DIVERGED : SAMPLE_DONE;
        it->sm.reward = tr->diverged ? 0.0 : tr->val_acc;
        it->sm.train_loss = tr->train_loss;
        it->sm.params = tr->params;
        it->sm.mult_adds = tr->mult_adds;
        it->sm.seconds = tr->seconds;
        if (tr->diverged)
            snprintf(it->sm.message, sizeof it->sm.message,
                     "training loss became NaN or infinite");
        if ((r = store_sample_finish(l->st, l->id, &it->sm, NULL, 0, err)))
            return r;
        break;
    }
    item_done(l, it);
    return resolve_waiters(l, ev, (int)(it - l->items), err);
}

/* interrupt_batch - mark every child of the batch that began and did not
 * finish interrupted, and say which one the stop landed in. */
static NvStatus interrupt_batch(Loop *l, NvError *err)
{
    int first = -1;
    for (int i = 0; i < l->n; i++) {
        Item *it = &l->items[i];
        NvError ignored;
        if (it->state == ITEM_DONE || !it->started)
            continue;
        store_sample_abort(l->st, l->id, it->sm.idx, SAMPLE_INTERRUPTED,
                           "stopped by a signal while training", &ignored);
        if (first < 0)
            first = it->sm.idx;
    }
    if (first < 0)
        return nv_error_set(err, NV_ERR_INTERRUPTED,
                            "stopped by signal %d before sample %d",
                            l->hooks->stop ? (int)*l->hooks->stop : 0,
                            l->start);
    return nv_error_set(err, NV_ERR_INTERRUPTED,
                        "stopped by signal %d during sample %d",
                        l->hooks->stop ? (int)*l->hooks->stop : 0, first);
}

/* shared_item - item i of a weight-sharing batch: scored with the shared
 * weights in this process, never reused as a duplicate (invariant 7). */
static NvStatus shared_item(Loop *l, SearchResources *res, int i,
                            NvError *err)
{
    Item *it = &l->items[i];
    int reused = 0;
    NvStatus r;
    if ((r = reuse_stored(l, it, &reused, err)) || reused)
        return r;
    if ((r = search_shared_score(l, res, &it->canon, &it->sm, it->dec, err)))
        return r;
    it->started = 1;
    item_done(l, it);
    return NV_OK;
}

/* rank_rewards - a zero-cost search: each item of the batch, in order,
 * observes the rank of its score among those of every earlier sample
 * (reward_metric_rank), from the loop's score history (search_scores.c),
 * to which it adds its own. */
static NvStatus rank_rewards(Loop *l, NvError *err)
{
    NvStatus r;
    if ((r = search_scores_reserve(l, l->n, err)))
        return r;
    for (int i = 0; i < l->n; i++) {
        Item *it = &l->items[i];
        double x = it->sm.reward;
        it->reward = reward_metric_rank(l->scores, l->nscores, x);
        if (store_sample_has_reward(it->sm.status) && isfinite(x))
            l->scores[l->nscores++] = x;
    }
    return NV_OK;
}

/* run_batch - samples l->start .. l->start+n-1, from proposal to the
 * snapshot after observing them (see the comment at the top). */
static NvStatus run_batch(Loop *l, SearchResources *res, NvError *err)
{
    uint8_t *state = NULL;
    size_t len = 0;
    NvStatus r;

    /* invariant 7: a round's shared training before its first proposal */
    if (res->shared && (r = search_shared_phase(l, res, err)))
        return r;
    for (int i = 0; i < l->n; i++) {
        Item *it = &l->items[i];
        memset(it, 0, sizeof *it);
        if ((r = strategy_propose(res->strat, &it->p, err)))
            return r;
        it->canon = it->p.genotype;
        geno_canonicalize(&it->canon);
        it->sm.idx = l->start + i;
        geno_format(&it->canon, it->sm.genotype, sizeof it->sm.genotype);
        geno_hash_hex(&it->canon, it->sm.hash);
        it->sm.log_prob = it->p.log_prob;
        it->sm.entropy = it->p.entropy;
        it->sm.duplicate_of = -1;
        it->sm.params = it->sm.mult_adds = -1;
        /* Known before training: stored with the running sample, so the
         * live view shows them while it trains (-1 when unmeasurable).
         * A zero-cost sample is scored at once, and its scorer measures
         * them (reward_metric_score). */
        NvError me;
        if (res->train && !res->shared &&
            reward_metric_is_accuracy(l->c->reward) &&
            train_measure(&it->canon, l->c->train.F, l->c->train.N,
                          res->train->c, res->train->h, res->train->w,
                          res->train->classes, &it->sm.params,
                          &it->sm.mult_adds, &me) != NV_OK)
            it->sm.params = it->sm.mult_adds = -1;
        it->sm.reward = it->sm.train_loss = it->sm.seconds = NAN;
        for (int t = 0; t < GENO_DECISIONS; t++) {
            it->dec[t].step = t;
            it->dec[t].chosen = it->p.decisions[t];
            memcpy(it->dec[t].probs, it->p.probs[t], sizeof it->dec[t].probs);
        }
    }
    if (res->shared) {
        for (int i = 0; i < l->n; i++)
            if ((r = shared_item(l, res, i, err)))
                return r;
    } else {
        for (int i = 0; i < l->n; i++)
            if ((r = plan_item(l, res->ev, i, err)))
                return r;
    }
    while (res->ev && evaluator_pending(res->ev) > 0) {
        EvalResult er;
        if ((r = evaluator_collect(res->ev, &er, err))) {
            if (r == NV_ERR_INTERRUPTED)
                return interrupt_batch(l, err);
            return r;
        }
        if ((r = take_result(l, res->ev, &er, err)))
            return r;
    }
    if (!reward_metric_is_accuracy(l->c->reward) &&
        (r = rank_rewards(l, err)))
        return r;
    for (int i = 0; i < l->n; i++)
        if ((r = strategy_observe(res->strat, &l->items[i].p,
                                  l->items[i].reward, err)))
            return r;
    if ((r = strategy_save(res->strat, &state, &len, err)) == NV_OK)
        r = store_state_save(l->st, l->id, l->start + l->n - 1, state, len,
                             err);
    free(state);
    return r;
}

/* make_evaluator - in this process for one worker, worker processes
 * (forked now that the datasets are loaded) for more, MPI ranks (which
 * load the data themselves from the spec) with --mpi. */
static NvStatus make_evaluator(Loop *l, SearchResources *res, NvError *err)
{
    EvalHooks eh = { on_start, on_progress, on_poll, l };
    int k = l->hooks->workers;
    if (l->hooks->mpi) {
        WireSetup su;
        memset(&su, 0, sizeof su);
        if (strlen(l->c->dataset) > WIRE_SPEC_MAX)
            return nv_error_set(err, NV_ERR_USAGE,
                                "--mpi: the dataset spec is longer than %u "
                                "bytes",
                                WIRE_SPEC_MAX);
        snprintf(su.spec, sizeof su.spec, "%s", l->c->dataset);
        su.train_size = l->c->train_size;
        su.val_size = l->c->val_size;
        su.split_seed = search_split_seed(l->c);
        res->ev = evaluator_mpi_new(&su, &eh, err);
    } else if (k <= 1)
        res->ev = evaluator_inprocess_new(res->train, res->val, &eh, err);
    else
        res->ev = evaluator_workers_new(k, res->train, res->val, &eh, err);
    return res->ev ? NV_OK : (err->status ? err->status : NV_ERR_RUNTIME);
}

NvStatus search_loop(Store *st, int64_t id, int from, const SearchConfig *c,
                     SearchResources *res, const SearchHooks *hooks,
                     NvError *err)
{
    Loop l;
    NvStatus r = NV_OK;
    int cap = 0;

    memset(&l, 0, sizeof l);
    l.st = st;
    l.hooks = hooks;
    l.c = c;
    l.id = id;
    l.t0 = clock_now_s();
    l.start = from;
    l.train = res->train;
    if ((r = store_search_get(st, id, &l.row, err)) == NV_OK &&
        !c->weight_sharing &&
        (r = make_evaluator(&l, res, err)) == NV_OK)
        r = store_search_set_workers(st, id, evaluator_slots(res->ev), err);
    while (r == NV_OK && l.start < c->budget) {
        /* invariant 7: one at a time under weight sharing */
        int n = c->weight_sharing ? 1 : strategy_batch_size(res->strat);
        if (n <= 0)
            n = evaluator_slots(res->ev);
        if (n > c->budget - l.start)
            n = c->budget - l.start;
        if (n > cap) {
            Item *items = realloc(l.items, (size_t)n * sizeof *items);
            if (!items) {
                r = nv_error_set(err, NV_ERR_NOMEM,
                                 "out of memory for a batch of %d", n);
                break;
            }
            l.items = items;
            cap = n;
        }
        l.n = 0;
        if ((r = store_search_get(st, id, &l.row, err)))
            break;
        search_pause_here(&l);
        if (search_stopping(&l)) {
            r = nv_error_set(err, NV_ERR_INTERRUPTED,
                             "stopped by signal %d before sample %d",
                             (int)*hooks->stop, l.start);
            break;
        }
        l.n = n;
        if ((r = run_batch(&l, res, err)))
            break;
        l.start += n;
    }
    /* invariant 8: the fidelity panel, before the search is done */
    if (r == NV_OK && c->weight_sharing && c->ws_panel > 0 &&
        (r = store_search_get(st, id, &l.row, err)) == NV_OK)
        r = search_panel(&l, res, err);
    /* Workers go before the final status: none outlives the search. */
    evaluator_free(res->ev);
    res->ev = NULL;
    free(l.items);
    free(l.scores);
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
