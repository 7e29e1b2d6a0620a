/* test_train.c - training children end to end on real Fashion-MNIST
 * images (the Debian package dataset-fashion-mnist, installed in CI):
 * a short run learns (loss falls, accuracy well above chance), one seed and
 * one thread give bit-identical results twice, a NaN loss is reported as
 * divergence, the progress callback can interrupt, the optimiser and
 * schedule follow SPEC.md section 3, and train_measure counts NASNet-A. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/dataset.h"
#include "train/optim.h"
#include "train/train.h"

typedef struct {
    float first_loss;
    int calls, stop_at;
} Watch;

static int watch(const TrainProgress *p, void *ctx)
{
    Watch *w = ctx;
    if (!p->evaluating && w->calls == 0)
        w->first_loss = p->loss;
    w->calls++;
    return w->stop_at > 0 && w->calls >= w->stop_at;
}

static void check_optimiser(void)
{
    /* one Nesterov step from v = 0: d = g + wd*w; v = d; w -= lr*(d + mu*v) */
    float w[2] = { 1.0f, -2.0f }, g[2] = { 0.5f, 0.25f }, v[2] = { 0, 0 };
    sgd_nesterov_step(w, g, v, 2, 0.1f, 0.9f, 0.01f);
    float d0 = 0.5f + 0.01f * 1.0f, d1 = 0.25f + 0.01f * -2.0f;
    CHECK(fabsf(w[0] - (1.0f - 0.1f * (d0 + 0.9f * d0))) < 1e-6f, "w0 %g", w[0]);
    CHECK(fabsf(w[1] - (-2.0f - 0.1f * (d1 + 0.9f * d1))) < 1e-6f, "w1 %g", w[1]);
    CHECK(fabsf(v[0] - d0) < 1e-7f, "v0 %g", v[0]);
    CHECK(sgd_cosine_lr(0.05f, 0, 100) == 0.05f, "cosine starts at lr");
    CHECK(fabsf(sgd_cosine_lr(0.05f, 50, 100) - 0.025f) < 1e-7f, "half way");
    CHECK(sgd_cosine_lr(0.05f, 100, 100) < 1e-9f, "ends at 0");
}

int main(void)
{
    NvError err;
    check_optimiser();

    int64_t params = 0, ma = 0;
    CHECK(train_measure(geno_nasnet_a(), 16, 1, 1, 28, 28, 10, &params, &ma,
                        &err) == NV_OK && params == 211258 && ma > 0,
          "train_measure NASNet-A: %lld params, %lld mult-adds",
          (long long)params, (long long)ma);

    Dataset *full = NULL, *train = NULL, *val = NULL;
    NvStatus st = dataset_load("fashion-mnist", DATASET_TRAIN, &full, &err);
    CHECK(st == NV_OK, "Fashion-MNIST must be installed: %s", err.msg);
    if (st != NV_OK)
        return check_exit("test_train");
    CHECK(dataset_split(full, 320, 160, 7, &train, &val, &err) == NV_OK,
          "split: %s", err.msg);
    dataset_free(full);

    TrainConfig cfg = train_config_default();
    CHECK(cfg.threads == 2, "two threads by default, got %d", cfg.threads);
    cfg.threads = 1;
    cfg.F = 4;
    cfg.epochs = 2;
    cfg.batch = 16;
    cfg.seed = 3;
    TrainResult a, b;
    Watch wa = { 0, 0, 0 }, wb = { 0, 0, 0 };
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, watch, &wa, &a,
                      &err) == NV_OK, "train: %s", err.msg);
    CHECK(!a.diverged && !a.interrupted, "first run finished");
    CHECK(a.params > 0 && a.mult_adds > 0 && a.seconds > 0, "sizes reported");
    CHECK(a.test_acc == -1.0f, "no test set: test_acc -1, got %g", a.test_acc);
    CHECK(wa.calls == 2 * 20 + 1, "progress once per step and at evaluation: %d",
          wa.calls);
    CHECK(a.train_loss < wa.first_loss - 0.3f,
          "loss falls: first %g, last epoch mean %g", wa.first_loss,
          a.train_loss);
    CHECK(a.val_acc > 0.35f, "validation accuracy %g well above chance (0.1)",
          a.val_acc);

    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, watch, &wb, &b,
                      &err) == NV_OK, "train again: %s", err.msg);
    CHECK(memcmp(&a.val_acc, &b.val_acc, sizeof a.val_acc) == 0 &&
              memcmp(&a.train_loss, &b.train_loss, sizeof a.train_loss) == 0 &&
              memcmp(&wa.first_loss, &wb.first_loss, sizeof wa.first_loss) == 0,
          "same seed, one thread: bit-identical (%.9g %.9g vs %.9g %.9g)",
          a.val_acc, a.train_loss, b.val_acc, b.train_loss);

    /* two threads: reproducible too (on the first 128 images: a Dataset
     * is plain data, so a shorter view of it is one) */
    Dataset small = *train, small_val = *val;
    small.n = 128;
    small_val.n = 64;
    cfg.threads = 2;
    cfg.epochs = 1;
    CHECK(train_child(geno_nasnet_a(), &cfg, &small, &small_val, NULL, NULL,
                      NULL, &a, &err) == NV_OK &&
              train_child(geno_nasnet_a(), &cfg, &small, &small_val, NULL,
                          NULL, NULL, &b, &err) == NV_OK,
          "train with 2 threads: %s", err.msg);
    CHECK(memcmp(&a.val_acc, &b.val_acc, sizeof a.val_acc) == 0 &&
              memcmp(&a.train_loss, &b.train_loss, sizeof a.train_loss) == 0,
          "2 threads twice: bit-identical (%.9g vs %.9g)", a.train_loss,
          b.train_loss);
    cfg.threads = 1;

    /* another seed: another initialisation and order (one step is enough) */
    cfg.seed = 4;
    cfg.epochs = 1;
    Watch wc = { 0, 0, 1 };
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, watch, &wc, &b,
                      &err) == NV_OK, "train seed 4: %s", err.msg);
    CHECK(wc.first_loss != wa.first_loss, "seed changes the run");

    /* batch-norm recalibration: on by default, it changes the score and
     * nothing of the training; with no images it is the same as off */
    const TrainConfig def = train_config_default();
    CHECK(def.bn_recalibrate == 1 && def.recal_images == 2000,
          "recalibration on, 2000 images by default (%d, %d)",
          def.bn_recalibrate, def.recal_images);
    TrainResult on, off, none;
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, NULL, NULL,
                      &on, &err) == NV_OK, "train with recalibration");
    cfg.bn_recalibrate = 0;
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, NULL, NULL,
                      &off, &err) == NV_OK, "train without recalibration");
    cfg.bn_recalibrate = 1;
    cfg.recal_images = 0;
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, NULL, NULL,
                      &none, &err) == NV_OK, "train recalibrating 0 images");
    cfg.recal_images = def.recal_images;
    CHECK(memcmp(&on.train_loss, &off.train_loss, sizeof on.train_loss) == 0,
          "recalibration leaves training alone (%.9g vs %.9g)", on.train_loss,
          off.train_loss);
    CHECK(on.val_acc != off.val_acc, "recalibration changes the score (%g)",
          on.val_acc);
    CHECK(none.val_acc == off.val_acc, "0 images: as off (%g vs %g)",
          none.val_acc, off.val_acc);

    /* interruption from the progress callback */
    Watch stop = { 0, 0, 3 };
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, watch, &stop,
                      &b, &err) == NV_OK && b.interrupted && stop.calls == 3,
          "callback stops training after 3 calls (%d, interrupted %d)",
          stop.calls, b.interrupted);

    /* a NaN loss: a NaN mean makes every input NaN */
    Dataset bad = *train;
    bad.mean[0] = NAN;
    Watch wn = { 0, 0, 0 };
    CHECK(train_child(geno_nasnet_a(), &cfg, &bad, val, NULL, watch, &wn, &b,
                      &err) == NV_OK && b.diverged && b.val_acc == 0.0f &&
              wn.calls <= 1,
          "NaN loss reported as diverged (diverged %d, val %g, calls %d)",
          b.diverged, b.val_acc, wn.calls);

    /* impossible settings are usage errors */
    cfg.batch = 1;
    CHECK(train_child(geno_nasnet_a(), &cfg, train, val, NULL, NULL, NULL, &b,
                      &err) == NV_ERR_USAGE, "batch 1 refused");
    cfg.batch = 16;
    Dataset other = *val;
    other.classes = 3;
    CHECK(train_child(geno_nasnet_a(), &cfg, train, &other, NULL, NULL, NULL,
                      &b, &err) == NV_ERR_USAGE && strstr(err.msg, "validation"),
          "mismatched validation set refused: %s", err.msg);

    dataset_free(train);
    dataset_free(val);
    return check_exit("test_train");
}
