/* search_ws.c - the weight-sharing half of the search loop (search_batch.c
 * invariants 7 and 8): making the shared weights, a round's shared-weight
 * phase with its checkpoint, scoring a sample with them, and the fidelity
 * panel at the end.  search_batch.c runs these one sample at a time. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/text.h"
#include "space/genotype.h"
#include "train/reward_metric.h"
#include "search/search_loop.h"

NvStatus search_config_check(const SearchConfig *c, NvError *err)
{
    if (c->reward[0] && !reward_metric_valid(c->reward))
        return nv_error_set(err, NV_ERR_USAGE,
                            "--reward is accuracy, naswot, synflow, params "
                            "or mult_adds, not '%s'", c->reward);
    if (c->weight_sharing && !reward_metric_is_accuracy(c->reward))
        return nv_error_set(err, NV_ERR_USAGE,
                            "--reward %s trains no child: it does not go "
                            "with --weight-sharing", c->reward);
    if (!c->weight_sharing)
        return NV_OK;
    if (!strategy_can_sample(c->strategy.kind))
        return nv_error_set(err, NV_ERR_USAGE,
                            "--weight-sharing works with --strategy rl or "
                            "random, not %s (it trains the shared weights on "
                            "architectures drawn from the strategy)",
                            strategy_kind_name(c->strategy.kind));
    if (c->ws_steps < 1 || c->ws_steps > 1000000 || c->ws_samples < 1 ||
        c->ws_samples > 1000000)
        return nv_error_set(err, NV_ERR_USAGE,
                            "--ws-steps and --ws-samples must be between 1 "
                            "and 1000000 (got %d and %d)",
                            c->ws_steps, c->ws_samples);
    if (c->ws_panel < 0 || c->ws_panel > 10000)
        return nv_error_set(err, NV_ERR_USAGE,
                            "--ws-panel must be between 0 and 10000 (got %d)",
                            c->ws_panel);
    return NV_OK;
}

NvStatus search_shared_make(const SearchConfig *c, SearchResources *res,
                            NvError *err)
{
    Rng r;
    if (!c->weight_sharing)
        return NV_OK;
    rng_seed(&r, strategy_stream_seed(&c->strategy), SEARCH_STREAM_SHARED);
    int rounds = (c->budget + c->ws_samples - 1) / c->ws_samples;
    res->shared = shared_new(&c->train, res->train, res->val, rng_next(&r),
                             rounds, c->ws_steps, c->ws_samples, err);
    return res->shared ? NV_OK : err->status ? err->status : NV_ERR_NOMEM;
}

static int on_shared_step(void *ctx, int step, int steps, float loss)
{
    Loop *l = ctx;
    if (search_stopping(l))
        return 1;
    search_pause_here(l);
    double now = clock_now_s();
    if (l->hooks->human && now - l->last_human >= SEARCH_HUMAN_PERIOD) {
        search_human_line(l,
                          "shared weights before sample %d: step %d/%d  "
                          "loss %.4f",
                          l->start, step, steps, (double)loss);
        l->last_human = now;
    }
    return search_stopping(l);
}

NvStatus search_shared_phase(Loop *l, SearchResources *res, NvError *err)
{
    Shared *sh = res->shared;
    uint8_t *buf = NULL;
    size_t len = 0;
    float loss;
    NvStatus r;
    if (shared_rounds(sh) > shared_round_of(sh, l->start))
        return NV_OK;
    if (shared_rounds(sh) < shared_round_of(sh, l->start))
        return nv_error_set(err, NV_ERR_DB,
                            "the shared-weight checkpoint holds %d rounds but "
                            "sample %d is in round %d: the database was "
                            "changed behind nasview's back",
                            shared_rounds(sh), l->start,
                            shared_round_of(sh, l->start));
    if ((r = shared_train(sh, res->strat, on_shared_step, l, &loss, err))) {
        if (r == NV_ERR_INTERRUPTED)
            nv_error_set(err, NV_ERR_INTERRUPTED,
                         "stopped by signal %d while training the shared "
                         "weights before sample %d",
                         l->hooks->stop ? (int)*l->hooks->stop : 0, l->start);
        return r;
    }
    if ((r = shared_save(sh, &buf, &len, err)) ||
        (r = store_shared_save(l->st, l->id, shared_rounds(sh), buf, len,
                               err))) {
        free(buf);
        return r;
    }
    free(buf);
    search_human_line(l, "shared weights: round %d trained, mean loss %.4f\n",
                      shared_round_of(sh, l->start), (double)loss);
    return NV_OK;
}

NvStatus search_shared_score(Loop *l, SearchResources *res,
                             const Genotype *canon, StoreSample *sm,
                             StoreDecision *dec, NvError *err)
{
    SharedScore sc;
    NvStatus r;
    if ((r = store_sample_start(l->st, l->id, sm, dec, err)))
        return r;
    if ((r = shared_score(res->shared, canon, sm->idx, &sc, err))) {
        NvError ignored;
        store_sample_abort(l->st, l->id, sm->idx, SAMPLE_FAILED, err->msg,
                           &ignored);
        return r;
    }
    sm->status = SAMPLE_DONE;
    sm->reward = sc.reward;
    sm->params = sc.params;
    sm->mult_adds = sc.mult_adds;
    sm->seconds = sc.seconds;
    snprintf(sm->message, sizeof sm->message,
             "shared weights, round %d: validation batch loss %.4f",
             shared_round_of(res->shared, sm->idx), (double)sc.loss);
    return store_sample_finish(l->st, l->id, sm, NULL, 0, err);
}

/* The panel child in training, for its progress line. */
typedef struct {
    Loop *l;
    int idx;
} PanelCtx;

static int on_panel_progress(const TrainProgress *p, void *ctx)
{
    PanelCtx *pc = ctx;
    Loop *l = pc->l;
    if (search_stopping(l))
        return 1;
    search_pause_here(l);
    double now = clock_now_s();
    if (l->hooks->human && now - l->last_human >= SEARCH_HUMAN_PERIOD) {
        search_human_line(l,
                          "panel: sample %d stand-alone  epoch %d/%d  step "
                          "%lld/%lld  loss %.4f",
                          pc->idx, p->epoch + 1, p->epochs,
                          (long long)p->step, (long long)p->steps, p->loss);
        l->last_human = now;
    }
    return search_stopping(l);
}

static int by_reward_desc(const void *a, const void *b)
{
    const StoreSample *x = a, *y = b;
    if (x->reward != y->reward)
        return x->reward < y->reward ? 1 : -1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* search_panel - invariant 8: the best c->ws_panel distinct architectures
 * by shared-weight reward (each with its best sample) and c->ws_panel of
 * the others at random, trained stand-alone unless already stored; each
 * is scored again with the final shared weights on the same validation
 * images (shared_score_final), the shared reward the panel stores. */
NvStatus search_panel(Loop *l, SearchResources *res, NvError *err)
{
    const SearchConfig *c = l->c;
    StoreSample *rows = NULL;
    StoreWsPanel *have = NULL;
    size_t n = 0, nh = 0, nd = 0;
    NvStatus r;
    if ((r = store_samples(l->st, l->id, NULL, &rows, &n, err)))
        return r;
    if ((r = store_ws_panel_list(l->st, l->id, &have, &nh, err))) {
        free(rows);
        return r;
    }
    qsort(rows, n, sizeof *rows, by_reward_desc);
    for (size_t i = 0; i < n; i++) { /* the best sample of each hash */
        int seen = 0;
        for (size_t j = 0; j < nd && !seen; j++)
            seen = strcmp(rows[j].hash, rows[i].hash) == 0;
        if (!seen && !isnan(rows[i].reward))
            rows[nd++] = rows[i];
    }
    size_t top = (size_t)c->ws_panel < nd ? (size_t)c->ws_panel : nd;
    size_t rnd = (size_t)c->ws_panel < nd - top ? (size_t)c->ws_panel
                                                : nd - top;
    Rng rng;
    rng_seed(&rng, strategy_stream_seed(&c->strategy), SEARCH_STREAM_PANEL);
    for (size_t i = 0; i < rnd; i++) { /* partial Fisher-Yates of the rest */
        size_t j = top + i +
                   (size_t)(rng_next(&rng) % (uint64_t)(nd - top - i));
        StoreSample t = rows[top + i];
        rows[top + i] = rows[j];
        rows[j] = t;
    }
    for (size_t i = 0; i < top + rnd && r == NV_OK; i++) {
        const StoreSample *sm = &rows[i];
        int done = 0;
        for (size_t k = 0; k < nh && !done; k++)
            done = have[k].sample_idx == sm->idx;
        if (done)
            continue;
        Genotype g;
        TrainConfig tc = c->train;
        TrainResult tr;
        Rng cr;
        if ((r = geno_parse(sm->genotype, &g, err)))
            break;
        rng_seed(&cr, strategy_stream_seed(&c->strategy),
                 SEARCH_STREAM_CHILD + (uint64_t)sm->idx);
        tc.seed = rng_next(&cr);
        SharedScore fin;
        if ((r = shared_score_final(res->shared, &g, &fin, err)))
            break;
        PanelCtx pc = { l, sm->idx };
        if ((r = train_child(&g, &tc, res->train, res->val, NULL,
                             on_panel_progress, &pc, &tr, err)))
            break;
        if (tr.interrupted || search_stopping(l)) {
            r = nv_error_set(err, NV_ERR_INTERRUPTED,
                             "stopped by signal %d while training sample %d "
                             "stand-alone for the panel",
                             l->hooks->stop ? (int)*l->hooks->stop : 0,
                             sm->idx);
            break;
        }
        StoreWsPanel p = { sm->idx, i < top, fin.reward,
                         tr.diverged ? 0.0 : tr.val_acc,
                         tr.diverged ? SAMPLE_DIVERGED : SAMPLE_DONE,
                         tr.params, tr.seconds };
        r = store_ws_panel_add(l->st, l->id, &p, err);
    }
    free(rows);
    free(have);
    return r;
}
