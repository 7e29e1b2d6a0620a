/* rankcorr.h - how well one score ranks a set of items the way another
 * does: Spearman's rho, Kendall's tau-b, a seeded bootstrap percentile
 * interval for either, and the overlap of the top-k sets.  Pure functions
 * on paired arrays x[i], y[i] (item i scored twice); no I/O, no global
 * state.  What `nasview fidelity` reports for a cheap score against the
 * reference one.
 *
 * Ties: both coefficients handle them (mid-ranks for rho, the tau-b
 * denominator for tau).  Degenerate input (n < 2, or every x or every y
 * equal) has no defined correlation: the functions then return 0 and set
 * *defined (when not NULL) to 0, so no NaN ever comes out.  Values must
 * not be NaN; -inf and +inf rank as the smallest and largest. */
#ifndef NASVIEW_RANKCORR_H
#define NASVIEW_RANKCORR_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"

/* rank_mid - the 1-based mid-ranks of x[n] into r[n]: tied values share
 * the mean of the ranks they span ([10, 20, 20, 30] -> [1, 2.5, 2.5, 4]).
 * Allocates n indices of scratch; fails only with NV_ERR_NOMEM. */
NvStatus rank_mid(const double *x, size_t n, double *r, NvError *err);

/* rank_spearman - Spearman's rho of x[n] and y[n]: the Pearson correlation
 * of their mid-ranks (so ties are handled exactly, as scipy's spearmanr
 * does), in [-1, 1].  Degenerate input: 0 with *defined = 0 (see the file
 * comment).  Allocates O(n); fails only with NV_ERR_NOMEM. */
NvStatus rank_spearman(const double *x, const double *y, size_t n,
                       double *rho, int *defined, NvError *err);

/* rank_kendall - Kendall's tau-b of x[n] and y[n]:
 *   (C - D) / sqrt((P - Tx) (P - Ty)),
 * C and D the concordant and discordant pairs, P = n(n-1)/2, Tx and Ty
 * the pairs tied in x and in y (pairs tied in both count in both).  In
 * [-1, 1]; O(n^2) time, no allocation.  Degenerate input: 0 and
 * *defined = 0. */
double rank_kendall(const double *x, const double *y, size_t n,
                    int *defined);

typedef enum { RANK_SPEARMAN = 0, RANK_KENDALL } RankCoef;

typedef struct {
    double value;  /* the coefficient on the whole sample */
    double lo, hi; /* 95% bootstrap percentile interval (2.5% and 97.5%
                      quantiles of the replicates, linear interpolation);
                      lo = hi = value when no replicate is defined */
    int defined;   /* 0: value is undefined (degenerate input), 0 */
    int reps;      /* replicates asked for */
    int used;      /* replicates with a defined coefficient (resamples
                      whose x or y are all equal are left out) */
} RankInterval;

/* rank_bootstrap - coefficient `coef` of x[n], y[n] with a percentile
 * interval from `reps` (>= 1) resamples of the n pairs with replacement,
 * drawn from an RNG seeded with `seed`: the same arguments always give the
 * same interval.  Allocates O(n + reps); fails only with NV_ERR_NOMEM. */
NvStatus rank_bootstrap(const double *x, const double *y, size_t n,
                        RankCoef coef, int reps, uint64_t seed,
                        RankInterval *out, NvError *err);

/* rank_topk_overlap - how many of the k items with the largest x are also
 * among the k with the largest y, k clipped to n (returned through *kk
 * when not NULL).  Ties at the k-th place are broken by the lower index
 * first, so the answer is deterministic.  Allocates O(n); fails only with
 * NV_ERR_NOMEM.  *overlap in 0..k. */
NvStatus rank_topk_overlap(const double *x, const double *y, size_t n,
                           size_t k, size_t *overlap, size_t *kk,
                           NvError *err);

#endif
