/* loss.h - the training loss of the engine (softmax cross-entropy). */
#ifndef NASVIEW_LOSS_H
#define NASVIEW_LOSS_H

#include <stdint.h>

/* loss_softmax_xent - mean cross-entropy of logits [k][n] (channel-major)
 * against labels[n]; adds d(mean loss)/d(logits) to dlogits when it is not
 * NULL; counts correct top-1 predictions into *correct when not NULL.
 * Returns the mean loss (NaN/inf when the logits are). */
float loss_softmax_xent(const float *logits, int k, int n,
                        const uint8_t *labels, float *dlogits, int *correct);

/* loss_softmax_xent_smooth - the same against label-smoothed targets
 * q = (1 - eps) one-hot + eps / k (eps in [0, 1); eps 0 is
 * loss_softmax_xent exactly): mean of -sum_c q_c log p_c, gradient
 * (p - q) / n added to dlogits when not NULL. */
float loss_softmax_xent_smooth(const float *logits, int k, int n,
                               const uint8_t *labels, float eps,
                               float *dlogits, int *correct);

#endif
