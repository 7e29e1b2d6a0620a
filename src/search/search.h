/* search.h - the headless search loop: propose a batch -> train its
 * children (in this process or in worker processes) -> store each sample
 * -> observe the batch in proposal order, until the budget is spent, a
 * stop is asked for or something fails.
 *
 * The loop owns no signal handlers and prints nothing unless asked: the
 * caller (cmd_search.c) turns signals into the flags of SearchHooks.  All
 * randomness comes from the search's seed through fixed RNG streams, so a
 * resumed search makes exactly the proposals of an uninterrupted one
 * (see the design comment in search_batch.c). */
#ifndef NASVIEW_SEARCH_H
#define NASVIEW_SEARCH_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "base/nv_error.h"
#include "store/store.h"
#include "search/strategy.h"
#include "train/train.h"

typedef struct {
    char name[STORE_NAME_MAX]; /* "" = "<strategy>-<seed>", made unique */
    StrategyConfig strategy;   /* kind, seed and hyper-parameters */
    TrainConfig train;         /* proxy: F, N, epochs, batch, lr, threads,
                                  bn_recalibrate (its seed is ignored: each
                                  child gets its own from the search seed) */
    int budget;                /* children to train */
    char dataset[STORE_TEXT_MAX]; /* dataset_load spec */
    int64_t train_size, val_size;
    int retrain_duplicates;    /* train a known architecture again */
    /* Weight sharing (ENAS; rl and random only): instead of training each
     * child, rounds of ws_steps steps training the shared weights on
     * architectures drawn from the strategy, then ws_samples
     * architectures proposed, each scored on one validation batch with
     * the shared weights (reward kind "shared"). */
    int weight_sharing;
    int ws_steps, ws_samples;
    /* At the end of a weight-sharing search, the ws_panel best distinct
     * architectures by shared-weight reward and ws_panel others drawn at
     * random are trained stand-alone (the fidelity panel). */
    int ws_panel;
    /* What a reward measures (train/reward_metric.h): "" or "accuracy"
     * (each child trained), or a zero-cost score ("naswot", "synflow",
     * "params", "mult_adds") computed in this process instead of training
     * any child; stored with the search, kept by a resume. */
    char reward[16];
} SearchConfig;

typedef struct {
    /* Non-zero: stop as soon as possible (children in flight within a
     * training step, or at once in workers); the value is the signal
     * number, reported in the message. */
    const volatile sig_atomic_t *stop;
    /* Non-zero: pause (status paused, no transaction open, training held
     * where it is) until it is zero again. */
    const volatile sig_atomic_t *pause;
    FILE *human; /* progress for a person (a terminal), or NULL: quiet */
    /* How children are trained: 0 or 1 in this process (with the search's
     * thread count), K > 1 in K worker processes (evaluator.h).  A new
     * search with K > 1 trains and stores one thread per child.  The
     * samples and rewards do not depend on it. */
    int workers;
    /* Non-zero: children go to MPI ranks 1..workers instead
     * (evaluator_mpi.h; this process is rank 0 and MPI is initialised);
     * one thread per child, as with worker processes. */
    int mpi;
} SearchHooks;

/* search_config_default - a search of kind with seed: SPEC.md's proxy
 * defaults, budget 100, Fashion-MNIST with 10,000/5,000 images. */
SearchConfig search_config_default(StrategyKind kind, uint64_t seed);

/* search_config_check - NV_OK when c's settings agree with each other
 * (weight sharing only with rl or random, with steps and samples of at
 * least 1); NV_ERR_USAGE naming the problem.  search_run calls it. */
NvStatus search_config_check(const SearchConfig *c, NvError *err);

/* search_run - create a new search in st (a STORE_WRITE store) from cfg
 * and run it.  *id receives its id as soon as it exists (may be NULL).
 * Returns NV_OK when the budget is spent (status done),
 * NV_ERR_INTERRUPTED when hooks->stop ended it (status interrupted, the
 * children in flight marked interrupted, every worker stopped), or another
 * error (status failed when the search exists, with the message; a worker
 * that cannot start fails it at once with the worker's message). */
NvStatus search_run(Store *st, const SearchConfig *cfg,
                    const SearchHooks *hooks, int64_t *id, NvError *err);

/* search_resume - continue the search named key (name or id) in st from
 * its last strategy snapshot (the end of its last whole batch), reusing
 * the samples of the next batch already finished, with its stored
 * settings (hooks->workers may differ from the first run's).  ws_panel
 * >= 0 (a weight-sharing search only) sets its fidelity panel to that
 * many top and random architectures, stored, and lets a done search be
 * resumed for it: the panel's missing members are trained (those already
 * trained are kept) and the search is done again.  Same returns as
 * search_run; NV_ERR_USAGE when it is done (and ws_panel < 0), still
 * alive elsewhere, or ws_panel is given for a stand-alone search. */
NvStatus search_resume(Store *st, const char *key, const SearchHooks *hooks,
                       int ws_panel, int64_t *id, NvError *err);

#endif
