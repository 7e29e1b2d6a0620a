/* train.c - training one child network (train.h): build it, run the epochs
 * of SPEC.md section 3 (seeded shuffles, batch 64, SGD Nesterov, cosine
 * schedule), stop on divergence or when the progress callback asks,
 * recalibrate its batch norms when asked, and score it in inference mode.
 * It does not read files (dataset.c) nor print anything (cmd_train.c). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "train/child.h"
#include "train/optim.h"
#include "base/rng.h"
#include "train/train.h"

/* RNG streams of one child's seed (rng_seed's stream argument). */
enum { TRAIN_STREAM_ORDER = 2, TRAIN_STREAM_RECAL = 3 };

/* Two threads: the machines nasview is made for have two cores or more,
 * and a child trains about 1.5 times as fast on two as on one.  The
 * count is fixed, not the machine's core count, so the same seed gives
 * the same child on every machine. */
TrainConfig train_config_default(void)
{
    TrainConfig c = { 8, 1, 1, 64, 0.05f, 0.9f, 3e-4f, 1, 2, 1,
                      TRAIN_DEFAULT_RECAL_IMAGES };
    return c;
}

static double train_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

NvStatus train_measure(const Genotype *g, int F, int N, int c, int h, int w,
                       int classes, int64_t *params, int64_t *mult_adds,
                       NvError *err)
{
    ChildShape sh = { F, N, c, h, w, classes };
    Net *net;
    Tensor *in, *out;
    NvStatus st = child_build(g, &sh, 1, &net, &in, &out, err);
    if (st != NV_OK)
        return st;
    *params = net_param_count(net);
    *mult_adds = net_mult_adds(net);
    net_free(net);
    return NV_OK;
}

/* Buffers of one training run, allocated once before the first step. */
typedef struct {
    float *images;   /* [batch][c][h][w] */
    uint8_t *labels; /* [batch] */
    int32_t *order;  /* [max(n_train, batch)] */
} TrainBuffers;

static void train_buffers_free(TrainBuffers *b)
{
    free(b->images);
    free(b->labels);
    free(b->order);
}

/* Top-1 accuracy of net on all of d, in inference mode. */
static float train_evaluate(Net *net, Tensor *input, Tensor *logits,
                            const Dataset *d, int batch, TrainBuffers *b)
{
    int64_t correct = 0;
    for (int64_t off = 0; off < d->n; off += batch) {
        int n = (int)(d->n - off < batch ? d->n - off : batch);
        for (int i = 0; i < n; i++)
            b->order[i] = (int32_t)(off + i);
        dataset_batch(d, b->order, n, b->images, b->labels);
        net_set_input(net, input, b->images, n);
        net_forward(net, n, 0);
        int right = 0;
        loss_softmax_xent(logits->x, logits->c, n, b->labels, NULL, &right);
        correct += right;
    }
    return d->n > 0 ? (float)((double)correct / (double)d->n) : 0.0f;
}

/* Recalibrate net's batch norms (network.h) on min(cfg->recal_images,
 * train->n) images of train chosen by the child's seed (its own RNG
 * stream, so neither the batch order nor the evaluation changes it), in
 * batches of cfg->batch; a last batch of one image, which has no batch
 * statistics to speak of, is left out as in training. */
static void train_recalibrate(Net *net, Tensor *input, const TrainConfig *cfg,
                              const Dataset *train, TrainBuffers *b)
{
    int64_t k = cfg->recal_images < train->n ? cfg->recal_images : train->n;
    if (k % cfg->batch == 1)
        k--;
    if (k < 2)
        return;
    Rng rng;
    rng_seed(&rng, cfg->seed, TRAIN_STREAM_RECAL);
    for (int64_t i = 0; i < train->n; i++)
        b->order[i] = (int32_t)i;
    rng_shuffle(&rng, b->order, train->n);
    net_recal_begin(net);
    for (int64_t off = 0; off < k; off += cfg->batch) {
        int n = (int)(k - off < cfg->batch ? k - off : cfg->batch);
        dataset_batch(train, b->order + off, n, b->images, b->labels);
        net_set_input(net, input, b->images, n);
        net_recal_forward(net, n);
    }
    net_recal_end(net);
}

static NvStatus train_check(const TrainConfig *cfg, const Dataset *train,
                            const Dataset *val, const Dataset *test,
                            NvError *err)
{
    if (cfg->batch < 2 || cfg->batch > 65536 || cfg->epochs < 1 ||
        cfg->threads < 1 || !(cfg->lr >= 0.0f) || !(cfg->momentum >= 0.0f) ||
        !(cfg->weight_decay >= 0.0f) || cfg->recal_images < 0)
        return nv_error_set(err, NV_ERR_USAGE,
                            "training needs batch >= 2, epochs >= 1, threads "
                            ">= 1, non-negative lr, momentum, weight decay "
                            "and recalibration images");
    if (!train || train->n < 2 || !val || val->n < 1)
        return nv_error_set(err, NV_ERR_USAGE,
                            "training needs at least 2 training images and 1 "
                            "validation image");
    const Dataset *ds[2] = { val, test };
    for (int i = 0; i < 2; i++)
        if (ds[i] && (ds[i]->c != train->c || ds[i]->h != train->h ||
                      ds[i]->w != train->w || ds[i]->classes != train->classes))
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s images (%dx%dx%d, %d classes) differ from "
                                "the training images (%dx%dx%d, %d classes)",
                                i ? "test" : "validation", ds[i]->c, ds[i]->h,
                                ds[i]->w, ds[i]->classes, train->c, train->h,
                                train->w, train->classes);
    if (train->classes < 2 || train->classes > 256)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%d classes: need between 2 and 256",
                            train->classes);
    return NV_OK;
}

NvStatus train_child(const Genotype *g, const TrainConfig *cfg,
                     const Dataset *train, const Dataset *val,
                     const Dataset *test, TrainProgressFn progress, void *ctx,
                     TrainResult *result, NvError *err)
{
    memset(result, 0, sizeof *result);
    result->test_acc = -1.0f;
    NvStatus st = train_check(cfg, train, val, test, err);
    if (st != NV_OK)
        return st;
    /* No batch is larger than the largest subset, so a batch size beyond
     * it changes nothing but the memory the network would take. */
    TrainConfig bounded = *cfg;
    int64_t largest = train->n > val->n ? train->n : val->n;
    if (test && test->n > largest)
        largest = test->n;
    if (bounded.batch > largest)
        bounded.batch = (int)largest;
    cfg = &bounded;
    const double t0 = train_now();
    ChildShape sh = { cfg->F, cfg->N, train->c, train->h, train->w,
                      train->classes };
    Net *net;
    Tensor *input, *logits;
    if ((st = child_build(g, &sh, cfg->batch, &net, &input, &logits, err)) !=
        NV_OK)
        return st;
    if ((st = net_set_threads(net, cfg->threads, err)) != NV_OK ||
        (st = net_finish(net, cfg->seed, err)) != NV_OK) {
        net_free(net);
        return st;
    }
    result->params = net_param_count(net);
    result->mult_adds = net_mult_adds(net);
    /* threads split each batch (network.c); OpenBLAS runs single-threaded
     * inside them: on the small matrices of a child its own threads cost
     * more than they give (PLATFORM.md, and `nasview bench`) */
    openblas_set_num_threads(1);

    TrainBuffers b;
    const int64_t norder = train->n > cfg->batch ? train->n : cfg->batch;
    b.images = malloc(sizeof(float) * (size_t)cfg->batch * train->c *
                      train->h * train->w);
    b.labels = malloc((size_t)cfg->batch);
    b.order = malloc(sizeof(int32_t) * (size_t)norder);
    if (!b.images || !b.labels || !b.order) {
        train_buffers_free(&b);
        net_free(net);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory for batches");
    }

    /* A last batch of one image cannot give batch statistics: drop it. */
    int64_t per_epoch = (train->n + cfg->batch - 1) / cfg->batch;
    if (train->n % cfg->batch == 1)
        per_epoch--;
    TrainProgress pr = { 0 };
    pr.epochs = cfg->epochs;
    pr.steps = per_epoch * cfg->epochs;
    Rng rng;
    rng_seed(&rng, cfg->seed, TRAIN_STREAM_ORDER);
    double ema_loss = 0.0, ema_acc = 0.0, weight = 0.0;
    int64_t images = 0;
    for (int ep = 0; ep < cfg->epochs && !result->diverged &&
                     !result->interrupted; ep++) {
        pr.epoch = ep;
        for (int64_t i = 0; i < train->n; i++)
            b.order[i] = (int32_t)i;
        rng_shuffle(&rng, b.order, train->n);
        double epoch_loss = 0.0;
        int64_t epoch_images = 0;
        for (int64_t s = 0; s < per_epoch; s++) {
            int64_t off = s * cfg->batch;
            int n = (int)(train->n - off < cfg->batch ? train->n - off
                                                      : cfg->batch);
            dataset_batch(train, b.order + off, n, b.images, b.labels);
            net_set_input(net, input, b.images, n);
            float lr = sgd_cosine_lr(cfg->lr, pr.step, pr.steps);
            int right = 0;
            float loss = optim_train_step(net, logits, b.labels, n, lr,
                                          cfg->momentum, cfg->weight_decay,
                                          &right);
            if (!isfinite(loss)) {
                result->diverged = 1;
                pr.loss = loss;
                break;
            }
            epoch_loss += (double)loss * n;
            epoch_images += n;
            images += n;
            pr.step++;
            /* bias-corrected exponential moving averages (weight 0.9) */
            weight = 0.9 * weight + 0.1;
            ema_loss = 0.9 * ema_loss + 0.1 * loss;
            ema_acc = 0.9 * ema_acc + 0.1 * ((double)right / n);
            pr.loss = (float)(ema_loss / weight);
            pr.train_acc = (float)(ema_acc / weight);
            pr.elapsed_s = train_now() - t0;
            pr.images_per_s = pr.elapsed_s > 0 ? images / pr.elapsed_s : 0.0;
            pr.eta_s = pr.step > 0 ? pr.elapsed_s / pr.step * (pr.steps - pr.step)
                                   : 0.0;
            if (progress && progress(&pr, ctx)) {
                result->interrupted = 1;
                break;
            }
        }
        if (epoch_images > 0)
            result->train_loss = (float)(epoch_loss / (double)epoch_images);
    }
    if (!result->diverged && !result->interrupted) {
        pr.evaluating = 1;
        if (progress && progress(&pr, ctx))
            result->interrupted = 1;
        else {
            if (cfg->bn_recalibrate)
                train_recalibrate(net, input, cfg, train, &b);
            result->val_acc = train_evaluate(net, input, logits, val,
                                             cfg->batch, &b);
            if (test)
                result->test_acc = train_evaluate(net, input, logits, test,
                                                  cfg->batch, &b);
        }
    }
    if (result->diverged) {
        result->val_acc = 0.0f;
        result->train_loss = pr.loss;
    }
    result->seconds = train_now() - t0;
    train_buffers_free(&b);
    net_free(net);
    return NV_OK;
}
