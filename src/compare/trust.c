/* trust.c - chance-level and weak-proxy warnings (see trust.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/rankcorr.h"
#include "compare/trust.h"

int trust_chance(const double *rewards, size_t n, int classes)
{
    if (n < TRUST_FIRST || classes < 2)
        return 0;
    const double chance = 1.0 / classes;
    for (size_t i = 0; i < TRUST_FIRST; i++)
        if (!(fabs(rewards[i] - chance) <= TRUST_MARGIN))
            return 0;
    return 1;
}

/* result_of - the finite done score of member m at level l, or NaN. */
static double result_of(const StorePanelResult *r, size_t n, int m, int l)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].member_idx == m && r[i].level_idx == l)
            return strcmp(r[i].status, "done") == 0 && isfinite(r[i].score)
                       ? r[i].score
                       : NAN;
    return NAN;
}

double trust_tau(const StorePanelResult *r, size_t n, int la, int lb)
{
    int members = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].member_idx + 1 > members)
            members = r[i].member_idx + 1;
    double *x = malloc(sizeof(double) * (size_t)(members ? members : 1));
    double *y = malloc(sizeof(double) * (size_t)(members ? members : 1));
    size_t k = 0;
    double tau = NAN;
    if (x && y) {
        for (int m = 0; m < members; m++) {
            double a = result_of(r, n, m, la), b = result_of(r, n, m, lb);
            if (!isnan(a) && !isnan(b)) {
                x[k] = a;
                y[k++] = b;
            }
        }
        int defined = 0;
        if (k >= TRUST_TAU_PAIRS) {
            double t = rank_kendall(x, y, k, &defined);
            if (defined)
                tau = t;
        }
    }
    free(x);
    free(y);
    return tau;
}

NvStatus trust_proxy_tau(Store *st, const char *score, const char *spec,
                         const char *ref_spec, double *tau, char *panel,
                         size_t pn, NvError *err)
{
    StorePanel *p = NULL;
    size_t np = 0;
    NvStatus r;
    *tau = NAN;
    if (pn)
        panel[0] = '\0';
    if ((r = store_panel_list(st, &p, &np, err)))
        return r;
    for (size_t i = 0; i < np && isnan(*tau) && r == NV_OK; i++) {
        StorePanelLevel *lev = NULL;
        StorePanelResult *res = NULL;
        size_t nl = 0, nr = 0;
        int la = -1, lb = -1;
        if ((r = store_panel_levels(st, p[i].id, &lev, &nl, err)))
            break;
        for (size_t l = 0; l < nl; l++) {
            if (la < 0 && strcmp(lev[l].score, score) == 0 &&
                strcmp(lev[l].spec, spec) == 0)
                la = lev[l].idx;
            else if (lb < 0 && strcmp(lev[l].score, "val_acc") == 0 &&
                     strcmp(lev[l].spec, ref_spec) == 0)
                lb = lev[l].idx;
        }
        free(lev);
        if (la < 0 || lb < 0)
            continue;
        if ((r = store_panel_results(st, p[i].id, &res, &nr, err)))
            break;
        *tau = trust_tau(res, nr, la, lb);
        if (!isnan(*tau) && pn)
            snprintf(panel, pn, "%s", p[i].name);
        free(res);
    }
    free(p);
    return r;
}

int trust_line(int accuracy, const double *first, size_t nfirst,
               int classes, double tau, const char *panel, char *buf,
               size_t n)
{
    int k = 0;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (accuracy && trust_chance(first, nfirst, classes))
        k = snprintf(buf, n, "first %d rewards at chance (1/%d): the "
                             "proxy learns nothing",
                     TRUST_FIRST, classes);
    if (!isnan(tau) && tau < TRUST_TAU_MIN && k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k,
                 "%sproxy tau %.2f < %.1f vs the default (panel %s)",
                 k ? "; " : "", tau, TRUST_TAU_MIN, panel ? panel : "");
    return buf[0] != '\0';
}
