/* reward_metric.h - what a search's rewards measure (`nasview search
 * --reward`, the searches.reward_metric column): "accuracy" (each child
 * trained, its validation accuracy) or a zero-cost score computed at
 * initialisation instead of training (zerocost.h): "naswot", "synflow"
 * (its natural log), "params", "mult_adds".  A zero-cost reward is not an
 * accuracy, and every place that shows one labels it with
 * reward_metric_label.
 *
 * As a reward for the strategies: a zero-cost search with seed S scores
 * every architecture as `nasview fidelity --seed S` does at the same
 * settings (the train subset drawn with S, weights and batch from S), so
 * an architecture has one score however often it is proposed.  The
 * stored reward is the score itself; the strategy, whose rewards live in
 * [0, 1] like accuracies, observes its rank instead
 * (reward_metric_rank): the fraction of the search's earlier scores it
 * beats (ties half), 0.5 for the first.  That is scale-free (a naswot of
 * a few hundred, a synflow log of a hundred, a parameter count of 1e5
 * all become a number in [0, 1] spread evenly over the architectures
 * seen), a pure function of the samples in order (a resumed search
 * observes what an uninterrupted one does), and on RL's scale: the
 * advantage is that rank minus the moving baseline, about 0.5, as with
 * accuracies that vary by tenths.  Evolution only compares rewards, and
 * ranks against a growing history keep the order of the newest. */
#ifndef NASVIEW_REWARD_METRIC_H
#define NASVIEW_REWARD_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "data/dataset.h"
#include "space/genotype.h"
#include "train/train.h"

/* reward_metric_valid - whether m is one of the five names. */
int reward_metric_valid(const char *m);

/* reward_metric_is_accuracy - whether m is "accuracy" or "" (a search
 * made before the column existed). */
int reward_metric_is_accuracy(const char *m);

/* reward_metric_label - "" for an accuracy; otherwise the one label
 * every output uses, e.g. "reward naswot (not an accuracy)". */
const char *reward_metric_label(const char *m);

/* reward_metric_rank - what a strategy observes for a zero-cost score x
 * given the search's n earlier scores h: (#h < x + #h == x / 2) / n, 0.5
 * when n is 0, 0 when x is NaN.  In [0, 1]. */
double reward_metric_rank(const double *h, size_t n, double x);

/* reward_metric_score - the zero-cost score of g for metric m (not
 * accuracy) at cfg's F, N and batch on train (naswot reads its first
 * seeded batch), from seed; also the child's *params and *mult_adds.
 * *score may be -INFINITY (naswot, zc_logdet).  Errors of zerocost.h and
 * train_measure; NV_ERR_USAGE for accuracy or an unknown metric. */
NvStatus reward_metric_score(const char *m, const Genotype *g,
                             const TrainConfig *cfg, const Dataset *train,
                             uint64_t seed, double *score, int64_t *params,
                             int64_t *mult_adds, NvError *err);

#endif
