/* shared.c - the phases of weight-sharing search (shared.h).
 *
 * Invariants:
 * 1. Round r's minibatches are consecutive batches of a permutation of
 *    the train subset drawn from (seed, SHARED_STREAM_BATCHES + r); its
 *    architectures come from strategy_sample with (seed,
 *    SHARED_STREAM_ARCH + r).  Nothing else is random.
 * 2. Step s of round r has learning rate sgd_cosine_lr(lr, r * steps + s,
 *    rounds * steps).
 * 3. Sample idx's validation batch is the batch images starting at
 *    (idx * batch) mod n of the validation subset, wrapping around.
 * 4. Buffers are allocated in shared_new; each step builds a child as a
 *    view on the supernet (its activation arenas) and frees it after, so
 *    nothing is allocated inside the step itself (optim_train_step). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "search/shared.h"
#include "train/optim.h"

#define SHARED_STREAM_BATCHES 0x5753424154000000ull /* "WSBAT" + round */
#define SHARED_STREAM_ARCH 0x5753415243000000ull    /* "WSARC" + round */

struct Shared {
    TrainConfig cfg;
    const Dataset *train, *val;
    Supernet *sn;
    uint64_t seed;
    int rounds_total, steps, samples;
    int rounds;        /* phases (a) done */
    int touched;       /* a round was trained or a child scored */
    float *images;     /* [batch][c][h][w] */
    uint8_t *labels;   /* [batch] */
    int32_t *order;    /* [max(train n, batch)] */
};

Shared *shared_new(const TrainConfig *cfg, const Dataset *train,
                   const Dataset *val, uint64_t seed, int rounds, int steps,
                   int samples, NvError *err)
{
    if (steps < 1 || samples < 1 || rounds < 1) {
        nv_error_set(err, NV_ERR_USAGE,
                     "weight sharing needs at least 1 step and 1 sample per "
                     "round");
        return NULL;
    }
    if (cfg->batch < 2 || train->n < cfg->batch || val->n < 1) {
        nv_error_set(err, NV_ERR_USAGE,
                     "weight sharing needs a batch (%d) of at least 2 and no "
                     "larger than the train subset (%lld images)",
                     cfg->batch, (long long)train->n);
        return NULL;
    }
    Shared *sh = calloc(1, sizeof *sh);
    if (!sh) {
        nv_error_set(err, NV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    sh->cfg = *cfg;
    sh->train = train;
    sh->val = val;
    sh->seed = seed;
    sh->rounds_total = rounds;
    sh->steps = steps;
    sh->samples = samples;
    ChildShape cs = { cfg->F, cfg->N, train->c, train->h, train->w,
                      train->classes };
    size_t img = (size_t)train->c * train->h * train->w;
    int64_t no = train->n > cfg->batch ? train->n : cfg->batch;
    sh->sn = supernet_new(&cs, seed);
    sh->images = malloc(sizeof(float) * img * (size_t)cfg->batch);
    sh->labels = malloc((size_t)cfg->batch);
    sh->order = malloc(sizeof(int32_t) * (size_t)no);
    if (!sh->sn || !sh->images || !sh->labels || !sh->order) {
        shared_free(sh);
        nv_error_set(err, NV_ERR_NOMEM,
                     "out of memory for the shared weights (or F, N invalid)");
        return NULL;
    }
    return sh;
}

void shared_free(Shared *sh)
{
    if (!sh)
        return;
    supernet_free(sh->sn);
    free(sh->images);
    free(sh->labels);
    free(sh->order);
    free(sh);
}

int shared_rounds(const Shared *sh)
{
    return sh->rounds;
}

int shared_round_of(const Shared *sh, int idx)
{
    return idx / sh->samples;
}

NvStatus shared_train(Shared *sh, Strategy *strat, SharedStopFn stop,
                      void *ctx, float *mean_loss, NvError *err)
{
    const TrainConfig *c = &sh->cfg;
    const int r = sh->rounds, B = c->batch;
    const int64_t total = (int64_t)sh->rounds_total * sh->steps;
    Rng rb, ra;
    NvStatus st = NV_OK;
    double sum = 0.0;
    int counted = 0;
    sh->touched = 1;
    rng_seed(&rb, sh->seed, SHARED_STREAM_BATCHES + (uint64_t)r);
    rng_seed(&ra, sh->seed, SHARED_STREAM_ARCH + (uint64_t)r);
    for (int64_t i = 0; i < sh->train->n; i++)
        sh->order[i] = (int32_t)i;
    rng_shuffle(&rb, sh->order, sh->train->n);
    const int64_t per_pass = sh->train->n / B;
    for (int s = 0; s < sh->steps; s++) {
        Proposal p;
        Net *net;
        Tensor *input, *logits;
        if ((st = strategy_sample(strat, &ra, &p, err)) ||
            (st = supernet_child(sh->sn, &p.genotype, B, c->threads, &net,
                                 &input, &logits, err)))
            return st;
        const int64_t at = (int64_t)(s % per_pass) * B;
        if (s > 0 && s % per_pass == 0)
            rng_shuffle(&rb, sh->order, sh->train->n);
        dataset_batch(sh->train, sh->order + at, B, sh->images, sh->labels);
        net_set_input(net, input, sh->images, B);
        float lr = sgd_cosine_lr(c->lr, (int64_t)r * sh->steps + s, total);
        float loss = optim_train_step(net, logits, sh->labels, B, lr,
                                      c->momentum, c->weight_decay, NULL);
        net_free(net);
        if (isfinite(loss)) {
            sum += loss;
            counted++;
        }
        if (stop && stop(ctx, s + 1, sh->steps, loss))
            return nv_error_set(err, NV_ERR_INTERRUPTED,
                                "stopped while training the shared weights "
                                "(round %d, step %d)", r, s + 1);
    }
    sh->rounds++;
    *mean_loss = counted ? (float)(sum / counted) : NAN;
    return NV_OK;
}

/* score_images - g with the current shared weights on the count
 * validation images from start on (wrapping), in batches of at most
 * cfg.batch with batch statistics each; accuracy and mean loss over all. */
static NvStatus score_images(Shared *sh, const Genotype *g, int64_t start,
                             int64_t count, SharedScore *out, NvError *err)
{
    const double t0 = clock_now_s();
    const int64_t nv = sh->val->n;
    const int B = (int)(count < sh->cfg.batch ? count : sh->cfg.batch);
    Net *net;
    Tensor *input, *logits;
    NvStatus st;
    sh->touched = 1;
    if ((st = supernet_child(sh->sn, g, B, sh->cfg.threads, &net, &input,
                             &logits, err)))
        return st;
    int64_t right_all = 0;
    double loss_sum = 0.0;
    for (int64_t at = 0; at < count; at += B) {
        const int n = (int)(count - at < B ? count - at : B);
        for (int i = 0; i < n; i++)
            sh->order[i] = (int32_t)((start + at + i) % nv);
        dataset_batch(sh->val, sh->order, n, sh->images, sh->labels);
        net_set_input(net, input, sh->images, n);
        net_forward(net, n, 1); /* batch statistics (shared.h) */
        int right = 0;
        float loss = loss_softmax_xent(logits->x, logits->c, n, sh->labels,
                                       NULL, &right);
        right_all += right;
        loss_sum += (double)loss * n;
    }
    out->reward = (float)((double)right_all / (double)count);
    out->loss = (float)(loss_sum / (double)count);
    out->params = net_param_count(net);
    out->mult_adds = net_mult_adds(net);
    net_free(net);
    out->seconds = clock_now_s() - t0;
    return NV_OK;
}

NvStatus shared_score(Shared *sh, const Genotype *g, int idx,
                      SharedScore *out, NvError *err)
{
    const int64_t nv = sh->val->n;
    return score_images(sh, g, ((int64_t)idx * sh->cfg.batch) % nv,
                        nv < sh->cfg.batch ? nv : sh->cfg.batch, out, err);
}

NvStatus shared_score_final(Shared *sh, const Genotype *g, SharedScore *out,
                            NvError *err)
{
    const int64_t most = (int64_t)SHARED_FINAL_BATCHES * sh->cfg.batch;
    return score_images(sh, g, 0, sh->val->n < most ? sh->val->n : most, out,
                        err);
}

NvStatus shared_save(const Shared *sh, uint8_t **buf, size_t *len,
                     NvError *err)
{
    return supernet_save(sh->sn, buf, len, err);
}

NvStatus shared_load(Shared *sh, int rounds, const uint8_t *buf, size_t len,
                     NvError *err)
{
    if (sh->touched || rounds < 0)
        return nv_error_set(err, NV_ERR_USAGE,
                            "shared weights load into a fresh search only");
    NvStatus st = supernet_load(sh->sn, buf, len, err);
    if (st == NV_OK)
        sh->rounds = rounds;
    return st;
}
