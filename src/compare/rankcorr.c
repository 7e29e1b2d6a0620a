/* rankcorr.c - rank correlations, their bootstrap intervals and top-k
 * overlap (see rankcorr.h).  Sorting is qsort on indices with the index
 * as the last key, so every result is independent of the C library's
 * sort. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "compare/rankcorr.h"

typedef struct {
    double v;
    size_t i;
} ValIdx;

/* Ascending by value, then by index. */
static int validx_cmp(const void *pa, const void *pb)
{
    const ValIdx *a = pa, *b = pb;
    if (a->v < b->v)
        return -1;
    if (a->v > b->v)
        return 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Descending by value, then ascending by index (top-k order). */
static int validx_cmp_desc(const void *pa, const void *pb)
{
    const ValIdx *a = pa, *b = pb;
    if (a->v > b->v)
        return -1;
    if (a->v < b->v)
        return 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static NvStatus nomem(NvError *err, size_t n)
{
    return nv_error_set(err, NV_ERR_NOMEM,
                        "out of memory ranking %zu values", n);
}

NvStatus rank_mid(const double *x, size_t n, double *r, NvError *err)
{
    if (n == 0)
        return NV_OK;
    ValIdx *vi = malloc(n * sizeof *vi);
    if (!vi)
        return nomem(err, n);
    for (size_t i = 0; i < n; i++)
        vi[i] = (ValIdx){ x[i], i };
    qsort(vi, n, sizeof *vi, validx_cmp);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && vi[b].v == vi[a].v)
            b++;
        /* positions a..b-1 hold ranks a+1..b: their mean */
        double mid = 0.5 * ((double)(a + 1) + (double)b);
        for (size_t k = a; k < b; k++)
            r[vi[k].i] = mid;
        a = b;
    }
    free(vi);
    return NV_OK;
}

/* Pearson correlation of a[n] and b[n]; *defined 0 when either is
 * constant. */
static double pearson(const double *a, const double *b, size_t n,
                      int *defined)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (!(saa > 0) || !(sbb > 0)) {
        *defined = 0;
        return 0.0;
    }
    *defined = 1;
    double r = sab / sqrt(saa * sbb);
    return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

NvStatus rank_spearman(const double *x, const double *y, size_t n,
                       double *rho, int *defined, NvError *err)
{
    int def = 0;
    *rho = 0.0;
    if (n >= 2) {
        double *rx = malloc(2 * n * sizeof *rx);
        if (!rx)
            return nomem(err, n);
        double *ry = rx + n;
        NvStatus st;
        if ((st = rank_mid(x, n, rx, err)) || (st = rank_mid(y, n, ry, err))) {
            free(rx);
            return st;
        }
        *rho = pearson(rx, ry, n, &def);
        free(rx);
    }
    if (defined)
        *defined = def;
    return NV_OK;
}

double rank_kendall(const double *x, const double *y, size_t n,
                    int *defined)
{
    /* counts of pairs as doubles: exact up to 2^53 */
    double conc = 0, disc = 0, tx = 0, ty = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            int sx = (x[j] > x[i]) - (x[j] < x[i]);
            int sy = (y[j] > y[i]) - (y[j] < y[i]);
            if (sx == 0)
                tx++;
            if (sy == 0)
                ty++;
            if (sx != 0 && sy != 0) {
                if (sx == sy)
                    conc++;
                else
                    disc++;
            }
        }
    double pairs = (double)n * ((double)n - 1.0) / 2.0;
    double den = (pairs - tx) * (pairs - ty);
    if (n < 2 || !(den > 0)) {
        if (defined)
            *defined = 0;
        return 0.0;
    }
    if (defined)
        *defined = 1;
    double t = (conc - disc) / sqrt(den);
    return t > 1.0 ? 1.0 : t < -1.0 ? -1.0 : t;
}

static int double_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The q-quantile of sorted s[n] (n >= 1), linear interpolation between
 * order statistics (type 7, R's default). */
static double quantile_sorted(const double *s, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return s[n - 1];
    return s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]);
}

/* The coefficient of one (re)sample; O(n) scratch in rx (2n doubles)
 * for Spearman. */
static NvStatus coef_of(const double *x, const double *y, size_t n,
                        RankCoef coef, double *v, int *def, NvError *err)
{
    if (coef == RANK_KENDALL) {
        *v = rank_kendall(x, y, n, def);
        return NV_OK;
    }
    return rank_spearman(x, y, n, v, def, err);
}

NvStatus rank_bootstrap(const double *x, const double *y, size_t n,
                        RankCoef coef, int reps, uint64_t seed,
                        RankInterval *out, NvError *err)
{
    NvStatus st;
    memset(out, 0, sizeof *out);
    out->reps = reps;
    if ((st = coef_of(x, y, n, coef, &out->value, &out->defined, err)))
        return st;
    out->lo = out->hi = out->value;
    if (!out->defined || reps < 1)
        return NV_OK;
    double *bx = malloc((2 * n + (size_t)reps) * sizeof *bx);
    if (!bx)
        return nomem(err, n);
    double *by = bx + n, *vals = by + n;
    Rng rng;
    rng_seed(&rng, seed, 0x72616e6bu); /* "rank": its own stream */
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < n; i++) {
            size_t k = rng_below(&rng, (uint32_t)n);
            bx[i] = x[k];
            by[i] = y[k];
        }
        double v;
        int def;
        if ((st = coef_of(bx, by, n, coef, &v, &def, err))) {
            free(bx);
            return st;
        }
        if (def)
            vals[out->used++] = v;
    }
    if (out->used > 0) {
        qsort(vals, (size_t)out->used, sizeof *vals, double_cmp);
        out->lo = quantile_sorted(vals, (size_t)out->used, 0.025);
        out->hi = quantile_sorted(vals, (size_t)out->used, 0.975);
    }
    free(bx);
    return NV_OK;
}

NvStatus rank_topk_overlap(const double *x, const double *y, size_t n,
                           size_t k, size_t *overlap, size_t *kk,
                           NvError *err)
{
    if (k > n)
        k = n;
    if (kk)
        *kk = k;
    *overlap = 0;
    if (k == 0)
        return NV_OK;
    ValIdx *vx = malloc(2 * n * sizeof *vx);
    unsigned char *in = calloc(n, 1);
    if (!vx || !in) {
        free(vx);
        free(in);
        return nomem(err, n);
    }
    ValIdx *vy = vx + n;
    for (size_t i = 0; i < n; i++) {
        vx[i] = (ValIdx){ x[i], i };
        vy[i] = (ValIdx){ y[i], i };
    }
    qsort(vx, n, sizeof *vx, validx_cmp_desc);
    qsort(vy, n, sizeof *vy, validx_cmp_desc);
    for (size_t i = 0; i < k; i++)
        in[vx[i].i] = 1;
    for (size_t i = 0; i < k; i++)
        *overlap += in[vy[i].i];
    free(vx);
    free(in);
    return NV_OK;
}
