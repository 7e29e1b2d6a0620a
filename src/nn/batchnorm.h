/* batchnorm.h - batch normalisation over channel-major activations.
 * Training mode normalises with the batch's statistics and updates the
 * running ones (momentum BN_MOMENTUM, unbiased variance, as PyTorch does);
 * inference mode uses the running statistics.  eps is BN_EPS.
 * Recalibration mode normalises as training does but, instead of the
 * momentum update, adds the batch's exact statistics to totals that
 * later become the running ones (bn_recal_*).
 *
 * A batch may be split into parts (threads, each with a range of images):
 * each part sums its own values (bn_sums_*), the parts exchange those sums,
 * and each part finishes its own values (bn_*_part) from all of them,
 * combined in part order, so a given split gives the same result every
 * time.  Within a part, channel ch's m values are contiguous at
 * x + ch * stride. */
#ifndef NASVIEW_BATCHNORM_H
#define NASVIEW_BATCHNORM_H

#include <stddef.h>

#define BN_EPS 1e-5f
#define BN_MOMENTUM 0.1f

/* The sums of every part of a batch: part t holds m[t] values of each
 * channel, and its two sums per channel are sums[t * stride + 2 ch] and
 * [... + 1]. */
typedef struct {
    int parts;
    const long *m;
    const double *sums;
    size_t stride;
} BnParts;

/* bn_sums_forward - for each of c channels: out[2ch] = the sum of this
 * part's m values, out[2ch+1] = the sum of their squared deviations from
 * their own mean. */
void bn_sums_forward(int c, long m, long stride, const float *x, double *out);

/* bn_forward_part - y = gamma (x - mean) / sqrt(var + eps) + beta over this
 * part's values, mean and var those of the whole batch (from bp).  When
 * mean is not NULL (exactly one part passes it) also stores mean[c] and
 * invstd[c] for the backward pass and updates run_mean[c], run_var[c].
 * y may equal x. */
void bn_forward_part(int c, long m, long stride, const float *x,
                     const float *gamma, const float *beta, const BnParts *bp,
                     float *y, float *mean, float *invstd, float *run_mean,
                     float *run_var);

/* Recalibration: the exact statistics of a layer's inputs over several
 * batches, BN_RECAL_DOUBLES doubles per channel in acc: for channel ch,
 * acc[3ch] = the values seen, acc[3ch+1] = their mean, acc[3ch+2] = the
 * sum of their squared deviations from it.  All zeros is the empty total. */
#define BN_RECAL_DOUBLES 3

/* bn_recal_part - the training-mode forward of bn_forward_part (y from the
 * batch's statistics in bp, y may equal x), but when acc is not NULL
 * (exactly one part passes it) adds the batch's counts, means and squared
 * deviations to the totals in acc by Chan's formula instead of
 * touching the running statistics.  No gradients are kept. */
void bn_recal_part(int c, long m, long stride, const float *x,
                   const float *gamma, const float *beta, const BnParts *bp,
                   float *y, double *acc);

/* bn_recal_finish - run_mean[c] = the totals' means, run_var[c] = their
 * unbiased variance (as the running update keeps it; biased for a single
 * value).  Channels whose totals saw no values keep what they had. */
void bn_recal_finish(int c, const double *acc, float *run_mean,
                     float *run_var);

/* bn_sums_backward - out[2ch] = sum of dy, out[2ch+1] = sum of dy * x over
 * this part's values. */
void bn_sums_backward(int c, long m, long stride, const float *x,
                      const float *dy, double *out);

/* bn_backward_part - accumulate dx (with dx_set: store it, whatever dx
 * held) over this part's values, and (when not NULL: exactly one part
 * passes them) dgamma and dbeta, from dy, the x, mean and invstd of the
 * training-mode forward pass, and bp. */
void bn_backward_part(int c, long m, long stride, const float *x,
                      const float *gamma, const float *mean,
                      const float *invstd, const float *dy, const BnParts *bp,
                      float *dx, int dx_set, float *dgamma, float *dbeta);

/* bn_forward_infer - y = gamma (x - run_mean) / sqrt(run_var + eps) + beta
 * over m values per channel at x + ch * stride.  y may equal x. */
void bn_forward_infer(int c, long m, long stride, const float *x,
                      const float *gamma, const float *beta,
                      const float *run_mean, const float *run_var, float *y);

/* bn_forward_train - the whole batch as one part, x[c][m] contiguous
 * (the tests' reference for the part kernels). */
void bn_forward_train(int c, long m, const float *x, const float *gamma,
                      const float *beta, float *y, float *mean, float *invstd,
                      float *run_mean, float *run_var);

#endif
