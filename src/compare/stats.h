/* stats.h - the statistics behind `nasview compare`: pure functions on
 * arrays of rewards.  No I/O, no database, no global state; a few
 * functions allocate scratch memory and say so.
 *
 * Three layers:
 *   - per search (rewards in sample order): duplicates, best-so-far,
 *     mean of the top-k so far, area under the best-so-far curve;
 *   - across the seeds of one strategy at one budget step: mean, sample
 *     standard deviation and a 95% Student t interval of the mean;
 *   - between two strategies on one value per search (the final best):
 *     Mann-Whitney U for independent runs, the Wilcoxon signed-rank test
 *     for runs paired by seed (each exact for small counts, ties
 *     included, or a tie-corrected normal approximation), the
 *     Vargha-Delaney A12 effect size, a power estimate and a
 *     plain-language verdict.
 *
 * Conventions for degenerate input (no NaN ever comes out of these):
 *   - an empty series has best-so-far/AUC 0 and a summary with n = 0,
 *     mean 0, sd 0 and lo = hi = 0;
 *   - n = 1 gives mean = the value, sd 0 and lo = hi = mean (no interval
 *     can be formed; callers print n so a reader sees why);
 *   - all-equal values give sd 0 and lo = hi = mean;
 *   - Mann-Whitney with an empty side, or with every value tied, gives
 *     U at its expectation, z = 0, p = 1 and A12 = 0.5. */
#ifndef NASVIEW_STATS_H
#define NASVIEW_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"

/* ---- per search ----------------------------------------------------- */

/* stats_dedup - the duplicates rule.  Every sample counts toward the
 * budget (the paper counts every sampled architecture); a sample whose
 * key (architecture hash) was seen at an earlier index is a duplicate and
 * carries the reward of that first sample, whatever reward[] holds for it.
 * reward[n] in, out[n] the rewards to use (may equal reward), dup[n] set
 * to 1 for duplicates and 0 otherwise.  key may be NULL: then nothing is
 * a duplicate and out is a copy.  *ndup (may be NULL) gets the count.
 * Allocates O(n) scratch; fails only with NV_ERR_NOMEM. */
NvStatus stats_dedup(const double *reward, const uint64_t *key, size_t n,
                     double *out, unsigned char *dup, size_t *ndup,
                     NvError *err);

/* stats_best_so_far - out[i] = max(r[0..i]) for i < n.  out may equal r. */
void stats_best_so_far(const double *r, size_t n, double *out);

/* stats_topk_so_far - out[i] = mean of the k largest rewards among the
 * distinct architectures in r[0..i] (samples with dup[i] != 0 are not
 * entered a second time; dup may be NULL).  While fewer than k distinct
 * samples exist, the mean of all of them.  k >= 1; k = 1 is best-so-far.
 * Allocates k doubles; fails only with NV_ERR_NOMEM. */
NvStatus stats_topk_so_far(const double *r, const unsigned char *dup,
                           size_t n, size_t k, double *out, NvError *err);

/* stats_auc - area under the best-so-far curve up to `budget` samples,
 * normalised by the budget: mean of best-so-far over steps 1..budget,
 * i.e. (1/B) sum_{i<B} max(r[0..i]) with B = min(budget, n).  Lies in
 * [min r, max r], so in [0,1] for accuracies.  0 when B == 0. */
double stats_auc(const double *r, size_t n, size_t budget);

/* ---- across seeds --------------------------------------------------- */

typedef struct {
    size_t n;    /* how many values were summarised */
    double mean; /* arithmetic mean; 0 when n == 0 */
    double sd;   /* sample standard deviation (divisor n-1); 0 when n < 2 */
    double lo;   /* 95% Student t interval of the mean, */
    double hi;   /* mean -+ t_{0.975,n-1} sd/sqrt(n); lo = hi = mean if n < 2 */
} StatsSummary;

/* stats_summarize - the summary of x[n] (see StatsSummary).  The interval
 * is not clipped to [0,1]. */
void stats_summarize(const double *x, size_t n, StatsSummary *out);

/* stats_summarize_t - the same with the quantile given: tq must be
 * stats_t_quantile(0.975, n - 1) (for many summaries of the same n). */
void stats_summarize_t(const double *x, size_t n, double tq, StatsSummary *out);

/* ---- rank correlation (weight-sharing fidelity) --------------------- */

/* stats_normal_cdf - P(Z <= z) for a standard normal Z. */
double stats_normal_cdf(double z);

/* stats_betainc - the regularized incomplete beta function I_x(a, b) for
 * a, b > 0 and x in [0,1] (continued fraction, Numerical Recipes 6.4). */
double stats_betainc(double a, double b, double x);

/* stats_t_cdf - P(T <= t) for Student's t with df > 0 degrees of freedom. */
double stats_t_cdf(double t, double df);

/* stats_t_quantile - the t with P(T <= t) = p, p in (0,1), df > 0; solved
 * by bisection on stats_t_cdf to about 1e-12 relative.  Returns 0 for
 * p outside (0,1) or df <= 0. */
double stats_t_quantile(double p, double df);

/* ---- between two strategies ---------------------------------------- */

typedef struct {
    size_t n1, n2; /* sizes of the two samples a and b */
    double u1;     /* U of a: #(a_i > b_j) + 0.5 #(a_i == b_j), mid-ranks */
    double u2;     /* U of b = n1 n2 - u1 */
    double z;      /* normal statistic (continuity-corrected); 0 if exact */
    double p;      /* two-sided p-value in [0,1] */
    int exact;     /* 1: p from the exact null distribution of U */
    int ties;      /* 1: some values tie (across or within samples) */
    double a12;    /* Vargha-Delaney A12 = u1 / (n1 n2): P(a > b) + P(=)/2 */
    double min_p;  /* the smallest p this test could give at these sizes
                      (and, when exact with ties, this tie pattern) */
    int all_tied;  /* 1: every value of both samples is the same */
} StatsMannWhitney;

/* Largest sample size (each side) for which the exact distribution is
 * used when there are no ties, as R's wilcox.test does. */
#define STATS_MW_EXACT_MAX 49

/* Largest total n1 + n2 for which the exact permutation distribution is
 * used when values tie (the distribution of the sum of mid-ranks, counted
 * by dynamic programming; cost about N^3 n1 / 2 additions). */
#define STATS_MW_EXACT_TIES_MAX 40

/* stats_mann_whitney - the two-sided Mann-Whitney U test of a[na] against
 * b[nb].  Exact when there are no ties and na, nb <= STATS_MW_EXACT_MAX
 * (the distribution of U over the C(N, n1) orderings), and when values tie
 * and na + nb <= STATS_MW_EXACT_TIES_MAX (the permutation distribution of
 * the sum of a's mid-ranks over the C(N, n1) ways to choose which pooled
 * values are a's, given the tie pattern); then
 * p = min(1, 2 P(tail on the side of the observed U)), and p = 1 at the
 * mean.  Otherwise the normal approximation with the tie correction of
 * the variance,
 *   sigma^2 = n1 n2 / 12 * ((N+1) - sum(t^3 - t) / (N (N-1))),
 * and a continuity correction of 0.5 towards the mean.  min_p is the
 * smallest p the exact test could give (2 / C(N, n1) without ties, larger
 * with ties; stats_mw_min_p for the approximation).  Degenerate input:
 * see the file comment.  Allocates O(N^2 n1) scratch for the exact cases;
 * fails only with NV_ERR_NOMEM. */
NvStatus stats_mann_whitney(const double *a, size_t na, const double *b,
                            size_t nb, StatsMannWhitney *out, NvError *err);

/* stats_mw_min_p - the smallest two-sided p-value the exact test can give
 * for sample sizes n1 and n2 without ties: 2 / C(n1+n2, n1) (capped at 1).
 * With 3 runs against 3 this is 0.1: such a comparison can never reach
 * p < 0.05.  Ties can only raise it. */
double stats_mw_min_p(size_t n1, size_t n2);

typedef struct {
    size_t n;       /* pairs given */
    size_t nzero;   /* pairs whose difference is zero: dropped */
    double w_plus;  /* sum of the mid-ranks of |d| over d = a - b > 0 */
    double w_minus; /* the same over d < 0; w_plus + w_minus = m(m+1)/2 */
    double z;       /* normal statistic (continuity-corrected); 0 if exact */
    double p;       /* two-sided p-value in [0,1] */
    int exact;      /* 1: p from the exact null distribution of W+ */
    int ties;       /* 1: some nonzero |d| tie */
    double min_p;   /* the smallest p the test could give: 2 / 2^m, m the
                       nonzero pairs (exact), or that bound otherwise */
} StatsWilcoxon;

/* Largest number of nonzero pairs for which the Wilcoxon signed-rank p is
 * exact (2^m sign patterns counted by dynamic programming over the sums
 * of doubled mid-ranks). */
#define STATS_WX_EXACT_MAX 50

/* stats_wilcoxon - the two-sided Wilcoxon signed-rank test of the pairs
 * (a[i], b[i]), i < n, on d = a - b.  Zero differences are dropped
 * (Wilcoxon's rule, R's default), leaving m pairs; the |d| are ranked with
 * mid-ranks for ties.  With m <= STATS_WX_EXACT_MAX the p-value is exact
 * conditional on the tie pattern: every one of the 2^m sign assignments
 * equally likely, p = min(1, 2 P(tail on the side of the observed W+)),
 * 1 at the mean.  Above, the normal approximation with mean m(m+1)/4,
 * variance m(m+1)(2m+1)/24 - sum(t^3 - t)/48 and a continuity correction
 * of 0.5.  m = 0 (every pair equal, or n = 0) gives p = 1.  Allocates
 * O(m^2) scratch; fails only with NV_ERR_NOMEM. */
NvStatus stats_wilcoxon(const double *a, const double *b, size_t n,
                        StatsWilcoxon *out, NvError *err);

/* stats_a12 - Vargha-Delaney A12 of a over b: the probability that a run
 * drawn from a beats one drawn from b, ties counting half.  0.5 when either
 * side is empty. */
double stats_a12(const double *a, size_t na, const double *b, size_t nb);

/* stats_a12_magnitude - "negligible", "small", "medium" or "large" after
 * Vargha and Delaney (2000): |A12 - 0.5| below 0.06, 0.14, 0.21, or above. */
const char *stats_a12_magnitude(double a12);

/* ---- verdicts ------------------------------------------------------- */

typedef enum {
    STATS_TEST_MANN_WHITNEY = 0, /* unpaired: independent runs */
    STATS_TEST_WILCOXON          /* paired by seed: common random numbers */
} StatsTest;

/* stats_test_name - "Mann-Whitney U" or "Wilcoxon signed-rank". */
const char *stats_test_name(StatsTest t);

/* stats_test_key - "mann-whitney" or "wilcoxon" (for JSON and CSV). */
const char *stats_test_key(StatsTest t);

/* What a verdict is made of, from either test. */
typedef struct {
    StatsTest test;
    size_t n1, n2; /* runs of A and of B (paired: n1 = n2 = pairs) */
    double p;      /* two-sided p of the test */
    double min_p;  /* the smallest p that test could give here */
    int dir;       /* +1: A's values larger, -1: B's, 0: neither */
    double a12;    /* Vargha-Delaney A12 of A over B (unpaired effect) */
    int all_tied;  /* 1: every value ties (every pair equal): no test can
                      tell the two apart, however many runs */
} StatsEvidence;

/* stats_evidence_mw - the evidence of an unpaired test; the direction is
 * the sign of A12 - 0.5. */
void stats_evidence_mw(const StatsMannWhitney *mw, StatsEvidence *out);

/* stats_evidence_wilcoxon - the evidence of a paired test on d = a - b;
 * the direction is the sign of W+ - W-, a12 the A12 of the same values
 * taken unpaired (the effect size printed). */
void stats_evidence_wilcoxon(const StatsWilcoxon *w, double a12,
                             StatsEvidence *out);

typedef enum {
    STATS_VERDICT_NONE = 0, /* no evidence of a difference */
    STATS_VERDICT_A_BETTER,
    STATS_VERDICT_B_BETTER
} StatsVerdict;

/* The significance level of the verdict. */
#define STATS_ALPHA 0.05

/* The power the seed estimate aims for, and below how many seeds per
 * strategy the verdict gives that estimate. */
#define STATS_POWER 0.8
#define STATS_POWER_SEEDS 10

/* stats_seeds_needed - how many runs per strategy a two-sided
 * Mann-Whitney test at STATS_ALPHA would need to detect the effect A12
 * with power STATS_POWER, by Noether's (1987) formula for equal groups:
 *   N = (z_{1-alpha/2} + z_{power})^2 / (3 (A12 - 0.5)^2) runs in all,
 * n = ceil(N / 2) per strategy, and never fewer than 4 (below that the
 * exact test cannot reach p < 0.05 at all).  0 when A12 = 0.5 (no effect
 * to detect), SIZE_MAX when beyond 10^9. */
size_t stats_seeds_needed(double a12);

/* stats_verdict - A better when p < STATS_ALPHA and dir > 0, B better
 * when p < STATS_ALPHA and dir < 0, otherwise no evidence. */
StatsVerdict stats_verdict(const StatsEvidence *e);

/* stats_verdict_text - the verdict in plain words into buf[size], e.g.
 * "rl better than random at 100 samples (p = 0.008, A12 = 1.00 large;
 * n = 5 vs 5)" or "no evidence of a difference between rl and random at
 * 100 samples (p = 0.40, A12 = 0.67 medium; n = 3 vs 3; with 3 vs 3 runs
 * p cannot go below 0.100: run more seeds; about 7 seeds per strategy
 * would detect A12 = 0.67 at p < 0.05 with 80% power)".  A paired test
 * says "paired by seed, Wilcoxon signed-rank p = ...".  When every value
 * ties the text says so ("every run scored the same") instead of a floor
 * or an estimate.  The floor clause appears whenever min_p is not below
 * STATS_ALPHA; the seed estimate
 * (stats_seeds_needed) when there is no evidence and either side has
 * fewer than STATS_POWER_SEEDS runs.  name_a/name_b are the strategies. */
void stats_verdict_text(const StatsEvidence *e, const char *name_a,
                        const char *name_b, size_t budget, char *buf,
                        size_t size);

#endif
