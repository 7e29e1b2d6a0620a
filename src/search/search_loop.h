/* search_loop.h - what search.c (starting and resuming) and search_batch.c
 * (the loop) share: the resources of a running search and the RNG streams
 * of its seed.  Only those two include this. */
#ifndef NASVIEW_SEARCH_LOOP_H
#define NASVIEW_SEARCH_LOOP_H

#include "search/evaluator.h"
#include "search/search.h"

/* RNG streams of the search seed (search_batch.c, invariant 2); far from
 * the strategy's own streams (strategy.h). */
#define SEARCH_STREAM_SPLIT 0x53504c4954ull       /* "SPLIT" */
#define SEARCH_STREAM_CHILD 0x4348494c44000000ull /* "CHILD" + idx */

/* search_split_seed - the seed of c's train/validation split (every
 * process that loads the data must use this one). */
uint64_t search_split_seed(const SearchConfig *c);

/* What a running search holds; every pointer owned by it. */
typedef struct {
    Dataset *train, *val;
    Strategy *strat;
    Evaluator *ev; /* made by search_loop, freed before it returns */
} SearchResources;

/* search_loop - run search id of st in batches from sample `from` (a batch
 * boundary: the sample after the strategy snapshot res->strat was loaded
 * from) to c->budget, with the evaluator hooks->workers asks for, and set
 * the search's final status: done (NV_OK), interrupted
 * (NV_ERR_INTERRUPTED) or failed (any other error, message in err).
 * Frees res->ev (every worker reaped) before it sets the status. */
NvStatus search_loop(Store *st, int64_t id, int from, const SearchConfig *c,
                     SearchResources *res, const SearchHooks *hooks,
                     NvError *err);

#endif
