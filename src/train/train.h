/* train.h - training one child network: a pure function from (genotype,
 * settings, data, seed) to (reward, curves, size, cost).
 *
 * Nothing here knows about strategies, the database or the UI: progress
 * goes out through a callback, and the callback's return value is how a
 * caller stops training early (Ctrl-C, pause, stop). */
#ifndef NASVIEW_TRAIN_H
#define NASVIEW_TRAIN_H

#include <stdint.h>

#include "data/dataset.h"
#include "space/genotype.h"
#include "base/nv_error.h"
#include "train/weights.h"

typedef struct {
    int F;              /* filters of the first stack (SPEC: search default 8) */
    int N;              /* normal cells per stack (search default 1) */
    int epochs;         /* passes over the train subset (search default 1) */
    int batch;          /* minibatch size (64) */
    float lr;           /* initial learning rate, cosine-annealed to 0 (0.05) */
    float momentum;     /* Nesterov momentum (0.9) */
    float weight_decay; /* L2 on all parameters (3e-4) */
    uint64_t seed;      /* weight init and batch order */
    int threads;        /* threads a batch is split over, each taking a
                           fixed range of its images through every layer
                           (2; net_set_threads); OpenBLAS itself stays
                           single-threaded (PLATFORM.md) */
    int bn_recalibrate; /* 1: before scoring, set every batch norm's running
                           statistics to the exact ones of its inputs over
                           recal_images seeded training images (SPEC.md
                           section 3; default 1) */
    int recal_images;   /* images of the train subset recalibration uses,
                           all of it when smaller (2000) */
} TrainConfig;

/* The search proxy's train and validation subsets (SPEC.md section 3; the
 * paper's validation set is 5,000 images). */
#define TRAIN_DEFAULT_TRAIN_SIZE 10000
#define TRAIN_DEFAULT_VAL_SIZE 5000
/* Images batch-norm recalibration runs through: a fifth of the default
 * train subset, forward passes only.  On NASNet-A at the search defaults
 * it added 2.1 s of CPU time to 32.5 s (6%); at 1,000 or 2,000 training
 * images, where it passes them all, about a quarter. */
#define TRAIN_DEFAULT_RECAL_IMAGES 2000

/* train_config_default - the search proxy of SPEC.md section 3. */
TrainConfig train_config_default(void);

typedef struct {
    int epoch, epochs;     /* 0-based epoch now running, total */
    int64_t step, steps;   /* optimiser steps done, total */
    float loss;            /* moving average of the training loss */
    float train_acc;       /* moving average of the batch accuracy */
    double images_per_s;   /* training throughput so far */
    double elapsed_s, eta_s;
    int evaluating;        /* 1 while the validation pass runs */
} TrainProgress;

/* Called about every batch; returning non-zero stops training at once
 * (the result is then marked interrupted). */
typedef int (*TrainProgressFn)(const TrainProgress *p, void *ctx);

typedef struct {
    float val_acc;     /* reward: accuracy on the validation set */
    float test_acc;    /* accuracy on the test set, or -1 when not asked */
    float train_loss;  /* mean training loss over the last epoch */
    int64_t params;    /* trainable parameters */
    int64_t mult_adds; /* multiply-adds of one forward pass of one image */
    double seconds;    /* wall time of training plus evaluation */
    int diverged;      /* loss became NaN/inf; val_acc is 0 */
    int interrupted;   /* the progress callback asked to stop */
    int epochs_done;   /* finished epochs (train_run) */
} TrainResult;

/* train_child - build the child network of SPEC.md section 2 for g, train it
 * on `train` with cfg, evaluate on `val` (and on `test` when not NULL).
 * Divergence is not an error: it returns NV_OK with result->diverged set.
 * An interruption returns NV_OK with result->interrupted set.  Errors
 * (NV_ERR_NOMEM, NV_ERR_USAGE for impossible shapes) fill err. */
NvStatus train_child(const Genotype *g, const TrainConfig *cfg,
                     const Dataset *train, const Dataset *val,
                     const Dataset *test, TrainProgressFn progress, void *ctx,
                     TrainResult *result, NvError *err);

/* The regularisers of final training, each off when zero (paper section
 * 4 and its public code; none is used during search, SPEC.md section 2). */
typedef struct {
    float drop_path;    /* ScheduledDropPath: final probability of dropping
                           an op's path, ramped linearly from 0 at the
                           first step; kept paths scaled by 1/(1-p) */
    int cutout;         /* side of the square cut out of every image */
    int crop_flip;      /* random crop with padding 4, horizontal flip */
    float clip;         /* gradients clipped to this L2 norm */
    float label_smooth; /* label smoothing epsilon, in [0, 1) */
    float aux_weight;   /* weight of the auxiliary head's loss (the paper:
                           0.4); 0: no auxiliary head (child_build_aux) */
} TrainRegs;

/* train_regs_hash - a fingerprint of r (checkpoints pin it). */
uint32_t train_regs_hash(const TrainRegs *r);

/* Options of a final training run (train_run); zeroed means none. */
typedef struct {
    TrainRegs regs;               /* regularisers (all off: zeroed) */
    const char *checkpoint;       /* write a checkpoint here at every epoch
                                     end (atomically), or NULL */
    const WeightsFile *resume;    /* continue from this checkpoint, or NULL;
                                     borrowed */
    const char *resume_name;      /* its file name, for messages */
    const char *save;             /* write the final weights here, or NULL */
    int epoch_scores;             /* score val/test after every epoch (the
                                     running statistics are put back, so
                                     training is unchanged) */
    /* called after each finished epoch (the last one after its scores) */
    void (*epoch_fn)(int epoch, int epochs, const WeightsEpoch *e, void *ctx);
    void *epoch_ctx;
    int64_t *confusion;           /* classes x classes counts of the final
                                     test scoring, zeroed by the caller, or
                                     NULL */
    WeightsEpoch *curve_out;      /* epochs entries filled with the curve,
                                     or NULL */
} TrainOptions;

/* train_run - train_child with options (above) for the final training of
 * `nasview train`.  val may be NULL or empty (no validation: val_acc is
 * reported as 0 and the curve's val_acc as -1).  A resumed run must have
 * the settings and data that wrote the checkpoint (NV_ERR_USAGE naming
 * the one that differs otherwise); it continues bit-identically.  A
 * checkpoint or weights file that cannot be written is an error
 * (NV_ERR_IO), training stops there.  result->epochs_done counts the
 * finished epochs, those of earlier sessions included. */
NvStatus train_run(const Genotype *g, const TrainConfig *cfg,
                   const TrainOptions *opt, const Dataset *train,
                   const Dataset *val, const Dataset *test,
                   TrainProgressFn progress, void *ctx, TrainResult *result,
                   NvError *err);

/* train_eval_weights - build the network a weights file describes, load
 * its weights and statistics, and score d in inference mode in batches of
 * `batch` on `threads` threads: *acc the top-1 accuracy, and when
 * confusion is not NULL, confusion[true * classes + predicted] counts
 * added (zeroed by the caller).  d is normalised with its own statistics:
 * the caller sets d->mean/std from the file.  Errors: NV_ERR_USAGE (the
 * dataset's shape differs), NV_ERR_FORMAT (sizes differ from the
 * network's), NV_ERR_NOMEM. */
NvStatus train_eval_weights(const WeightsFile *wf, const Dataset *d,
                            int batch, int threads, int64_t *confusion,
                            float *acc, NvError *err);

/* train_measure - parameters and mult-adds of the child network for g at
 * F, N, input c x h x w and `classes` outputs, without training it. */
NvStatus train_measure(const Genotype *g, int F, int N, int c, int h, int w,
                       int classes, int64_t *params, int64_t *mult_adds,
                       NvError *err);

#endif
