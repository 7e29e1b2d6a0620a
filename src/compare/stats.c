/* stats.c - statistics on arrays of rewards (see stats.h).  Pure: no I/O,
 * no global state; the t distribution comes from the regularized
 * incomplete beta function, the exact Mann-Whitney distribution from the
 * Gaussian-binomial recurrence of the counts of U. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/stats.h"

/* ---- per search ----------------------------------------------------- */

typedef struct {
    uint64_t key;
    size_t idx;
} KeyIdx;

static int keyidx_cmp(const void *pa, const void *pb)
{
    const KeyIdx *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

NvStatus stats_dedup(const double *reward, const uint64_t *key, size_t n,
                     double *out, unsigned char *dup, size_t *ndup,
                     NvError *err)
{
    size_t count = 0;
    if (out != reward)
        memmove(out, reward, n * sizeof *out);
    memset(dup, 0, n);
    if (key && n > 1) {
        KeyIdx *ki = malloc(n * sizeof *ki);
        if (!ki)
            return nv_error_set(err, NV_ERR_NOMEM,
                                "out of memory sorting %zu samples", n);
        for (size_t i = 0; i < n; i++) {
            ki[i].key = key[i];
            ki[i].idx = i;
        }
        qsort(ki, n, sizeof *ki, keyidx_cmp);
        /* Within a run of equal keys the first (sorted by index) is the
         * architecture's first training; the rest reuse its reward. */
        for (size_t i = 1, first = 0; i < n; i++) {
            if (ki[i].key != ki[first].key) {
                first = i;
                continue;
            }
            out[ki[i].idx] = reward[ki[first].idx];
            dup[ki[i].idx] = 1;
            count++;
        }
        free(ki);
    }
    if (ndup)
        *ndup = count;
    return NV_OK;
}

void stats_best_so_far(const double *r, size_t n, double *out)
{
    double best = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || r[i] > best)
            best = r[i];
        out[i] = best;
    }
}

NvStatus stats_topk_so_far(const double *r, const unsigned char *dup,
                           size_t n, size_t k, double *out, NvError *err)
{
    double *top; /* the m largest so far, descending */
    size_t m = 0;
    double sum = 0;
    if (k == 0)
        k = 1;
    top = malloc(k * sizeof *top);
    if (!top)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory for top-%zu", k);
    for (size_t i = 0; i < n; i++) {
        if (!(dup && dup[i])) {
            double v = r[i];
            if (m < k || v > top[m - 1]) {
                size_t j;
                if (m == k)
                    sum -= top[--m];
                for (j = m; j > 0 && top[j - 1] < v; j--)
                    top[j] = top[j - 1];
                top[j] = v;
                m++;
                sum += v;
            }
        }
        /* Recompute the sum from the buffer now and then so rounding
         * cannot drift over a long search (k is small). */
        if ((i & 1023) == 1023) {
            sum = 0;
            for (size_t j = 0; j < m; j++)
                sum += top[j];
        }
        out[i] = m ? sum / (double)m : 0.0;
    }
    free(top);
    return NV_OK;
}

double stats_auc(const double *r, size_t n, size_t budget)
{
    size_t b = budget < n ? budget : n;
    double best = 0, sum = 0;
    if (b == 0)
        return 0.0;
    for (size_t i = 0; i < b; i++) {
        if (i == 0 || r[i] > best)
            best = r[i];
        sum += best;
    }
    return sum / (double)b;
}

/* ---- distributions -------------------------------------------------- */

double stats_normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* Continued fraction for the incomplete beta function, modified Lentz's
 * method (Numerical Recipes in C, 2nd ed., section 6.4, betacf). */
static double betacf(double a, double b, double x)
{
    const double fpmin = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap, h;
    if (fabs(d) < fpmin)
        d = fpmin;
    d = 1.0 / d;
    h = d;
    for (int m = 1; m <= 1000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2)), del;
        d = 1.0 + aa * d;
        if (fabs(d) < fpmin)
            d = fpmin;
        c = 1.0 + aa / c;
        if (fabs(c) < fpmin)
            c = fpmin;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < fpmin)
            d = fpmin;
        c = 1.0 + aa / c;
        if (fabs(c) < fpmin)
            c = fpmin;
        d = 1.0 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

double stats_betainc(double a, double b, double x)
{
    double bt;
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
             b * log1p(-x));
    /* The continued fraction converges fast for x < (a+1)/(a+b+2); use the
     * symmetry I_x(a,b) = 1 - I_{1-x}(b,a) on the other side. */
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * betacf(a, b, x) / a;
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

double stats_t_cdf(double t, double df)
{
    /* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
    double tail = 0.5 * stats_betainc(df / 2.0, 0.5, df / (df + t * t));
    return t > 0 ? 1.0 - tail : tail;
}

double stats_t_quantile(double p, double df)
{
    double lo = 0.0, hi = 1.0;
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return 0.0;
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -stats_t_quantile(1.0 - p, df);
    while (stats_t_cdf(hi, df) < p && hi < 1e300)
        hi *= 2.0;
    for (int it = 0; it < 2000 && hi - lo > 1e-12 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (stats_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ---- across seeds --------------------------------------------------- */

void stats_summarize(const double *x, size_t n, StatsSummary *out)
{
    stats_summarize_t(x, n, n > 1 ? stats_t_quantile(0.975, (double)(n - 1)) : 0,
                      out);
}

void stats_summarize_t(const double *x, size_t n, double tq, StatsSummary *out)
{
    double mean = 0, ss = 0;
    int equal = 1;
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        mean += x[i];
        equal &= x[i] == x[0];
    }
    /* All equal: the mean is that value exactly, not a rounded sum. */
    mean = equal ? x[0] : mean / (double)n;
    out->mean = out->lo = out->hi = mean;
    if (n < 2 || equal)
        return;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    out->sd = sqrt(ss / (double)(n - 1));
    if (out->sd > 0) {
        double half = tq * out->sd / sqrt((double)n);
        out->lo = mean - half;
        out->hi = mean + half;
    }
}

/* ---- between two strategies ---------------------------------------- */

/* U of a: pairs in which a wins, ties counting half (an exact multiple
 * of 0.5 in a double for any realistic n). */
static double count_wins(const double *a, size_t na, const double *b,
                         size_t nb)
{
    double wins = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            wins += a[i] > b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;
    return wins;
}

double stats_a12(const double *a, size_t na, const double *b, size_t nb)
{
    if (na == 0 || nb == 0)
        return 0.5;
    return count_wins(a, na, b, nb) / ((double)na * (double)nb);
}

const char *stats_a12_magnitude(double a12)
{
    double d = fabs(a12 - 0.5);
    return d < 0.06 ? "negligible" : d < 0.14 ? "small" : d < 0.21 ? "medium"
                                                                  : "large";
}

double stats_mw_min_p(size_t n1, size_t n2)
{
    /* C(n1+n2, n1) as a double, built so it stays exact while it can. */
    double c = 1.0;
    size_t k = n1 < n2 ? n1 : n2, n = n1 + n2;
    for (size_t i = 1; i <= k; i++)
        c = c * (double)(n - k + i) / (double)i;
    return c > 2.0 ? 2.0 / c : 1.0;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* The exact null distribution of U for sizes n1, n2: cnt[u], u = 0..n1 n2,
 * the number of the C(n1+n2, n1) orderings with that U.  Recurrence
 * N(i,j) = q^j N(i-1,j) + N(i,j-1) on the generating polynomials, row by
 * row in i, keeping one polynomial per j (Mann and Whitney 1947).  Only
 * additions of positive counts, so doubles stay accurate. */
static NvStatus mw_exact_counts(size_t n1, size_t n2, double *cnt,
                                NvError *err)
{
    size_t len = n1 * n2 + 1;
    double *prev = calloc((n2 + 1) * len, sizeof *prev);
    double *cur = calloc((n2 + 1) * len, sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory for the exact U distribution");
    }
    for (size_t j = 0; j <= n2; j++) /* N(0, j) = 1 */
        prev[j * len] = 1.0;
    for (size_t i = 1; i <= n1; i++) {
        double *t;
        memset(cur, 0, (n2 + 1) * len * sizeof *cur);
        cur[0] = 1.0; /* N(i, 0) = 1 */
        for (size_t j = 1; j <= n2; j++) {
            double *c = cur + j * len;
            const double *left = cur + (j - 1) * len, *up = prev + j * len;
            for (size_t u = 0; u <= i * j; u++) {
                double v = u <= (i - 1) * j + j && u >= j ? up[u - j] : 0.0;
                if (u <= i * (j - 1))
                    v += left[u];
                c[u] = v;
            }
        }
        t = prev;
        prev = cur;
        cur = t;
    }
    memcpy(cnt, prev + n2 * len, len * sizeof *cnt);
    free(prev);
    free(cur);
    return NV_OK;
}

NvStatus stats_mann_whitney(const double *a, size_t na, const double *b,
                            size_t nb, StatsMannWhitney *out, NvError *err)
{
    size_t n = na + nb;
    double n1 = (double)na, n2 = (double)nb, mean, tie_sum = 0;
    double *all;

    memset(out, 0, sizeof *out);
    out->n1 = na;
    out->n2 = nb;
    out->p = 1.0;
    out->a12 = 0.5;
    out->u1 = out->u2 = n1 * n2 / 2.0;
    if (na == 0 || nb == 0)
        return NV_OK;

    out->u1 = count_wins(a, na, b, nb);
    out->a12 = out->u1 / (n1 * n2);
    out->u2 = n1 * n2 - out->u1;
    mean = n1 * n2 / 2.0;

    all = malloc(n * sizeof *all);
    if (!all)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory ranking");
    memcpy(all, a, na * sizeof *all);
    memcpy(all + na, b, nb * sizeof *all);
    qsort(all, n, sizeof *all, cmp_double);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && all[j] == all[i])
            j++;
        if (j - i > 1) {
            double t = (double)(j - i);
            out->ties = 1;
            tie_sum += t * t * t - t;
        }
        i = j;
    }
    free(all);

    if (!out->ties && na <= STATS_MW_EXACT_MAX && nb <= STATS_MW_EXACT_MAX) {
        size_t len = na * nb + 1;
        double *cnt = malloc(len * sizeof *cnt), total = 0, below = 0,
               above = 0, p;
        size_t u = (size_t)llround(out->u1);
        NvStatus st;
        if (!cnt)
            return nv_error_set(err, NV_ERR_NOMEM, "out of memory for U");
        st = mw_exact_counts(na, nb, cnt, err);
        if (st != NV_OK) {
            free(cnt);
            return st;
        }
        for (size_t v = 0; v < len; v++) {
            total += cnt[v];
            if (v <= u)
                below += cnt[v];
            if (v >= u)
                above += cnt[v];
        }
        free(cnt);
        /* R's rule: the tail on the side of the observed U. */
        p = out->u1 > mean ? above / total : below / total;
        out->p = fmin(1.0, 2.0 * p);
        out->exact = 1;
        return NV_OK;
    }

    {
        double var = n1 * n2 / 12.0 *
                     ((double)n + 1.0 - tie_sum / ((double)n * (double)(n - 1)));
        double d = out->u1 - mean, z;
        if (!(var > 0)) /* every value tied: U is at its mean */
            return NV_OK;
        d -= d > 0 ? 0.5 : d < 0 ? -0.5 : 0.0;
        z = d / sqrt(var);
        out->z = z;
        out->p = fmin(1.0, 2.0 * stats_normal_cdf(-fabs(z)));
    }
    return NV_OK;
}

StatsVerdict stats_verdict(const StatsMannWhitney *mw)
{
    if (mw->n1 == 0 || mw->n2 == 0 || !(mw->p < STATS_ALPHA))
        return STATS_VERDICT_NONE;
    if (mw->a12 > 0.5)
        return STATS_VERDICT_A_BETTER;
    if (mw->a12 < 0.5)
        return STATS_VERDICT_B_BETTER;
    return STATS_VERDICT_NONE;
}

void stats_verdict_text(const StatsMannWhitney *mw, const char *name_a,
                        const char *name_b, size_t budget, char *buf,
                        size_t size)
{
    StatsVerdict v = stats_verdict(mw);
    double minp = stats_mw_min_p(mw->n1, mw->n2);
    int len;
    if (size == 0)
        return;
    if (mw->n1 == 0 || mw->n2 == 0) {
        snprintf(buf, size,
                 "no evidence of a difference between %s and %s at %zu "
                 "samples (n = %zu vs %zu: nothing to compare)",
                 name_a, name_b, budget, mw->n1, mw->n2);
        return;
    }
    if (v == STATS_VERDICT_NONE)
        len = snprintf(buf, size,
                       "no evidence of a difference between %s and %s at %zu "
                       "samples (p = %.3g, A12 = %.2f %s; n = %zu vs %zu",
                       name_a, name_b, budget, mw->p, mw->a12,
                       stats_a12_magnitude(mw->a12), mw->n1, mw->n2);
    else
        len = snprintf(buf, size,
                       "%s better than %s at %zu samples (p = %.3g, A12 = "
                       "%.2f %s; n = %zu vs %zu",
                       v == STATS_VERDICT_A_BETTER ? name_a : name_b,
                       v == STATS_VERDICT_A_BETTER ? name_b : name_a, budget,
                       mw->p, mw->a12, stats_a12_magnitude(mw->a12), mw->n1,
                       mw->n2);
    if (len < 0 || (size_t)len >= size)
        return;
    if (!(minp < STATS_ALPHA))
        snprintf(buf + len, size - (size_t)len,
                 "; with %zu vs %zu runs p cannot go below %.3f: run more "
                 "seeds)",
                 mw->n1, mw->n2, minp);
    else
        snprintf(buf + len, size - (size_t)len, ")");
}

