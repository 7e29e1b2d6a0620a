/* train.c - training one child network (train.h): build it, run the epochs
 * of SPEC.md section 3 (seeded shuffles, batch 64, SGD Nesterov, cosine
 * schedule), stop on divergence or when the progress callback asks,
 * recalibrate its batch norms when asked, and score it in inference mode;
 * with options, write checkpoints at epoch ends, resume from one, score
 * every epoch and save the final weights (weights.c holds the format).
 * It does not read datasets (dataset.c) nor print anything (cmd_train.c). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "train/child.h"
#include "train/optim.h"
#include "base/rng.h"
#include "train/train.h"
#include "train/proxy.h"
#include "train/weights.h"
#include "data/augment.h"

/* Padding of the random crop: the usual CIFAR-10 recipe's 4 pixels. */
#define TRAIN_CROP_PAD 4

/* RNG streams of one child's seed (rng_seed's stream argument). */
enum { TRAIN_STREAM_ORDER = 2, TRAIN_STREAM_RECAL = 3 };
/* Augmentation and drop-path masks draw from streams of their own, one per
 * epoch (a resumed run recreates them from the epoch number alone). */
#define TRAIN_STREAM_AUG(ep) (0x100u + 2u * (uint64_t)(ep))
#define TRAIN_STREAM_DROP(ep) (0x101u + 2u * (uint64_t)(ep))

/* Two threads: the machines nasview is made for have two cores or more,
 * and a child trains about 1.5 times as fast on two as on one.  The
 * count is fixed, not the machine's core count, so the same seed gives
 * the same child on every machine. */
TrainConfig train_config_default(void)
{
    TrainConfig c = { 0 };
    for (int i = 0; i < PROXY_SETTINGS; i++)
        proxy_apply((ProxyId)i, proxy_setting((ProxyId)i)->def, &c, NULL,
                    NULL);
    c.momentum = 0.9f;
    c.weight_decay = 3e-4f;
    c.seed = 1;
    c.bn_recalibrate = 1;
    c.recal_images = TRAIN_DEFAULT_RECAL_IMAGES;
    return c;
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

uint32_t train_regs_hash(const TrainRegs *r)
{
    const float f[3] = { r->drop_path, r->clip, r->label_smooth };
    const int32_t i[2] = { r->cutout, r->crop_flip };
    uint8_t b[sizeof f + sizeof i];
    memcpy(b, f, sizeof f);
    memcpy(b + sizeof f, i, sizeof i);
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < sizeof b; k++) {
        h ^= b[k];
        h *= 16777619u;
    }
    if (r->aux_weight != 0.0f) { /* later than the rest: older pins hold */
        uint8_t a[sizeof r->aux_weight];
        memcpy(a, &r->aux_weight, sizeof a);
        for (size_t k = 0; k < sizeof a; k++) {
            h ^= a[k];
            h *= 16777619u;
        }
    }
    return h;
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

/* Top-1 accuracy of net on all of d, in inference mode.  With confusion
 * not NULL, also adds each image to confusion[true * classes + predicted]
 * (classes x classes counts, zeroed by the caller). */
static float train_evaluate(Net *net, Tensor *input, Tensor *logits,
                            const Dataset *d, int batch, TrainBuffers *b,
                            int64_t *confusion)
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
        const int k = logits->c;
        for (int j = 0; confusion && j < n; j++) {
            int arg = 0;
            for (int c = 1; c < k; c++)
                if (logits->x[c * n + j] > logits->x[arg * n + j])
                    arg = c;
            confusion[b->labels[j] * k + arg]++;
        }
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
    return train_run(g, cfg, NULL, train, val, test, progress, ctx, result,
                     err);
}

/* The settings a checkpoint pins (weights.h), from the bounded cfg. */
static WeightsTrain train_pins(const TrainConfig *cfg, const Dataset *train,
                               uint64_t data_hash, const TrainRegs *regs)
{
    WeightsTrain t;
    memset(&t, 0, sizeof t);
    t.epochs = (uint32_t)cfg->epochs;
    t.batch = (uint32_t)cfg->batch;
    t.threads = (uint32_t)cfg->threads;
    t.lr = cfg->lr;
    t.momentum = cfg->momentum;
    t.weight_decay = cfg->weight_decay;
    t.seed = cfg->seed;
    t.train_n = train->n;
    t.data_hash = data_hash;
    t.regs = train_regs_hash(regs);
    return t;
}

/* Refuse to resume from ck unless it was written for this very run. */
static NvStatus train_check_resume(const WeightsFile *ck, const Genotype *g,
                                   const TrainConfig *cfg, const Dataset *train,
                                   const WeightsTrain *want, int64_t nparams,
                                   int64_t nstate, const char *name,
                                   NvError *err)
{
    char a[GENO_TEXT_MAX], b[GENO_TEXT_MAX];
    const WeightsTrain *t = &ck->train;
    const char *what = NULL;
    geno_format(g, a, sizeof a);
    geno_format(&ck->geno, b, sizeof b);
    if (!ck->checkpoint)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s holds weights only, not a checkpoint: it "
                            "cannot be resumed (use it with nasview eval)",
                            name);
    if (strcmp(a, b) != 0)
        what = "genotype";
    else if (ck->F != cfg->F || ck->N != cfg->N)
        what = "--F or --N";
    else if (ck->c != train->c || ck->h != train->h || ck->w != train->w ||
             ck->classes != train->classes)
        what = "input shape or class count";
    else if (ck->nparams != nparams || ck->nstate != nstate)
        what = "network size";
    else if (t->epochs != want->epochs)
        what = "--epochs";
    else if (t->batch != want->batch)
        what = "--batch";
    else if (t->threads != want->threads)
        what = "--threads";
    else if (t->lr != want->lr || t->momentum != want->momentum ||
             t->weight_decay != want->weight_decay)
        what = "--lr (or momentum, weight decay)";
    else if (t->seed != want->seed)
        what = "--seed";
    else if (t->train_n != want->train_n || t->data_hash != want->data_hash)
        what = "training images (--dataset, --train-size, --val-size)";
    else if (t->regs != want->regs)
        what = "regularisers";
    if (what)
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s was written by another run (its %s differ"
                            "s): resume with the command line that wrote it",
                            name, what);
    return NV_OK;
}

/* Write the checkpoint of the epoch just finished. */
static NvStatus train_write_checkpoint(Net *net, const Genotype *g,
                                       const TrainConfig *cfg,
                                       const Dataset *train,
                                       const WeightsTrain *pins,
                                       const TrainOptions *opt,
                                       uint32_t epochs_done, int64_t step,
                                       const Rng *rng, double seconds,
                                       const WeightsEpoch *curve, NvError *err)
{
    float *w, *gr, *m, *s;
    size_t ns;
    uint8_t rs[RNG_STATE_BYTES];
    net_params(net, &w, &gr, &m);
    net_state_arena(net, &s, &ns);
    rng_save(rng, rs);
    WeightsOut o = { g, cfg->F, cfg->N, train->c, train->h, train->w,
                     train->classes, train->mean, train->std,
                     net_param_count(net), (int64_t)ns, w, s, 1, m, pins,
                     epochs_done, step, rs, seconds, epochs_done, curve,
                     opt->regs.aux_weight > 0.0f };
    return weights_save(opt->checkpoint, &o, err);
}

static NvStatus train_save_weights(Net *net, const Genotype *g, int F, int N,
                            const Dataset *train, const char *file, int aux,
                            NvError *err)
{
    float *w, *gr, *m, *s;
    size_t ns;
    net_params(net, &w, &gr, &m);
    net_state_arena(net, &s, &ns);
    WeightsOut o = { g, F, N, train->c, train->h, train->w, train->classes,
                     train->mean, train->std, net_param_count(net),
                     (int64_t)ns, w, s, 0, NULL, NULL, 0, 0, NULL, 0.0, 0,
                     NULL, aux };
    return weights_save(file, &o, err);
}

NvStatus train_run(const Genotype *g, const TrainConfig *cfg,
                   const TrainOptions *opt, const Dataset *train,
                   const Dataset *val, const Dataset *test,
                   TrainProgressFn progress, void *ctx, TrainResult *result,
                   NvError *err)
{
    static const TrainOptions none;
    if (!opt)
        opt = &none;
    memset(result, 0, sizeof *result);
    result->test_acc = -1.0f;
    result->val_acc = -1.0f;
    if (val && val->n == 0)
        val = NULL;
    NvStatus st;
    if (!val) {
        /* train_check wants a validation set; lend it the training one
         * for the shape checks only */
        st = train_check(cfg, train, train, test, err);
    } else
        st = train_check(cfg, train, val, test, err);
    if (st != NV_OK)
        return st;
    /* No batch is larger than the largest subset, so a batch size beyond
     * it changes nothing but the memory the network would take. */
    TrainConfig bounded = *cfg;
    int64_t largest = train->n;
    if (val && val->n > largest)
        largest = val->n;
    if (test && test->n > largest)
        largest = test->n;
    if (bounded.batch > largest)
        bounded.batch = (int)largest;
    cfg = &bounded;
    const double t0 = clock_now_s();
    ChildShape sh = { cfg->F, cfg->N, train->c, train->h, train->w,
                      train->classes };
    Net *net;
    Tensor *input, *logits, *aux = NULL;
    const int drop_layers = opt->regs.drop_path > 0.0f;
    if (opt->regs.aux_weight > 0.0f)
        st = child_build_aux(g, &sh, cfg->batch, drop_layers, &net, &input,
                             &logits, &aux, err);
    else
        st = child_build_opts(g, &sh, cfg->batch, drop_layers, &net, &input,
                              &logits, err);
    if (st != NV_OK)
        return st;
    if ((st = net_set_threads(net, cfg->threads, err)) != NV_OK ||
        (st = net_finish(net, cfg->seed, err)) != NV_OK) {
        net_free(net);
        return st;
    }
    /* The architecture's size, as the paper counts it: without the
     * auxiliary head, which only helps training. */
    const int64_t net_params_all = net_param_count(net);
    result->params = net_params_all;
    result->mult_adds = net_mult_adds(net);
    if (aux && (st = train_measure(g, cfg->F, cfg->N, train->c, train->h,
                                   train->w, train->classes, &result->params,
                                   &result->mult_adds, err)) != NV_OK) {
        net_free(net);
        return st;
    }

    float *state;
    size_t nstate;
    net_state_arena(net, &state, &nstate);
    const int pins_needed = opt->checkpoint || opt->resume;
    const WeightsTrain pins =
        train_pins(cfg, train, pins_needed ? weights_data_hash(train) : 0,
                   &opt->regs);
    const TrainRegs *rg = &opt->regs;
    float fill[3] = { 0.0f, 0.0f, 0.0f };
    for (int ch = 0; ch < train->c && ch < 3; ch++)
        fill[ch] = train->std[ch] > 0.0f ? -train->mean[ch] / train->std[ch]
                                         : 0.0f;
    TrainBuffers b;
    const int64_t norder = train->n > cfg->batch ? train->n : cfg->batch;
    b.images = malloc(sizeof(float) * (size_t)cfg->batch * train->c *
                      train->h * train->w);
    b.labels = malloc((size_t)cfg->batch);
    b.order = malloc(sizeof(int32_t) * (size_t)norder);
    /* per-epoch scores must not change training: the running statistics
     * are saved around recalibration (one copy, allocated here) */
    float *saved_state = malloc(sizeof(float) * (nstate ? nstate : 1));
    WeightsEpoch *curve = malloc(sizeof(WeightsEpoch) * (size_t)cfg->epochs);
    float *scratch = malloc(sizeof(float) * (size_t)train->c * train->h *
                            train->w);
    if (!b.images || !b.labels || !b.order || !saved_state || !curve ||
        !scratch) {
        train_buffers_free(&b);
        free(saved_state);
        free(curve);
        free(scratch);
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
    int first_epoch = 0;
    double before = 0.0; /* seconds of earlier sessions of this run */
    if (opt->resume) {
        const WeightsFile *ck = opt->resume;
        st = train_check_resume(ck, g, cfg, train, &pins, net_params_all,
                                (int64_t)nstate,
                                opt->resume_name ? opt->resume_name
                                                 : "the checkpoint",
                                err);
        if (st != NV_OK) {
            train_buffers_free(&b);
            free(saved_state);
            free(curve);
            free(scratch);
            net_free(net);
            return st;
        }
        float *w, *gr, *m;
        net_params(net, &w, &gr, &m);
        memcpy(w, ck->params, sizeof(float) * (size_t)ck->nparams);
        memcpy(m, ck->momentum, sizeof(float) * (size_t)ck->nparams);
        memcpy(state, ck->state, sizeof(float) * nstate);
        rng_load(&rng, ck->rng);
        pr.step = ck->step;
        first_epoch = (int)ck->epochs_done;
        before = ck->seconds;
        memcpy(curve, ck->curve, sizeof(WeightsEpoch) * ck->epochs_done);
        if (first_epoch > 0)
            result->train_loss = curve[first_epoch - 1].train_loss;
    }
    result->epochs_done = first_epoch;
    double ema_loss = 0.0, ema_acc = 0.0, weight = 0.0;
    int64_t images = 0, step0 = pr.step;
    for (int ep = first_epoch; ep < cfg->epochs && !result->diverged &&
                               !result->interrupted; ep++) {
        pr.epoch = ep;
        for (int64_t i = 0; i < train->n; i++)
            b.order[i] = (int32_t)i;
        rng_shuffle(&rng, b.order, train->n);
        Rng aug, drop;
        rng_seed(&aug, cfg->seed, TRAIN_STREAM_AUG(ep));
        rng_seed(&drop, cfg->seed, TRAIN_STREAM_DROP(ep));
        double epoch_loss = 0.0;
        int64_t epoch_images = 0;
        for (int64_t s = 0; s < per_epoch; s++) {
            int64_t off = s * cfg->batch;
            int n = (int)(train->n - off < cfg->batch ? train->n - off
                                                      : cfg->batch);
            dataset_batch(train, b.order + off, n, b.images, b.labels);
            if (rg->crop_flip)
                augment_crop_flip(b.images, n, train->c, train->h, train->w,
                                  TRAIN_CROP_PAD, fill, scratch, &aug);
            if (rg->cutout > 0)
                augment_cutout(b.images, n, train->c, train->h, train->w,
                               rg->cutout, &aug);
            if (rg->drop_path > 0.0f)
                net_droppath_draw(net, rg->drop_path * (float)pr.step /
                                           (float)pr.steps,
                                  &drop, n);
            net_set_input(net, input, b.images, n);
            float lr = sgd_cosine_lr(cfg->lr, pr.step, pr.steps);
            int right = 0;
            float loss = optim_train_step_reg(net, logits, aux,
                                              rg->aux_weight, b.labels, n, lr,
                                              cfg->momentum, cfg->weight_decay,
                                              rg->label_smooth, rg->clip,
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
            pr.elapsed_s = clock_now_s() - t0;
            pr.images_per_s = pr.elapsed_s > 0 ? images / pr.elapsed_s : 0.0;
            pr.eta_s = pr.step > step0 ? pr.elapsed_s / (double)(pr.step - step0) *
                                             (double)(pr.steps - pr.step)
                                       : 0.0;
            if (progress && progress(&pr, ctx)) {
                result->interrupted = 1;
                break;
            }
        }
        if (result->diverged || result->interrupted)
            break;
        if (epoch_images > 0)
            result->train_loss = (float)(epoch_loss / (double)epoch_images);
        WeightsEpoch *e = &curve[ep];
        e->train_loss = result->train_loss;
        e->val_acc = -1.0f;
        e->test_acc = -1.0f;
        e->seconds = before + clock_now_s() - t0;
        result->epochs_done = ep + 1;
        /* the checkpoint holds the state training continues from: before
         * any scoring touches the running statistics */
        if (opt->checkpoint &&
            (st = train_write_checkpoint(net, g, cfg, train, &pins, opt,
                                         (uint32_t)(ep + 1), pr.step, &rng,
                                         e->seconds, curve, err)) != NV_OK)
            break;
        if (opt->epoch_scores && ep + 1 < cfg->epochs) {
            pr.evaluating = 1;
            if (progress && progress(&pr, ctx)) {
                result->interrupted = 1;
                break;
            }
            pr.evaluating = 0;
            memcpy(saved_state, state, sizeof(float) * nstate);
            if (cfg->bn_recalibrate)
                train_recalibrate(net, input, cfg, train, &b);
            if (val)
                e->val_acc = train_evaluate(net, input, logits, val,
                                            cfg->batch, &b, NULL);
            if (test)
                e->test_acc = train_evaluate(net, input, logits, test,
                                             cfg->batch, &b, NULL);
            memcpy(state, saved_state, sizeof(float) * nstate);
        }
        if (opt->epoch_fn && ep + 1 < cfg->epochs)
            opt->epoch_fn(ep, cfg->epochs, e, opt->epoch_ctx);
    }
    if (st == NV_OK && !result->diverged && !result->interrupted) {
        pr.evaluating = 1;
        if (progress && progress(&pr, ctx))
            result->interrupted = 1;
        else {
            if (cfg->bn_recalibrate)
                train_recalibrate(net, input, cfg, train, &b);
            if (val)
                result->val_acc = train_evaluate(net, input, logits, val,
                                                 cfg->batch, &b, NULL);
            if (test)
                result->test_acc = train_evaluate(net, input, logits, test,
                                                  cfg->batch, &b,
                                                  opt->confusion);
            WeightsEpoch *e = &curve[cfg->epochs - 1];
            e->val_acc = result->val_acc;
            e->test_acc = result->test_acc;
            if (opt->epoch_fn)
                opt->epoch_fn(cfg->epochs - 1, cfg->epochs, e,
                              opt->epoch_ctx);
            if (opt->save)
                st = train_save_weights(net, g, cfg->F, cfg->N, train,
                                        opt->save, aux != NULL, err);
        }
    }
    if (result->diverged) {
        result->val_acc = 0.0f;
        result->train_loss = pr.loss;
    } else if (!val && result->val_acc < 0.0f)
        result->val_acc = 0.0f;
    result->seconds = before + clock_now_s() - t0;
    if (opt->curve_out && st == NV_OK)
        memcpy(opt->curve_out, curve,
               sizeof(WeightsEpoch) * (size_t)result->epochs_done);
    train_buffers_free(&b);
    free(saved_state);
    free(curve);
    free(scratch);
    net_free(net);
    return st;
}

NvStatus train_eval_weights(const WeightsFile *wf, const Dataset *d,
                            int batch, int threads, int64_t *confusion,
                            float *acc, NvError *err)
{
    if (d->c != wf->c || d->h != wf->h || d->w != wf->w ||
        d->classes != wf->classes)
        return nv_error_set(err, NV_ERR_USAGE,
                            "the weights are for %dx%dx%d images of %d "
                            "classes; the dataset has %dx%dx%d, %d classes",
                            wf->c, wf->h, wf->w, wf->classes, d->c, d->h,
                            d->w, d->classes);
    if (batch > d->n)
        batch = d->n > 0 ? (int)d->n : 1;
    ChildShape sh = { wf->F, wf->N, wf->c, wf->h, wf->w, wf->classes };
    Net *net;
    Tensor *input, *logits, *aux;
    /* the auxiliary head is built for its parameters' places only */
    NvStatus st = wf->aux ? child_build_aux(&wf->geno, &sh, batch, 0, &net,
                                            &input, &logits, &aux, err)
                          : child_build(&wf->geno, &sh, batch, &net, &input,
                                        &logits, err);
    if (st != NV_OK)
        return st;
    if ((st = net_set_threads(net, threads, err)) != NV_OK ||
        (st = net_finish(net, 0, err)) != NV_OK) {
        net_free(net);
        return st;
    }
    float *w, *g, *m, *s;
    size_t ns;
    net_params(net, &w, &g, &m);
    net_state_arena(net, &s, &ns);
    if (net_param_count(net) != wf->nparams || (int64_t)ns != wf->nstate) {
        net_free(net);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "the weights file holds %lld parameters and %lld "
                            "statistics; its network has %lld and %lld",
                            (long long)wf->nparams, (long long)wf->nstate,
                            (long long)net_param_count(net), (long long)ns);
    }
    memcpy(w, wf->params, sizeof(float) * (size_t)wf->nparams);
    memcpy(s, wf->state, sizeof(float) * ns);
    TrainBuffers b;
    b.images = malloc(sizeof(float) * (size_t)batch * d->c * d->h * d->w);
    b.labels = malloc((size_t)batch);
    b.order = malloc(sizeof(int32_t) * (size_t)batch);
    if (!b.images || !b.labels || !b.order) {
        train_buffers_free(&b);
        net_free(net);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory for batches");
    }
    *acc = train_evaluate(net, input, logits, d, batch, &b, confusion);
    train_buffers_free(&b);
    net_free(net);
    return NV_OK;
}
