/* weights.h - the weights file of a trained child network and the
 * checkpoint of one in training (one format, documented in nasview(1),
 * "WEIGHTS FILES").
 *
 * All numbers are little-endian; floats travel as IEEE-754 bit patterns,
 * so a round trip is exact.
 *
 *   bytes 0-7   magic "NASVWGT\n"
 *   u32         format version (WEIGHTS_VERSION)
 *   u32         flags: bit 0 = a checkpoint (optimiser state and training
 *               position follow the weights); bit 1 = the network has the
 *               auxiliary head of final training (child_build_aux): its
 *               parameters and statistics follow the network's own
 *   u32 L, L bytes   the genotype's canonical text (SPEC.md section 1)
 *   u32 x6      F, N, input channels, height, width, classes
 *   f32 x6      per-channel normalisation mean[3], std[3] (dataset.h)
 *   u64 P, u64 S    parameter count, running-statistics count
 *   f32 x P     parameters, in the network's build order
 *   f32 x S     batch-norm running statistics, in build order
 *   checkpoints only:
 *     f32 x P   Nesterov momentum
 *     the settings training must keep to continue bit-identically
 *     (WeightsTrain, field by field) and the position: u32 epochs done,
 *     u64 optimiser steps done, 32 bytes of batch-order RNG state, f64
 *     seconds spent so far, u32 E then E x (f32 train loss, f32 val acc,
 *     f32 test acc, f64 seconds): the curve so far
 *   u64         FNV-1a 64 of every byte before it
 *
 * Reading checks the magic, version, every size and count against the
 * file's length, the genotype text, and the checksum, so a damaged,
 * truncated or foreign file is refused with a message that says which.
 * Nothing here builds or trains a network (train.c). */
#ifndef NASVIEW_WEIGHTS_H
#define NASVIEW_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "base/rng.h"
#include "data/dataset.h"
#include "space/genotype.h"

#define WEIGHTS_MAGIC "NASVWGT\n"
#define WEIGHTS_VERSION 1u
#define WEIGHTS_FLAG_CHECKPOINT 1u
#define WEIGHTS_FLAG_AUX 2u

/* The settings a resumed run must share with the one that wrote the
 * checkpoint; any difference would change the result. */
typedef struct {
    uint32_t epochs, batch, threads;
    float lr, momentum, weight_decay;
    uint64_t seed;
    int64_t train_n;     /* images in the training subset */
    uint64_t data_hash;  /* weights_data_hash of that subset */
    uint32_t regs;       /* regulariser settings fingerprint (train.c) */
} WeightsTrain;

/* One finished epoch of a run's curve; -1 where not measured. */
typedef struct {
    float train_loss, val_acc, test_acc;
    double seconds; /* since the run began, all sessions together */
} WeightsEpoch;

/* A weights file in memory.  Arrays point into `buf` (owned). */
typedef struct {
    Genotype geno;
    int F, N, c, h, w, classes;
    float mean[3], std[3];
    int64_t nparams, nstate;
    const float *params;   /* [nparams], unaligned copy in buf */
    const float *state;    /* [nstate] */
    int checkpoint;        /* 1: the fields below are set */
    const float *momentum; /* [nparams] */
    WeightsTrain train;
    uint32_t epochs_done;
    int64_t step;
    uint8_t rng[RNG_STATE_BYTES];
    double seconds;
    uint32_t nepochs;      /* entries of curve */
    WeightsEpoch *curve;   /* owned */
    uint8_t *buf;          /* owned: the aligned float copies */
    int aux;               /* 1: the network has the auxiliary head */
} WeightsFile;

/* What weights_save writes.  momentum and train/position are read only
 * when checkpoint is 1.  Nothing is owned. */
typedef struct {
    const Genotype *geno;
    int F, N, c, h, w, classes;
    const float *mean, *std;       /* 3 floats each */
    int64_t nparams, nstate;
    const float *params, *state;
    int checkpoint;
    const float *momentum;
    const WeightsTrain *train;
    uint32_t epochs_done;
    int64_t step;
    const uint8_t *rng;            /* RNG_STATE_BYTES */
    double seconds;
    uint32_t nepochs;
    const WeightsEpoch *curve;
    int aux;                       /* the network has the auxiliary head */
} WeightsOut;

/* weights_save - write *o to file atomically (outfile.h: a temporary file
 * renamed over the target once synced, so a kill leaves the old file or
 * the new one, never half of one).  Errors: NV_ERR_IO naming the file,
 * NV_ERR_NOMEM. */
NvStatus weights_save(const char *file, const WeightsOut *o, NvError *err);

/* weights_load - read and check file into *out (weights_free releases
 * it).  Errors name the file: NV_ERR_IO (cannot read, not a regular
 * file), NV_ERR_FORMAT (not a nasview weights file, another version,
 * truncated, damaged: checksum mismatch, sizes that do not add up, a
 * genotype outside the search space). */
NvStatus weights_load(const char *file, WeightsFile *out, NvError *err);

/* weights_free - release what weights_load allocated; a zeroed or freed
 * WeightsFile is a no-op. */
void weights_free(WeightsFile *wf);

/* weights_data_hash - FNV-1a 64 over d's shape, pixels and labels: tells
 * a resumed run whether it trains on the same images. */
uint64_t weights_data_hash(const Dataset *d);

#endif
