/* batchnorm.h - batch normalisation over channel-major activations
 * x[c][m] (m = batch x height x width values per channel, contiguous).
 * Training mode normalises with the batch's statistics and updates the
 * running ones (momentum BN_MOMENTUM, unbiased variance, as PyTorch does);
 * inference mode uses the running statistics.  eps is BN_EPS. */
#ifndef NASVIEW_BATCHNORM_H
#define NASVIEW_BATCHNORM_H

#define BN_EPS 1e-5f
#define BN_MOMENTUM 0.1f

/* bn_forward_train - y = gamma (x - mean) / sqrt(var + eps) + beta with the
 * batch mean/var of each channel; stores mean[c] and invstd[c] for the
 * backward pass and updates run_mean[c], run_var[c].  y may equal x. */
void bn_forward_train(int c, long m, const float *x, const float *gamma,
                      const float *beta, float *y, float *mean, float *invstd,
                      float *run_mean, float *run_var);

/* bn_forward_infer - the same with the running statistics. */
void bn_forward_infer(int c, long m, const float *x, const float *gamma,
                      const float *beta, const float *run_mean,
                      const float *run_var, float *y);

/* bn_backward - accumulate dgamma, dbeta and dx (any may be NULL) from dy,
 * given the x, mean and invstd of the training-mode forward pass. */
void bn_backward(int c, long m, const float *x, const float *gamma,
                 const float *mean, const float *invstd, const float *dy,
                 float *dx, float *dgamma, float *dbeta);

#endif
