/* search_loop.h - what search.c (starting and resuming), search_batch.c
 * (the loop) and search_ws.c (its weight-sharing half) share: the
 * resources of a running search, the RNG streams of its seed, the loop's
 * state and its helpers for stopping, pausing and the status line.  Only
 * those three include this. */
#ifndef NASVIEW_SEARCH_LOOP_H
#define NASVIEW_SEARCH_LOOP_H

#include "search/evaluator.h"
#include "search/search.h"
#include "search/shared.h"

/* RNG streams of the search seed (search_batch.c, invariant 2); far from
 * the strategy's own streams (strategy.h). */
#define SEARCH_STREAM_SPLIT 0x53504c4954ull       /* "SPLIT" */
#define SEARCH_STREAM_CHILD 0x4348494c44000000ull /* "CHILD" + idx */
#define SEARCH_STREAM_SHARED 0x534841524544ull    /* "SHARED" */
#define SEARCH_STREAM_PANEL 0x50414e454cull       /* "PANEL" */

/* How often the terminal line is redrawn (seconds). */
#define SEARCH_HUMAN_PERIOD 0.25

/* search_split_seed - the seed of c's train/validation split (every
 * process that loads the data must use this one). */
uint64_t search_split_seed(const SearchConfig *c);

/* What a running search holds; every pointer owned by it. */
typedef struct {
    Dataset *train, *val;
    Strategy *strat;
    Evaluator *ev; /* made by search_loop, freed before it returns (none
                    * for weight sharing) */
    Shared *shared; /* weight sharing only */
} SearchResources;

/* One sample of the batch in flight (search_batch.c). */
typedef struct SearchItem SearchItem;

/* The state of a running loop (search_batch.c). */
typedef struct {
    Store *st;
    const SearchHooks *hooks;
    const SearchConfig *c;
    int64_t id;
    StoreSearch row;      /* refreshed every batch */
    SearchItem *items;    /* [n] the batch in flight */
    int start, n;
    int paused;           /* status set to paused by poll */
    double last_human;
    double t0;            /* monotonic start of this run */
    int done_this_run;    /* samples finished since start (for the ETA) */
    int write_failed;     /* a progress write failed (reported once) */
    const Dataset *train; /* the train subset (zero-cost rewards read it) */
    double *scores;       /* zero-cost searches: the scores of samples
                           * 0 .. start-1 that have one (search_scores.c) */
    size_t nscores, capscores;
    int scores_read;      /* scores holds the file's samples before start */
} Loop;

/* search_loop - run search id of st in batches from sample `from` (a batch
 * boundary: the sample after the strategy snapshot res->strat was loaded
 * from) to c->budget, with the evaluator hooks->workers asks for, and set
 * the search's final status: done (NV_OK), interrupted
 * (NV_ERR_INTERRUPTED) or failed (any other error, message in err).
 * Frees res->ev (every worker reaped) before it sets the status. */
NvStatus search_loop(Store *st, int64_t id, int from, const SearchConfig *c,
                     SearchResources *res, const SearchHooks *hooks,
                     NvError *err);

/* search_stopping - non-zero once hooks->stop is set. */
int search_stopping(const Loop *l);

/* search_pause_here - wait while hooks->pause is set (no transaction
 * open); the search shows as paused meanwhile. */
void search_pause_here(Loop *l);

/* search_human_line - redraw the one status line on the terminal (when
 * hooks->human is set) through text_put; a final newline stays one. */
void search_human_line(Loop *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- zero-cost rewards (search_scores.c) ---- */

/* search_scores_reserve - room in l->scores for `more` scores after
 * nscores; the first call of a run of the loop fills it with the scores
 * of the file's samples before l->start that have one, in sample order
 * (read once: each batch then adds its own).  NV_ERR_NOMEM, store
 * errors. */
NvStatus search_scores_reserve(Loop *l, int more, NvError *err);

/* ---- weight sharing (search_ws.c; search_batch.c invariants 7, 8) ---- */

/* search_shared_make - res->shared for a weight-sharing search c, once
 * its data is loaded (nothing for other searches). */
NvStatus search_shared_make(const SearchConfig *c, SearchResources *res,
                            NvError *err);

/* search_shared_phase - train the shared weights when sample l->start
 * opens a round they have not been trained for, then checkpoint them.
 * NV_ERR_INTERRUPTED on a stop. */
NvStatus search_shared_phase(Loop *l, SearchResources *res, NvError *err);

/* search_shared_score - score genotype canon (sample sm->idx, row and
 * decisions sm and dec, not yet in the file) with the shared weights:
 * its row goes in, then its result, in two transactions as any sample. */
NvStatus search_shared_score(Loop *l, SearchResources *res,
                             const Genotype *canon, StoreSample *sm,
                             StoreDecision *dec, NvError *err);

/* search_panel - train the fidelity panel's missing architectures
 * stand-alone (in this process) and store each result.
 * NV_ERR_INTERRUPTED on a stop. */
NvStatus search_panel(Loop *l, SearchResources *res, NvError *err);

#endif
