/* compare.h - a comparison of strategies over a set of searches: groups
 * the searches by strategy, computes every search's curves at one common
 * budget, summarises them across seeds, and tests every pair of
 * strategies (stats.h does the arithmetic).  No I/O and no database: the
 * caller hands in rewards; compare_report.h and compare_svg.h write the
 * result out. */
#ifndef NASVIEW_COMPARE_H
#define NASVIEW_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "compare/stats.h"

/* The paper's Fig. 6 axes: best so far, mean of the top 5 and top 25. */
typedef enum {
    COMPARE_BEST = 0,
    COMPARE_TOP5,
    COMPARE_TOP25,
    COMPARE_NMETRICS
} CompareMetric;

/* compare_metric_name - "best", "top5" or "top25". */
const char *compare_metric_name(CompareMetric m);

/* compare_metric_label - "best", "top-5 mean" or "top-25 mean". */
const char *compare_metric_label(CompareMetric m);

/* compare_metric_k - 1, 5 or 25. */
size_t compare_metric_k(CompareMetric m);

/* compare_metric_parse - the metric named s ("best", "top5", "top25");
 * returns 0 and sets *out, or -1 if s names none. */
int compare_metric_parse(const char *s, CompareMetric *out);

/* One search as the caller read it.  All pointers are borrowed for the
 * duration of compare_build. */
typedef struct {
    const char *name;      /* the search's name, as printed */
    const char *strategy;  /* the group it belongs to ("rl", "random", ...) */
    const double *reward;  /* n rewards (validation accuracy), sample order */
    const uint64_t *key;   /* n architecture hashes, or NULL: no duplicates */
    size_t n;              /* samples with a reward (finished, diverged = 0) */
    uint64_t seed;         /* the search's seed (pairs common searches) */
    int common_streams;    /* 1: drawn with common random numbers (streams
                              'common'), so searches of one seed pair up;
                              0 (also when unknown): independent runs */
    const double *cpu;     /* n CPU-seconds each sample cost (0 for a
                              reused duplicate), or NULL: unknown */
} CompareInput;

typedef struct {
    char *name;                      /* owned */
    size_t samples;                  /* n of the input */
    size_t duplicates;               /* among the first `budget` samples */
    double final[COMPARE_NMETRICS];  /* each metric at the budget */
    double auc;                      /* stats_auc at the budget */
    double *curve[COMPARE_NMETRICS]; /* owned, budget entries each: this
                                        run's curve, entry i after i+1
                                        samples */
    uint64_t seed;                   /* of the input */
    int common_streams;              /* of the input */
} CompareSearch;

typedef struct {
    char *strategy;                   /* owned */
    size_t nsearch;                   /* K, the number of seeds */
    CompareSearch *search;            /* nsearch entries, input order */
    StatsSummary *curve[COMPARE_NMETRICS]; /* budget entries each; entry
                                        i is the summary after i+1 samples */
    StatsSummary final[COMPARE_NMETRICS]; /* across seeds, at the budget */
    StatsSummary auc;                 /* across seeds */
    size_t duplicates;                /* over its searches */
    StatsSummary *cpu;                /* budget entries: CPU-seconds spent
                                         by the end of sample i+1, across
                                         seeds; NULL unless has_cost */
} CompareGroup;

typedef struct {
    size_t a, b;          /* group indices, a < b */
    StatsMannWhitney mw;  /* on the chosen metric at the budget, a vs b
                             (always computed: U and A12 are printed) */
    StatsTest test;       /* the test the verdict rests on */
    StatsWilcoxon wx;     /* paired test, when test == STATS_TEST_WILCOXON */
    StatsEvidence ev;     /* what the verdict is made of (p, min_p, ...) */
    StatsVerdict verdict; /* A = group a */
    char text[512];       /* stats_verdict_text */
} ComparePair;

typedef struct {
    size_t budget;          /* samples per search compared */
    int budget_is_default;  /* 1: the smallest sample count among searches */
    CompareMetric metric;   /* what the tests and verdicts are on */
    size_t ngroup;
    CompareGroup *group;    /* rl, random, evolution, then others in the
                               order they first appear */
    size_t npair;
    ComparePair *pair;      /* every pair of groups, ngroup(ngroup-1)/2 */
    int has_cost;           /* 1: every input had cpu: the groups' cpu
                               curves exist (the cost axis) */
} Comparison;

/* compare_build - compare in[n] at `budget` samples (0: the smallest
 * number of samples among the inputs, budget_is_default set) on `metric`.
 * Each pair of strategies is tested on the metric at the budget: with the
 * Wilcoxon signed-rank test over seeds when every search of both has
 * common_streams set and their seeds pair up one to one (distinct within
 * each strategy, the same set in both), else with the unpaired
 * Mann-Whitney U test (compare_pair_paired says why not paired).
 * Every search must have at least `budget` samples and at least one.
 * On success *out is a new Comparison the caller frees with
 * compare_free.  Errors: NV_ERR_USAGE (no inputs, a search with too few
 * samples: the message names it and gives its count), NV_ERR_NOMEM. */
NvStatus compare_build(const CompareInput *in, size_t n, size_t budget,
                       CompareMetric metric, Comparison **out, NvError *err);

/* compare_test_summary - the test behind every verdict of c, as
 * stats_test_key gives it ("mann-whitney", "wilcoxon"), "mixed" when the
 * pairs differ, "none" with no pair. */
const char *compare_test_summary(const Comparison *c);

/* ---- like with like ------------------------------------------------ */

/* What must agree between searches for a comparison to be of strategies
 * alone.  Pointers are borrowed. */
typedef struct {
    const char *name;        /* the search, for messages */
    int space_version;       /* search space version (GENO_SPACE_VERSION) */
    const char *dataset;     /* dataset spec */
    int F, N, epochs, batch; /* proxy settings */
    int64_t train_size, val_size;
    double lr;
    int bn_recalibrate;      /* batch-norm recalibration, 0/1 */
    const char *reward_kind; /* "standalone", "shared", ...; NULL or "" =
                                standalone */
    const char *reward_metric; /* "accuracy" or a zero-cost score */
} CompareProtocol;

/* One field in which two searches differ, as text. */
typedef struct {
    const char *field;       /* "dataset", "F", "reward kind", ... */
    size_t a, b;             /* indices into the protocols compared */
    char va[64], vb[64];     /* the two values, printed */
    int hard;                /* no --force compares them: what the rewards
                                measure differs (a zero-cost score is not
                                an accuracy) */
} CompareDiff;

/* compare_check_like - compare every protocol p[1..n) with p[0], field
 * by field (one table in compare.c: adding a field is one line), and
 * write the differences into out[max]: for each field that differs, the
 * first search that differs from p[0] in it.  Returns how many fields
 * differ (may exceed max; 0: like with like). */
size_t compare_check_like(const CompareProtocol *p, size_t n,
                          CompareDiff *out, size_t max);

/* compare_diff_text - "'a' and 'b' differ in F (8 vs 4)" into buf[size]
 * (names escaped as printed). */
void compare_diff_text(const CompareProtocol *p, const CompareDiff *d,
                       char *buf, size_t size);

/* compare_free - free c and everything it owns; NULL is a no-op. */
void compare_free(Comparison *c);

/* Below this many seeds a chart draws every run's curve (thin) with the
 * mean instead of a band: a band from 2 or 3 runs says less than the runs
 * themselves. */
#define COMPARE_BAND_MIN_SEEDS 4

/* The 95% interval of a summary as every output shows it. */
typedef struct {
    double lo, hi;    /* the Student t interval cut to [0, 1]; both the
                         mean when there is no interval */
    int has_interval; /* n >= 2 (with n = 1 outputs say "(n=1)") */
    int clipped;      /* the t interval reached below 0 or above 1 */
} CompareBand;

/* compare_band - the interval of s that the table, JSON, CSV, SVG and
 * the Compare screen all show: rewards are accuracies in [0, 1], so the
 * t interval of the mean (stats.h) is cut to [0, 1] and `clipped` says
 * that it was.  With s->n < 2 there is no interval: lo = hi = mean and
 * has_interval = 0.  (A bootstrap or Wilson interval was not chosen: a
 * bootstrap of 2 or 3 runs cannot reach beyond them, and a Wilson
 * interval is for one binomial proportion, not a mean over seeds.) */
CompareBand compare_band(const StatsSummary *s);

/* compare_pair_caveat - when pair p cannot reach significance with its
 * seeds (the smallest p its test could give, ev.min_p, is not below
 * STATS_ALPHA) and its A12 is medium or large, one line into buf[size]
 * explaining why a "large" effect sits beside a large p, e.g. "A12 0.00
 * large but with 2 vs 2 seeds p cannot go below 0.333: more seeds are
 * needed for a verdict"; returns 1.  Otherwise buf gets "" and 0. */
int compare_pair_caveat(const ComparePair *p, char *buf, size_t size);

/* compare_verdict_word - "A better", "no evidence of a difference" or
 * "B better" with the strategy names of pair p put in, into buf[size]. */
void compare_verdict_word(const Comparison *c, const ComparePair *p,
                          char *buf, size_t size);

#endif
