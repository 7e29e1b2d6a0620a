/* trust.h - warnings where a search's numbers mean little (`nasview
 * show`, the terminal UI's live header): one short line, or none.
 *
 *  - Chance level: an accuracy search whose first TRUST_FIRST rewards all
 *    lie within TRUST_MARGIN of 1/classes has children that learned
 *    nothing at its proxy (too few images or steps, statistics of batch
 *    norm far from the weights'): its rewards rank noise.
 *  - A weak proxy: a stored fidelity panel that scored both the search's
 *    proxy (its settings, or its zero-cost score) and the default one
 *    (SPEC.md section 3) measured a Kendall tau between them below
 *    TRUST_TAU_MIN: the search's ranking is not the default proxy's.
 * Pure functions over rows the caller read; trust_proxy_tau reads the
 * panels. */
#ifndef NASVIEW_TRUST_H
#define NASVIEW_TRUST_H

#include <stddef.h>

#include "store/store_fidelity.h"

#define TRUST_FIRST 5       /* first samples the chance check reads */
#define TRUST_MARGIN 0.03   /* "within a few points" of chance */
#define TRUST_TAU_MIN 0.3   /* below: a weak proxy */
#define TRUST_TAU_PAIRS 5   /* members scored at both, at least */

/* trust_chance - 1 when n >= TRUST_FIRST and each of rewards[0 ..
 * TRUST_FIRST) (in sample order; NaN, a failed sample, counts as not at
 * chance) is within TRUST_MARGIN of 1/classes; else 0. */
int trust_chance(const double *rewards, size_t n, int classes);

/* trust_tau - Kendall's tau of level la against level lb over the members
 * of a panel whose results r[n] at both are done with finite scores; NaN
 * when fewer than TRUST_TAU_PAIRS members have both, or it is
 * undefined (every score tied). */
double trust_tau(const StorePanelResult *r, size_t n, int la, int lb);

/* trust_proxy_tau - over every panel of st, the first that has a level of
 * score `score` with settings `spec` and a val_acc level with settings
 * ref_spec (two different levels) and a defined trust_tau between them:
 * *tau and its name into panel[pn].  *tau NaN (panel "") when none.
 * Errors of store_fidelity.h, NV_ERR_NOMEM. */
NvStatus trust_proxy_tau(Store *st, const char *score, const char *spec,
                         const char *ref_spec, double *tau, char *panel,
                         size_t pn, NvError *err);

/* trust_line - the warning for a search into buf[n] ("" when none):
 * chance (trust_chance of its first rewards; accuracy searches only) and
 * a weak proxy (tau below TRUST_TAU_MIN, measured in panel).  Returns 1
 * when there is a warning. */
int trust_line(int accuracy, const double *first, size_t nfirst,
               int classes, double tau, const char *panel, char *buf,
               size_t n);

#endif
