/* stats.c - statistics on arrays of rewards (see stats.h).  Pure: no I/O,
 * no global state; the t distribution comes from the regularized
 * incomplete beta function, the exact Mann-Whitney distribution from the
 * Gaussian-binomial recurrence of the counts of U (no ties) or from
 * counting the subsets of doubled mid-ranks by their sum (ties), the
 * exact signed-rank distribution from counting sign patterns the same
 * way. */
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

/* Doubled mid-ranks of x[n] (integers: a tie group at sorted positions
 * i..j-1 has mid-rank (i+1+j)/2) into r2[n], in x's order; *tie_sum gets
 * sum(t^3 - t) over the tie groups and the return value says whether any
 * value ties.  Scratch idx[n]. */
static int midranks2(const double *x, size_t n, size_t *idx, long *r2,
                     double *tie_sum)
{
    int ties = 0;
    *tie_sum = 0;
    /* insertion sort of the indices: n is small wherever this is used */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        idx[i] = i;
        while (j > 0 && x[idx[j - 1]] > x[i]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && x[idx[j]] == x[idx[i]])
            j++;
        if (j - i > 1) {
            double t = (double)(j - i);
            ties = 1;
            *tie_sum += t * t * t - t;
        }
        for (size_t k = i; k < j; k++)
            r2[idx[k]] = (long)(i + 1 + j);
        i = j;
    }
    return ties;
}

/* Two-sided p from counts cnt[0..len) of a statistic (total `total`) at
 * the observed index obs: twice the tail on the side of obs relative to
 * the mean `mean2` (in the same units), capped at 1; 1 at the mean.  The
 * smallest p any outcome could give into *min_p. */
static double tail_p(const double *cnt, size_t len, size_t obs, double mean2,
                     double *min_p)
{
    double total = 0, below = 0, above = 0, lo = 0, hi = 0;
    size_t first = len, last = 0;
    for (size_t v = 0; v < len; v++) {
        total += cnt[v];
        if (v <= obs)
            below += cnt[v];
        if (v >= obs)
            above += cnt[v];
        if (cnt[v] > 0) {
            if (first == len)
                first = v;
            last = v;
        }
    }
    if (first < len) {
        lo = cnt[first];
        hi = cnt[last];
    }
    *min_p = first < last ? fmin(1.0, 2.0 * fmin(lo, hi) / total) : 1.0;
    if ((double)obs == mean2)
        return 1.0;
    return fmin(1.0, 2.0 * ((double)obs > mean2 ? above : below) / total);
}

/* The exact permutation distribution of the sum of n1 of the doubled
 * mid-ranks r2[N] (every n1-subset equally likely): cnt[s], s = 0..smax.
 * ways[k][s] over the first i values, k descending as in a knapsack. */
static NvStatus ranksum_counts(const long *r2, size_t N, size_t n1,
                               size_t smax, double *cnt, NvError *err)
{
    size_t len = smax + 1;
    double *ways = calloc((n1 + 1) * len, sizeof *ways);
    if (!ways)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory for the exact rank-sum "
                            "distribution");
    ways[0] = 1.0;
    for (size_t i = 0; i < N; i++) {
        size_t r = (size_t)r2[i];
        size_t kmax = i + 1 < n1 ? i + 1 : n1;
        for (size_t k = kmax; k >= 1; k--) {
            double *to = ways + k * len;
            const double *from = ways + (k - 1) * len;
            for (size_t s = smax; s >= r; s--) {
                to[s] += from[s - r];
                if (s == r)
                    break;
            }
        }
    }
    memcpy(cnt, ways + n1 * len, len * sizeof *cnt);
    free(ways);
    return NV_OK;
}

/* The exact Mann-Whitney p with ties: the sum of a's doubled mid-ranks
 * against its permutation distribution. */
static NvStatus mw_exact_ties(const double *a, size_t na, const double *b,
                              size_t nb, StatsMannWhitney *out, NvError *err)
{
    size_t N = na + nb, smax = N * (N + 1), obs = 0;
    double *x = malloc(N * sizeof *x), *cnt = malloc((smax + 1) * sizeof *cnt);
    size_t *idx = malloc(N * sizeof *idx);
    long *r2 = malloc(N * sizeof *r2);
    double tie_sum;
    NvStatus st = NV_OK;
    if (!x || !cnt || !idx || !r2) {
        st = nv_error_set(err, NV_ERR_NOMEM, "out of memory ranking");
        goto done;
    }
    memcpy(x, a, na * sizeof *x);
    memcpy(x + na, b, nb * sizeof *x);
    midranks2(x, N, idx, r2, &tie_sum);
    for (size_t i = 0; i < na; i++)
        obs += (size_t)r2[i];
    st = ranksum_counts(r2, N, na, smax, cnt, err);
    if (st != NV_OK)
        goto done;
    /* E[2 R1] = n1 (N + 1) */
    out->p = tail_p(cnt, smax + 1, obs, (double)na * (double)(N + 1),
                    &out->min_p);
    out->exact = 1;
done:
    free(x);
    free(cnt);
    free(idx);
    free(r2);
    return st;
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
    out->min_p = stats_mw_min_p(na, nb);
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
    out->all_tied = all[0] == all[n - 1];
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

    if (out->ties && n <= STATS_MW_EXACT_TIES_MAX)
        return mw_exact_ties(a, na, b, nb, out, err);
    if (!out->ties && na <= STATS_MW_EXACT_MAX && nb <= STATS_MW_EXACT_MAX) {
        size_t len = na * nb + 1;
        double *cnt = malloc(len * sizeof *cnt), minp;
        size_t u = (size_t)llround(out->u1);
        NvStatus st;
        if (!cnt)
            return nv_error_set(err, NV_ERR_NOMEM, "out of memory for U");
        st = mw_exact_counts(na, nb, cnt, err);
        if (st != NV_OK) {
            free(cnt);
            return st;
        }
        /* R's rule: the tail on the side of the observed U. */
        out->p = tail_p(cnt, len, u, mean, &minp);
        out->min_p = minp; /* 2 / C(N, n1) */
        free(cnt);
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

NvStatus stats_wilcoxon(const double *a, const double *b, size_t n,
                        StatsWilcoxon *out, NvError *err)
{
    double *ad = NULL, *sign = NULL, tie_sum = 0, total;
    size_t *idx = NULL, m = 0, obs = 0;
    long *r2 = NULL;
    NvStatus st = NV_OK;

    memset(out, 0, sizeof *out);
    out->n = n;
    out->p = 1.0;
    out->min_p = 1.0;
    ad = malloc((n ? n : 1) * sizeof *ad);
    sign = malloc((n ? n : 1) * sizeof *sign);
    idx = malloc((n ? n : 1) * sizeof *idx);
    r2 = malloc((n ? n : 1) * sizeof *r2);
    if (!ad || !sign || !idx || !r2) {
        st = nv_error_set(err, NV_ERR_NOMEM, "out of memory ranking pairs");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        double d = a[i] - b[i];
        if (d == 0) {
            out->nzero++;
            continue;
        }
        ad[m] = fabs(d);
        sign[m] = d > 0 ? 1.0 : -1.0;
        m++;
    }
    if (m == 0)
        goto done;
    out->ties = midranks2(ad, m, idx, r2, &tie_sum);
    for (size_t i = 0; i < m; i++) {
        if (sign[i] > 0) {
            out->w_plus += (double)r2[i] / 2.0;
            obs += (size_t)r2[i];
        } else
            out->w_minus += (double)r2[i] / 2.0;
    }
    total = (double)m * (double)(m + 1) / 2.0; /* W+ + W- */
    out->min_p = fmin(1.0, ldexp(2.0, -(int)(m < 1000 ? m : 1000)));
    if (m <= STATS_WX_EXACT_MAX) {
        /* cnt[s]: sign patterns whose positive doubled ranks sum to s */
        size_t smax = m * (m + 1);
        double *cnt = calloc(smax + 1, sizeof *cnt), minp;
        size_t reach = 0;
        if (!cnt) {
            st = nv_error_set(err, NV_ERR_NOMEM,
                              "out of memory for the exact W distribution");
            goto done;
        }
        cnt[0] = 1.0;
        for (size_t i = 0; i < m; i++) {
            size_t r = (size_t)r2[i];
            reach += r;
            for (size_t s = reach; s >= r; s--) {
                cnt[s] += cnt[s - r];
                if (s == r)
                    break;
            }
        }
        out->p = tail_p(cnt, smax + 1, obs, total, &minp);
        out->min_p = minp;
        out->exact = 1;
        free(cnt);
    } else {
        double mean = total / 2.0;
        double var = (double)m * (double)(m + 1) * (double)(2 * m + 1) / 24.0 -
                     tie_sum / 48.0;
        double d = out->w_plus - mean;
        if (var > 0) {
            d -= d > 0 ? 0.5 : d < 0 ? -0.5 : 0.0;
            out->z = d / sqrt(var);
            out->p = fmin(1.0, 2.0 * stats_normal_cdf(-fabs(out->z)));
        }
    }
done:
    free(ad);
    free(sign);
    free(idx);
    free(r2);
    return st;
}

/* ---- verdicts ------------------------------------------------------- */

const char *stats_test_name(StatsTest t)
{
    return t == STATS_TEST_WILCOXON ? "Wilcoxon signed-rank" : "Mann-Whitney U";
}

const char *stats_test_key(StatsTest t)
{
    return t == STATS_TEST_WILCOXON ? "wilcoxon" : "mann-whitney";
}

void stats_evidence_mw(const StatsMannWhitney *mw, StatsEvidence *out)
{
    memset(out, 0, sizeof *out);
    out->test = STATS_TEST_MANN_WHITNEY;
    out->n1 = mw->n1;
    out->n2 = mw->n2;
    out->p = mw->p;
    out->min_p = mw->min_p;
    out->a12 = mw->a12;
    out->dir = mw->a12 > 0.5 ? 1 : mw->a12 < 0.5 ? -1 : 0;
    out->all_tied = mw->all_tied;
}

void stats_evidence_wilcoxon(const StatsWilcoxon *w, double a12,
                             StatsEvidence *out)
{
    memset(out, 0, sizeof *out);
    out->test = STATS_TEST_WILCOXON;
    out->n1 = out->n2 = w->n;
    out->p = w->p;
    out->min_p = w->min_p;
    out->a12 = a12;
    out->dir = w->w_plus > w->w_minus ? 1 : w->w_plus < w->w_minus ? -1 : 0;
    out->all_tied = w->n > 0 && w->nzero == w->n;
}

size_t stats_seeds_needed(double a12)
{
    /* z_{0.975} and z_{0.80} */
    const double za = 1.959963984540054, zb = 0.8416212335729143;
    double d = a12 - 0.5, total, n;
    if (fabs(d) < 1e-12)
        return 0;
    total = (za + zb) * (za + zb) / (3.0 * d * d);
    n = ceil(total / 2.0 - 1e-9);
    if (n > 1e9)
        return SIZE_MAX;
    return n < 4 ? 4 : (size_t)n;
}

StatsVerdict stats_verdict(const StatsEvidence *e)
{
    if (e->n1 == 0 || e->n2 == 0 || !(e->p < STATS_ALPHA))
        return STATS_VERDICT_NONE;
    if (e->dir > 0)
        return STATS_VERDICT_A_BETTER;
    if (e->dir < 0)
        return STATS_VERDICT_B_BETTER;
    return STATS_VERDICT_NONE;
}

void stats_verdict_text(const StatsEvidence *e, const char *name_a,
                        const char *name_b, size_t budget, char *buf,
                        size_t size)
{
    StatsVerdict v = stats_verdict(e);
    char pbuf[96];
    size_t len;
    int w;
    if (size == 0)
        return;
    if (e->n1 == 0 || e->n2 == 0) {
        snprintf(buf, size,
                 "no evidence of a difference between %s and %s at %zu "
                 "samples (n = %zu vs %zu: nothing to compare)",
                 name_a, name_b, budget, e->n1, e->n2);
        return;
    }
    if (e->test == STATS_TEST_WILCOXON)
        snprintf(pbuf, sizeof pbuf, "paired by seed, Wilcoxon signed-rank "
                 "p = %.3g", e->p);
    else
        snprintf(pbuf, sizeof pbuf, "p = %.3g", e->p);
    if (v == STATS_VERDICT_NONE)
        w = snprintf(buf, size,
                     "no evidence of a difference between %s and %s at %zu "
                     "samples (%s, A12 = %.2f %s; n = %zu vs %zu",
                     name_a, name_b, budget, pbuf, e->a12,
                     stats_a12_magnitude(e->a12), e->n1, e->n2);
    else
        w = snprintf(buf, size,
                     "%s better than %s at %zu samples (%s, A12 = %.2f %s; "
                     "n = %zu vs %zu",
                     v == STATS_VERDICT_A_BETTER ? name_a : name_b,
                     v == STATS_VERDICT_A_BETTER ? name_b : name_a, budget,
                     pbuf, e->a12, stats_a12_magnitude(e->a12), e->n1, e->n2);
    if (w < 0 || (size_t)w >= size)
        return;
    len = (size_t)w;
    if (e->all_tied) {
        snprintf(buf + len, size - len,
                 "; every run scored the same: no number of seeds can tell "
                 "them apart at this budget and proxy)");
        return;
    }
    if (!(e->min_p < STATS_ALPHA)) {
        if (e->test == STATS_TEST_WILCOXON)
            w = snprintf(buf + len, size - len,
                         "; with %zu seed pairs p cannot go below %.3f: run "
                         "more seeds",
                         e->n1, e->min_p);
        else
            w = snprintf(buf + len, size - len,
                         "; with %zu vs %zu runs p cannot go below %.3f: run "
                         "more seeds",
                         e->n1, e->n2, e->min_p);
        if (w < 0 || (size_t)w >= size - len)
            return;
        len += (size_t)w;
    }
    if (v == STATS_VERDICT_NONE &&
        (e->n1 < STATS_POWER_SEEDS || e->n2 < STATS_POWER_SEEDS)) {
        size_t need = stats_seeds_needed(e->a12);
        if (need == 0)
            w = snprintf(buf + len, size - len,
                         "; A12 = 0.50 shows no effect to size a number of "
                         "seeds by");
        else if (need == SIZE_MAX)
            w = snprintf(buf + len, size - len,
                         "; an effect of A12 = %.2f is too small to detect "
                         "with any practical number of seeds",
                         e->a12);
        else
            w = snprintf(buf + len, size - len,
                         "; about %zu seeds per strategy would detect "
                         "A12 = %.2f at p < %.2f with %.0f%% power",
                         need, e->a12, STATS_ALPHA, 100 * STATS_POWER);
        if (w < 0 || (size_t)w >= size - len)
            return;
        len += (size_t)w;
    }
    snprintf(buf + len, size - len, ")");
}
