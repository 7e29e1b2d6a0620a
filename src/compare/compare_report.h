/* compare_report.h - a Comparison written as a table for people, as JSON
 * or as CSV.  Writes only to the FILE given; knows nothing of the
 * database or of how the searches were read. */
#ifndef NASVIEW_COMPARE_REPORT_H
#define NASVIEW_COMPARE_REPORT_H

#include <stdio.h>

#include "compare/compare.h"

/* compare_report_table - a header stating the budget (and whether it was
 * the default), the units and the duplicates rule; one line per strategy
 * (n, best, top-5 and top-25 mean with 95% intervals, AUC, duplicates);
 * one line per search; one line per pair of strategies (the test used:
 * Mann-Whitney or Wilcoxon signed-rank, its statistic U or W+, p, exact
 * or normal, A12 and its magnitude); the verdicts, and
 * compare_report_caveats.  Intervals are compare_band's (cut to [0,1],
 * marked * when cut). */
void compare_report_table(FILE *f, const Comparison *c);

/* compare_report_summary - a summary as the table and the Compare screen
 * print it into buf[size]: "0.8123 [0.7900, 0.8346]" (compare_band; a
 * trailing * when the interval was cut to [0,1]), "0.8123 (n=1)" when
 * there is no interval, "-" for no value. */
void compare_report_summary(char *buf, size_t size, const StatsSummary *s);

/* compare_report_caveats - one line "  A vs B: <compare_pair_caveat>" for
 * every pair that has a caveat; nothing otherwise. */
void compare_report_caveats(FILE *f, const Comparison *c);

/* compare_report_json - one JSON object:
 *   {"budget", "budget_is_default", "metric", "alpha", "interval",
 *    "duplicates_rule",
 *    "strategies": [{"strategy", "n", "duplicates",
 *        "best"|"top5"|"top25"|"auc": {"n","mean","sd","ci_low","ci_high",
 *                                          "ci_clipped"},
 *        "searches": [{"name","samples","duplicates","best","top5",
 *                      "top25","auc"}],
 *        "curves": {"best"|"top5"|"top25": {"mean":[],"ci_low":[],
 *                   "ci_high":[]}},
 *        "cpu_seconds": {"mean":[],"ci_low":[],"ci_high":[]} or null}],
 *                                       (entry i: after i+1 samples)
 *    "pairs": [{"a","b","metric","n_a","n_b","u_a","u_b","test","paired",
 *               ("pairs","zero_pairs","w_plus","w_minus": paired only),
 *               "z","p","min_p","exact","ties","a12","magnitude",
 *               "seeds_needed","verdict","text"}]}
 * followed by a newline.  "test" is "mann-whitney" or "wilcoxon"; z, p,
 * min_p, exact and ties are those of that test; u_a, u_b and a12 always
 * the unpaired U and A12; seeds_needed is stats_seeds_needed of a12, null
 * when A12 = 0.5.  ci_low/ci_high are compare_band's (cut to [0,1];
 * ci_clipped says when), as in every other output. */
void compare_report_json(FILE *f, const Comparison *c);

/* compare_report_csv - the curves, one row per strategy and budget step,
 * with a header line:
 *   strategy,samples,n,best_mean,best_ci_low,best_ci_high,top5_mean,...,
 *   top25_ci_high,cpu_seconds_mean,cpu_seconds_ci_low,cpu_seconds_ci_high,
 *   test
 * (the cpu_seconds fields, CPU-seconds spent by that sample, empty when
 * the cost is unknown)
 * where test is compare_test_summary (the same on every row); the
 * intervals are compare_band's, cut to [0,1]. */
void compare_report_csv(FILE *f, const Comparison *c);

#endif
