/* shared.h - the two phases of weight-sharing search (ENAS, Pham et al.
 * 2018) over one supernet (train/supernet.h): (a) train the shared weights
 * for a number of steps, each minibatch on an architecture drawn from the
 * strategy's current distribution (strategy_sample), and (b) score an
 * architecture on one validation batch with the shared weights.  The
 * search loop (search_batch.c) alternates them and stores what (b) measures.
 *
 * Batch normalisation uses batch statistics in both phases: every child is
 * a fresh view on the shared weights, with no running statistics of its
 * own worth keeping, and ENAS scores its children the same way.
 *
 * Determinism: round r's minibatches come from the seed and r, its
 * architectures from the seed, r and the strategy's state (which phase (a)
 * does not change); sample idx's validation batch from idx.  So the same
 * seed gives the same shared weights and rewards, and a checkpoint taken
 * after a round (shared_save) resumes exactly. */
#ifndef NASVIEW_SHARED_H
#define NASVIEW_SHARED_H

#include <stdint.h>

#include "data/dataset.h"
#include "search/strategy.h"
#include "train/supernet.h"
#include "train/train.h"

typedef struct Shared Shared;

/* The shared-weight defaults: steps of phase (a) and architectures of
 * phase (b) per round.  At the default proxy on two cores a step takes
 * about a fifth of a second and a sample a tenth: a round is some 12 s,
 * a fifth of it spent scoring. */
#define SHARED_DEFAULT_STEPS 50
#define SHARED_DEFAULT_SAMPLES 20
/* Architectures of each half of the fidelity panel: 10 stand-alone
 * children, some five to ten minutes at the default proxy. */
#define SHARED_DEFAULT_PANEL 5

/* Returns non-zero to stop phase (a) between two steps. */
typedef int (*SharedStopFn)(void *ctx, int step, int steps, float loss);

/* shared_new - the supernet for cfg's F and N on train's images, from
 * seed, for `rounds` rounds of `steps` steps (the cosine learning-rate
 * schedule runs over all of them) and `samples` architectures each.
 * train and val must outlive it.  NULL with err filled on failure (out of
 * memory, steps or samples below 1, a batch larger than either set).  The
 * caller owns it (shared_free). */
Shared *shared_new(const TrainConfig *cfg, const Dataset *train,
                   const Dataset *val, uint64_t seed, int rounds, int steps,
                   int samples, NvError *err);

/* shared_free - release sh; NULL is a no-op. */
void shared_free(Shared *sh);

/* shared_rounds - rounds whose phase (a) is done. */
int shared_rounds(const Shared *sh);

/* shared_round_of - the round sample idx belongs to. */
int shared_round_of(const Shared *sh, int idx);

/* shared_train - phase (a) of round shared_rounds(sh) with strat's
 * current distribution; then shared_rounds() is one more.  stop (may be
 * NULL) is asked after every step: when it says stop, returns
 * NV_ERR_INTERRUPTED and the round does not count (its partial updates
 * stay in memory only; resume from a checkpoint).  *mean_loss receives
 * the round's mean training loss (steps whose loss was NaN/inf are
 * skipped and leave the weights unchanged).  Other errors: building a
 * child (NV_ERR_NOMEM). */
NvStatus shared_train(Shared *sh, Strategy *strat, SharedStopFn stop,
                      void *ctx, float *mean_loss, NvError *err);

typedef struct {
    float reward;      /* accuracy on the validation batch */
    float loss;        /* its mean cross-entropy */
    int64_t params;    /* the child's (distinct) parameters */
    int64_t mult_adds; /* one image, forward */
    double seconds;    /* wall time of building and scoring */
} SharedScore;

/* shared_score - phase (b) for sample idx: g on its validation batch
 * (batch statistics) with the current shared weights, which it does not
 * change.  Errors as shared_train's. */
NvStatus shared_score(Shared *sh, const Genotype *g, int idx,
                      SharedScore *out, NvError *err);

/* Validation batches shared_score_final scores every architecture on. */
#define SHARED_FINAL_BATCHES 16

/* shared_score_final - g with the current shared weights on the same
 * images for every architecture: the first SHARED_FINAL_BATCHES batches
 * of the validation subset (all of it when smaller), batch statistics in
 * each batch.  What the fidelity panel correlates with stand-alone
 * training: a sample's own reward was measured with the weights of its
 * round, on its own batch, so early samples would rank low for the
 * weights' sake, not theirs.  Changes nothing; errors as shared_score's. */
NvStatus shared_score_final(Shared *sh, const Genotype *g, SharedScore *out,
                            NvError *err);

/* shared_save - the supernet snapshot (values and momentum) into a new
 * buffer (*buf malloc'ed, the caller's). */
NvStatus shared_save(const Shared *sh, uint8_t **buf, size_t *len,
                     NvError *err);

/* shared_load - restore a snapshot taken after `rounds` rounds into a
 * fresh sh (no round trained, no child scored).  NV_ERR_PARSE for
 * foreign bytes, NV_ERR_USAGE when sh is not fresh. */
NvStatus shared_load(Shared *sh, int rounds, const uint8_t *buf, size_t len,
                     NvError *err);

#endif
