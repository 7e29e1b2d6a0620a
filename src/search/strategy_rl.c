/* strategy_rl.c - the RL strategy: the LSTM controller (controller.h)
 * trained with Adam by PPO or REINFORCE (SPEC.md section 4).
 *
 * Invariants:
 *  1. Each proposal is sampled from the controller as it is at that moment;
 *     its decisions and log-probability go into the pending minibatch when
 *     its reward arrives.
 *  2. advantage = reward - baseline, with the baseline as it was before
 *     this reward; then baseline = decay * baseline + (1 - decay) * reward.
 *     The first reward initialises the baseline (its advantage is 0).
 *  3. When M (ppo_batch) rewards are pending the controller is updated and
 *     the minibatch emptied:
 *       PPO: K passes; each computes the new log-probabilities of the M
 *       architectures, ratio r = exp(logp_new - logp_old), and takes one
 *       Adam step on -mean(min(r A, clip(r, 1-eps, 1+eps) A)) - beta *
 *       mean(entropy);
 *       REINFORCE: one Adam step on -mean(logp A) - beta * mean(entropy).
 *  4. The saved state is: parameters, Adam moments and step count,
 *     baseline, pending minibatch; with the common RNG that is everything a
 *     proposal depends on. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/adam.h"
#include "search/controller.h"
#include "search/strategy_impl.h"

typedef struct {
    Controller *ctl;
    Adam adam;
    double baseline;
    int have_baseline;
    int count;                  /* pending architectures */
    int (*dec)[GENO_DECISIONS]; /* [M] */
    double *logp_old, *reward, *adv; /* [M] */
    double *logp, *ent, *coef;  /* [M] workspace */
    int64_t updates;            /* controller updates made */
} Rl;

static void rl_done(Strategy *s)
{
    Rl *rl = s->impl;
    if (!rl)
        return;
    controller_free(rl->ctl);
    adam_done(&rl->adam);
    free(rl->dec);
    free(rl->logp_old);
    free(rl->reward);
    free(rl->adv);
    free(rl->logp);
    free(rl->ent);
    free(rl->coef);
    free(rl);
    s->impl = NULL;
}

static NvStatus rl_init(Strategy *s, NvError *err)
{
    const StrategyConfig *c = &s->cfg;
    Rl *rl = calloc(1, sizeof *rl);
    if (!rl)
        return nv_error_set(err, NV_ERR_NOMEM, "rl: out of memory");
    s->impl = rl;
    Rng init;
    rng_seed(&init, strategy_stream_seed(c), STRATEGY_STREAM_INIT);
    ControllerShape shape = { c->lstm_hidden, c->temperature, c->tanh_c,
                              c->ppo_batch };
    rl->ctl = controller_new(shape, &init, err);
    if (!rl->ctl)
        return err ? err->status : NV_ERR_NOMEM;
    size_t M = (size_t)c->ppo_batch;
    rl->dec = calloc(M, sizeof *rl->dec);
    rl->logp_old = calloc(M, sizeof(double));
    rl->reward = calloc(M, sizeof(double));
    rl->adv = calloc(M, sizeof(double));
    rl->logp = calloc(M, sizeof(double));
    rl->ent = calloc(M, sizeof(double));
    rl->coef = calloc(M, sizeof(double));
    if (adam_init(&rl->adam, controller_param_count(rl->ctl)) != 0 ||
        !rl->dec || !rl->logp_old || !rl->reward || !rl->adv || !rl->logp ||
        !rl->ent || !rl->coef)
        return nv_error_set(err, NV_ERR_NOMEM, "rl: out of memory");
    return NV_OK;
}

static NvStatus rl_propose(Strategy *s, Proposal *out, NvError *err)
{
    Rl *rl = s->impl;
    controller_sample(rl->ctl, &s->rng, out->decisions, out->probs,
                      &out->log_prob, &out->entropy);
    return geno_from_decisions(out->decisions, &out->genotype, err);
}

static NvStatus rl_sample(Strategy *s, Rng *rng, Proposal *out, NvError *err)
{
    Rl *rl = s->impl;
    controller_sample(rl->ctl, rng, out->decisions, out->probs,
                      &out->log_prob, &out->entropy);
    return geno_from_decisions(out->decisions, &out->genotype, err);
}

/* One Adam step on the minibatch (invariant 3). */
static void rl_update(Strategy *s)
{
    Rl *rl = s->impl;
    const StrategyConfig *c = &s->cfg;
    const int M = rl->count;
    const int passes = c->update == RL_PPO ? c->ppo_epochs : 1;
    const double eps = c->ppo_clip;
    for (int k = 0; k < passes; k++) {
        controller_zero_grad(rl->ctl);
        controller_forward(rl->ctl, M, (const int(*)[GENO_DECISIONS])rl->dec,
                           rl->logp, rl->ent);
        for (int b = 0; b < M; b++) {
            double A = rl->adv[b];
            if (c->update == RL_PPO) {
                double r = exp(rl->logp[b] - rl->logp_old[b]);
                /* d/dlogp of min(rA, clip(r)A): rA where the unclipped
                 * term is the smaller one, 0 where the clip is active. */
                int clipped = (A >= 0.0 && r > 1.0 + eps) ||
                              (A < 0.0 && r < 1.0 - eps);
                rl->coef[b] = clipped ? 0.0 : r * A / M;
            } else {
                rl->coef[b] = A / M;
            }
        }
        controller_backward(rl->ctl, rl->coef, (double)c->entropy_weight / M);
        adam_step(&rl->adam, controller_params(rl->ctl),
                  controller_grads(rl->ctl), c->lr);
    }
    rl->updates++;
    rl->count = 0;
}

static NvStatus rl_observe(Strategy *s, const Proposal *p, double reward,
                           NvError *err)
{
    Rl *rl = s->impl;
    (void)err;
    if (!rl->have_baseline) {
        rl->baseline = reward;
        rl->have_baseline = 1;
    }
    int i = rl->count;
    memcpy(rl->dec[i], p->decisions, sizeof rl->dec[i]);
    rl->logp_old[i] = p->log_prob;
    rl->reward[i] = reward;
    rl->adv[i] = reward - rl->baseline;
    double d = s->cfg.baseline_decay;
    rl->baseline = d * rl->baseline + (1.0 - d) * reward;
    rl->count++;
    if (rl->count == s->cfg.ppo_batch)
        rl_update(s);
    return NV_OK;
}

static void rl_save(const Strategy *s, ByteWriter *w)
{
    Rl *rl = s->impl;
    size_t n = controller_param_count(rl->ctl);
    bytes_put_u64(w, (uint64_t)n);
    bytes_put_f32s(w, controller_params_const(rl->ctl), n);
    bytes_put_i64(w, rl->adam.t);
    bytes_put_f32s(w, rl->adam.m, n);
    bytes_put_f32s(w, rl->adam.v, n);
    bytes_put_f64(w, rl->baseline);
    bytes_put_u32(w, (uint32_t)rl->have_baseline);
    bytes_put_i64(w, rl->updates);
    bytes_put_u32(w, (uint32_t)rl->count);
    for (int i = 0; i < rl->count; i++) {
        uint8_t b[GENO_DECISIONS];
        for (int t = 0; t < GENO_DECISIONS; t++)
            b[t] = (uint8_t)rl->dec[i][t];
        bytes_put(w, b, sizeof b);
        bytes_put_f64(w, rl->logp_old[i]);
        bytes_put_f64(w, rl->reward[i]);
        bytes_put_f64(w, rl->adv[i]);
    }
}

static NvStatus rl_load(Strategy *s, ByteReader *r, NvError *err)
{
    Rl *rl = s->impl;
    size_t n = controller_param_count(rl->ctl);
    uint64_t saved_n = bytes_get_u64(r);
    if (r->failed || saved_n != n)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "strategy state: controller of %llu parameters, "
                            "expected %zu",
                            (unsigned long long)saved_n, n);
    NvStatus st = NV_OK;
    float *buf = malloc(3 * n * sizeof *buf);
    int M = s->cfg.ppo_batch;
    int (*dec)[GENO_DECISIONS] = calloc((size_t)M, sizeof *dec);
    double *d3 = calloc(3 * (size_t)M, sizeof *d3);
    if (!buf || !dec || !d3) {
        st = nv_error_set(err, NV_ERR_NOMEM, "rl: out of memory while loading");
        goto out;
    }
    bytes_get_f32s(r, buf, n);
    int64_t t = bytes_get_i64(r);
    bytes_get_f32s(r, buf + n, 2 * n);
    double baseline = bytes_get_f64(r);
    uint32_t have = bytes_get_u32(r);
    int64_t updates = bytes_get_i64(r);
    uint32_t count = bytes_get_u32(r);
    if (r->failed || t < 0 || have > 1 || updates < 0 ||
        count >= (uint32_t)M || !isfinite(baseline)) {
        st = nv_error_set(err, NV_ERR_FORMAT,
                          "strategy state: damaged or truncated controller "
                          "state");
        goto out;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t b[GENO_DECISIONS];
        bytes_get(r, b, sizeof b);
        for (int k = 0; k < GENO_DECISIONS; k++) {
            dec[i][k] = b[k];
            if (b[k] >= geno_decision_support(k))
                r->failed = 1;
        }
        d3[i] = bytes_get_f64(r);
        d3[M + i] = bytes_get_f64(r);
        d3[2 * M + i] = bytes_get_f64(r);
    }
    for (size_t i = 0; i < 3 * n; i++)
        if (!isfinite(buf[i]))
            r->failed = 1;
    if (r->failed || r->left) {
        st = nv_error_set(err, NV_ERR_FORMAT,
                          "strategy state: damaged or truncated pending "
                          "minibatch");
        goto out;
    }
    memcpy(controller_params(rl->ctl), buf, n * sizeof *buf);
    memcpy(rl->adam.m, buf + n, n * sizeof *buf);
    memcpy(rl->adam.v, buf + 2 * n, n * sizeof *buf);
    rl->adam.t = t;
    rl->baseline = baseline;
    rl->have_baseline = (int)have;
    rl->updates = updates;
    rl->count = (int)count;
    memcpy(rl->dec, dec, (size_t)M * sizeof *dec);
    memcpy(rl->logp_old, d3, (size_t)M * sizeof *d3);
    memcpy(rl->reward, d3 + M, (size_t)M * sizeof *d3);
    memcpy(rl->adv, d3 + 2 * M, (size_t)M * sizeof *d3);
out:
    free(buf);
    free(dec);
    free(d3);
    return st;
}

const StrategyOps strategy_rl_ops = {
    rl_init, rl_done, rl_propose, rl_observe, rl_save, rl_load, rl_sample,
};
