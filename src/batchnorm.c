/* batchnorm.c - batch normalisation kernels; see batchnorm.h.  Sums run in
 * double so the statistics do not depend on the batch's size or order of
 * magnitude. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>

#include "batchnorm.h"
#include "vecops.h"

void bn_forward_train(int c, long m, const float *x, const float *gamma,
                      const float *beta, float *y, float *mean, float *invstd,
                      float *run_mean, float *run_var)
{
    for (int ch = 0; ch < c; ch++) {
        const float *xr = x + (long)ch * m;
        float *yr = y + (long)ch * m;
        const double mu = vec_sum(xr, (size_t)m) / (double)m;
        /* centred on the float mean; the tiny offset from the exact mean
         * is removed by subtracting its square */
        const float mf0 = (float)mu;
        double q = vec_sqdiff(xr, mf0, (size_t)m) -
                   (double)m * (mu - mf0) * (mu - mf0);
        if (q < 0.0)
            q = 0.0;
        const double var = q / (double)m;
        const float is = (float)(1.0 / sqrt(var + BN_EPS));
        const float mf = (float)mu;
        mean[ch] = mf;
        invstd[ch] = is;
        run_mean[ch] = (1.0f - BN_MOMENTUM) * run_mean[ch] + BN_MOMENTUM * mf;
        run_var[ch] = (1.0f - BN_MOMENTUM) * run_var[ch] +
                      BN_MOMENTUM * (float)(m > 1 ? q / (double)(m - 1) : var);
        const float a = gamma[ch] * is, b = beta[ch] - mf * a;
        for (long i = 0; i < m; i++)
            yr[i] = xr[i] * a + b;
    }
}

void bn_forward_infer(int c, long m, const float *x, const float *gamma,
                      const float *beta, const float *run_mean,
                      const float *run_var, float *y)
{
    for (int ch = 0; ch < c; ch++) {
        const float a = gamma[ch] / sqrtf(run_var[ch] + BN_EPS);
        const float b = beta[ch] - run_mean[ch] * a;
        const float *xr = x + (long)ch * m;
        float *yr = y + (long)ch * m;
        for (long i = 0; i < m; i++)
            yr[i] = xr[i] * a + b;
    }
}

void bn_backward(int c, long m, const float *x, const float *gamma,
                 const float *mean, const float *invstd, const float *dy,
                 float *dx, float *dgamma, float *dbeta)
{
    for (int ch = 0; ch < c; ch++) {
        const float *xr = x + (long)ch * m, *gr = dy + (long)ch * m;
        const float mu = mean[ch], is = invstd[ch];
        const double sg = vec_sum(gr, (size_t)m);
        const double sgx = vec_dot_d(gr, xr, (size_t)m) - sg * mu;
        const float sum_dy = (float)sg, sum_dy_xhat = (float)(sgx * is);
        if (dgamma)
            dgamma[ch] += sum_dy_xhat;
        if (dbeta)
            dbeta[ch] += sum_dy;
        if (!dx)
            continue;
        /* dx = gamma*is/m * (m*dy - sum(dy) - xhat*sum(dy*xhat)) */
        float *dr = dx + (long)ch * m;
        const float k = gamma[ch] * is;
        const float a = sum_dy / (float)m, b = sum_dy_xhat / (float)m * is;
        for (long i = 0; i < m; i++)
            dr[i] += k * (gr[i] - a - (xr[i] - mu) * b);
    }
}
