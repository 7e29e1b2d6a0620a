/* compare_load.h - a stored search's rewards as a comparison reads them,
 * for the command and the Compare screen alike: which samples count, how
 * a diverged child scores, what a sample cost. */
#ifndef NASVIEW_COMPARE_LOAD_H
#define NASVIEW_COMPARE_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "compare/compare.h"
#include "store/store.h"

/* The samples of one search that count, in sample order. */
typedef struct {
    double *reward; /* n rewards; a diverged child (or an unknown reward
                       on a counted sample) scores 0 (SPEC 3) */
    uint64_t *key;  /* n architecture hashes */
    double *cpu;    /* n CPU-seconds: the child's seconds x the search's
                       threads (a reused duplicate costs what its row
                       says, about nothing) */
    size_t n;
} CompareRewards;

/* compare_rewards_load - read the samples of search s that have a reward
 * (store_sample_has_reward) from st, a page at a time so memory stays
 * bounded by the rewards themselves, into *out (emptied first; free with
 * compare_rewards_free).  NV_ERR_NOMEM or the store's error otherwise,
 * *out then empty. */
NvStatus compare_rewards_load(Store *st, const StoreSearch *s,
                              CompareRewards *out, NvError *err);

/* compare_rewards_free - free what r owns and empty it; NULL is a no-op. */
void compare_rewards_free(CompareRewards *r);

/* compare_input_of - the CompareInput of search s with rewards r (both
 * borrowed: they must outlive it): its name, strategy, seed, streams. */
CompareInput compare_input_of(const StoreSearch *s, const CompareRewards *r);

#endif
