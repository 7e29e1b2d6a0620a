/* dataset.h - image classification datasets in memory, and the seeded
 * train/validation split of SPEC.md section 3.
 *
 * Images stay as the files hold them, one byte per pixel in NCHW order
 * (60,000 Fashion-MNIST images are 47 MB as bytes, 188 MB as floats);
 * dataset_batch() turns a batch into normalised float32 when it is used.
 * Normalisation is per channel: pixel/255, minus the training part's mean,
 * over its standard deviation.  Readers check every header, size and count
 * and name the file at fault.  Nothing here knows about networks. */
#ifndef NASVIEW_DATASET_H
#define NASVIEW_DATASET_H

#include <stdint.h>

#include "base/nv_error.h"

/* Where the Debian package dataset-fashion-mnist installs its files. */
#define DATASET_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

typedef enum { DATASET_TRAIN = 0, DATASET_TEST = 1 } DatasetPart;

typedef struct {
    int64_t n;        /* number of images */
    int c, h, w;      /* image shape */
    int classes;      /* number of classes (labels are 0..classes-1) */
    uint8_t *pixels;  /* [n][c][h][w], raw 0..255; owned by the Dataset */
    uint8_t *labels;  /* [n]; owned by the Dataset */
    float mean[3], std[3]; /* per-channel statistics of the training part,
                              on the [0,1] scale; used by dataset_batch */
    char name[64];    /* "fashion-mnist", "cifar10" or the directory name */
} Dataset;

/* dataset_load - read one part of a dataset.  spec is
 *   "fashion-mnist" (the Debian package's directory),
 *   "cifar10:DIR"   (CIFAR-10 binary batches data_batch_*.bin/test_batch.bin),
 *   or a directory of IDX files ({train,t10k}-{images-idx3,labels-idx1}-ubyte
 *   with or without .gz).
 * Normalisation always uses the training part's statistics.  On success
 * *out is a new Dataset owned by the caller (dataset_free). */
NvStatus dataset_load(const char *spec, DatasetPart part, Dataset **out,
                      NvError *err);

/* dataset_split - the seeded, disjoint train/validation subsets of a
 * search: a permutation of full's indices drawn from seed; the first
 * train_n go to *train, the next val_n to *val.  Fails (NV_ERR_USAGE) when
 * train_n + val_n > full->n.  Both results are new Datasets (copies) owned
 * by the caller. */
NvStatus dataset_split(const Dataset *full, int64_t train_n, int64_t val_n,
                       uint64_t seed, Dataset **train, Dataset **val,
                       NvError *err);

/* dataset_batch - normalised float32 images [n][c][h][w] of the examples
 * idx[0..n) into out, and their labels into labels (may be NULL).  No
 * allocation; idx values must be < d->n. */
void dataset_batch(const Dataset *d, const int32_t *idx, int n, float *out,
                   uint8_t *labels);

/* dataset_free - release d; NULL is a no-op. */
void dataset_free(Dataset *d);

#endif
