/* compare_like.h - whether a set of searches were run on the same task,
 * so that comparing them compares the strategies alone: the same kind of
 * reward, dataset and proxy settings (as stored today in StoreSearch).
 * Pure: reads the structs it is given, no database, no I/O. */
#ifndef NASVIEW_COMPARE_LIKE_H
#define NASVIEW_COMPARE_LIKE_H

#include <stddef.h>

#include "store/store.h"

/* compare_check_like - compare s[1..n-1] with s[0]: the reward kind
 * (stand-alone or shared weights), then the dataset and the proxy
 * settings (F, N, epochs, train and validation sizes, batch, learning
 * rate, batch-norm recalibration).  Returns 0 when all are alike (why
 * gets ""); otherwise 1 with one sentence naming the first pair that
 * differs into why[whylen], e.g. "searches 'rl-1' and 'random-2' differ
 * in dataset or proxy settings; the comparison is not of strategies
 * alone".  Names are printed safely (base/text.h).  n < 2 is alike. */
int compare_check_like(const StoreSearch *s, size_t n, char *why,
                       size_t whylen);

#endif
