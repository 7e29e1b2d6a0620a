/* batchnorm.c - batch normalisation kernels; see batchnorm.h.  Sums run in
 * double so the statistics do not depend on the batch's size or order of
 * magnitude; parts' variances combine by Chan's formula (each part's
 * squared deviations from its own mean, plus its count times the squared
 * distance of that mean from the batch's). */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>

#include "nn/batchnorm.h"
#include "base/vecops.h"

void bn_sums_forward(int c, long m, long stride, const float *x, double *out)
{
    for (int ch = 0; ch < c; ch++) {
        const float *xr = x + (long)ch * stride;
        double sum = 0.0, q = 0.0;
        if (m > 0) {
            sum = vec_sum(xr, (size_t)m);
            /* centred on the float mean; the tiny offset from the exact
             * mean is removed by subtracting its square */
            const double mu = sum / (double)m;
            const float mf = (float)mu;
            q = vec_sqdiff(xr, mf, (size_t)m) - (double)m * (mu - mf) * (mu - mf);
        }
        out[2 * ch] = sum;
        out[2 * ch + 1] = q;
    }
}

/* Channel ch's batch mean, squared deviations q and count from all parts. */
static void bn_combine(const BnParts *bp, int ch, double *mean, double *q,
                       double *count)
{
    double n = 0.0, sum = 0.0;
    for (int t = 0; t < bp->parts; t++) {
        n += (double)bp->m[t];
        sum += bp->sums[t * bp->stride + 2 * (size_t)ch];
    }
    const double mu = n > 0.0 ? sum / n : 0.0;
    double qq = 0.0;
    for (int t = 0; t < bp->parts; t++) {
        const double *s = bp->sums + t * bp->stride + 2 * (size_t)ch;
        if (bp->m[t] <= 0)
            continue;
        const double d = s[0] / (double)bp->m[t] - mu;
        qq += s[1] + (double)bp->m[t] * d * d;
    }
    *mean = mu;
    *q = qq < 0.0 ? 0.0 : qq;
    *count = n;
}

/* The unbiased variance of n values whose squared deviations from their
 * mean sum to q (the biased one for a single value), as the running
 * statistics keep it. */
static double bn_unbiased(double q, double n)
{
    return n > 1.0 ? q / (n - 1.0) : n > 0.0 ? q / n : 0.0;
}

/* Channel ch of this part: y = gamma (x - mu) * is + beta. */
static void bn_normalise(long m, const float *xr, float gamma, float beta,
                         float mf, float is, float *yr)
{
    const float a = gamma * is, b = beta - mf * a;
    for (long i = 0; i < m; i++)
        yr[i] = xr[i] * a + b;
}

void bn_forward_part(int c, long m, long stride, const float *x,
                     const float *gamma, const float *beta, const BnParts *bp,
                     float *y, float *mean, float *invstd, float *run_mean,
                     float *run_var)
{
    for (int ch = 0; ch < c; ch++) {
        double mu, q, n;
        bn_combine(bp, ch, &mu, &q, &n);
        const double var = n > 0.0 ? q / n : 0.0;
        const float is = (float)(1.0 / sqrt(var + BN_EPS));
        const float mf = (float)mu;
        if (mean) {
            mean[ch] = mf;
            invstd[ch] = is;
            run_mean[ch] = (1.0f - BN_MOMENTUM) * run_mean[ch] + BN_MOMENTUM * mf;
            run_var[ch] = (1.0f - BN_MOMENTUM) * run_var[ch] +
                          BN_MOMENTUM * (float)bn_unbiased(q, n);
        }
        bn_normalise(m, x + (long)ch * stride, gamma[ch], beta[ch], mf, is,
                     y + (long)ch * stride);
    }
}

void bn_recal_part(int c, long m, long stride, const float *x,
                   const float *gamma, const float *beta, const BnParts *bp,
                   float *y, double *acc)
{
    for (int ch = 0; ch < c; ch++) {
        double mu, q, n;
        bn_combine(bp, ch, &mu, &q, &n);
        const double var = n > 0.0 ? q / n : 0.0;
        const float is = (float)(1.0 / sqrt(var + BN_EPS));
        if (acc && n > 0.0) {
            /* Chan et al.: the totals so far (na, ma, qa) and this batch
             * (n, mu, q) */
            double *t = acc + BN_RECAL_DOUBLES * (size_t)ch;
            const double na = t[0], nt = na + n, d = mu - t[1];
            t[0] = nt;
            t[1] += d * (n / nt);
            t[2] += q + d * d * (na * n / nt);
        }
        bn_normalise(m, x + (long)ch * stride, gamma[ch], beta[ch], (float)mu,
                     is, y + (long)ch * stride);
    }
}

void bn_recal_finish(int c, const double *acc, float *run_mean,
                     float *run_var)
{
    for (int ch = 0; ch < c; ch++) {
        const double *t = acc + BN_RECAL_DOUBLES * (size_t)ch;
        if (t[0] <= 0.0)
            continue;
        run_mean[ch] = (float)t[1];
        run_var[ch] = (float)bn_unbiased(t[2] < 0.0 ? 0.0 : t[2], t[0]);
    }
}

void bn_sums_backward(int c, long m, long stride, const float *x,
                      const float *dy, double *out)
{
    for (int ch = 0; ch < c; ch++) {
        const float *xr = x + (long)ch * stride, *gr = dy + (long)ch * stride;
        out[2 * ch] = m > 0 ? vec_sum(gr, (size_t)m) : 0.0;
        out[2 * ch + 1] = m > 0 ? vec_dot_d(gr, xr, (size_t)m) : 0.0;
    }
}

void bn_backward_part(int c, long m, long stride, const float *x,
                      const float *gamma, const float *mean,
                      const float *invstd, const float *dy, const BnParts *bp,
                      float *dx, int dx_set, float *dgamma, float *dbeta)
{
    for (int ch = 0; ch < c; ch++) {
        double n = 0.0, sg = 0.0, sgx = 0.0;
        for (int t = 0; t < bp->parts; t++) {
            const double *s = bp->sums + t * bp->stride + 2 * (size_t)ch;
            n += (double)bp->m[t];
            sg += s[0];
            sgx += s[1];
        }
        const float mu = mean[ch], is = invstd[ch];
        sgx -= sg * mu;
        const float sum_dy = (float)sg, sum_dy_xhat = (float)(sgx * is);
        if (dgamma)
            dgamma[ch] += sum_dy_xhat;
        if (dbeta)
            dbeta[ch] += sum_dy;
        if (!dx || n <= 0.0)
            continue;
        /* dx = gamma*is/n * (n*dy - sum(dy) - xhat*sum(dy*xhat)) */
        const float *xr = x + (long)ch * stride, *gr = dy + (long)ch * stride;
        float *dr = dx + (long)ch * stride;
        const float k = gamma[ch] * is;
        const float a = sum_dy / (float)n, b = sum_dy_xhat / (float)n * is;
        if (dx_set)
            for (long i = 0; i < m; i++)
                dr[i] = k * (gr[i] - a - (xr[i] - mu) * b);
        else
            for (long i = 0; i < m; i++)
                dr[i] += k * (gr[i] - a - (xr[i] - mu) * b);
    }
}

void bn_forward_infer(int c, long m, long stride, const float *x,
                      const float *gamma, const float *beta,
                      const float *run_mean, const float *run_var, float *y)
{
    for (int ch = 0; ch < c; ch++) {
        const float a = gamma[ch] / sqrtf(run_var[ch] + BN_EPS);
        const float b = beta[ch] - run_mean[ch] * a;
        const float *xr = x + (long)ch * stride;
        float *yr = y + (long)ch * stride;
        for (long i = 0; i < m; i++)
            yr[i] = xr[i] * a + b;
    }
}

/* One channel at a time as one part: two doubles of sums on the stack. */
void bn_forward_train(int c, long m, const float *x, const float *gamma,
                      const float *beta, float *y, float *mean, float *invstd,
                      float *run_mean, float *run_var)
{
    for (int ch = 0; ch < c; ch++) {
        double sums[2];
        const size_t o = (size_t)ch * (size_t)m;
        BnParts bp = { 1, &m, sums, 2 };
        bn_sums_forward(1, m, m, x + o, sums);
        bn_forward_part(1, m, m, x + o, gamma + ch, beta + ch, &bp, y + o,
                        mean + ch, invstd + ch, run_mean + ch, run_var + ch);
    }
}
