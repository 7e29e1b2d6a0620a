/* optim.h - SGD with Nesterov momentum and weight decay (PyTorch's
 * formulation), the single-cosine learning-rate schedule, and one whole
 * training step of a network (forward, loss, backward, update).  Knows
 * nothing about datasets or the training loop (train.c). */
#ifndef NASVIEW_OPTIM_H
#define NASVIEW_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "nn/network.h"

/* sgd_nesterov_step - for each of the n parameters:
 *   d = g + wd*w;  v = mu*v + d;  w -= lr * (d + mu*v).
 * w, g, v: n floats; g is read only. */
void sgd_nesterov_step(float *w, const float *g, float *v, size_t n, float lr,
                       float mu, float wd);

/* sgd_cosine_lr - learning rate before step `step` (0-based) of `steps`:
 * lr0 * (1 + cos(pi * step / steps)) / 2, from lr0 down towards 0. */
float sgd_cosine_lr(float lr0, int64_t step, int64_t steps);

/* optim_train_step - one step on the batch already in the network's input:
 * forward in training mode, softmax cross-entropy of logits against
 * labels[n], backward, and an SGD update with lr/mu/wd of every
 * parameter span (net_param_span): for a network that borrows its
 * parameters, exactly the lender's tensors it uses.  Counts correct
 * predictions into *correct (may be NULL).  Returns the mean loss; when
 * it is NaN/inf the parameters are left unchanged. */
float optim_train_step(Net *net, Tensor *logits, const uint8_t *labels, int n,
                       float lr, float mu, float wd, int *correct);

/* optim_grad_clip - scale the n gradients g so that their L2 norm is at
 * most max_norm (max_norm <= 0: leave them).  Returns the norm before. */
double optim_grad_clip(float *g, size_t n, float max_norm);

/* optim_train_step_reg - optim_train_step with label smoothing eps
 * (loss_softmax_xent_smooth), an auxiliary head's loss (aux: its logits,
 * or NULL) added with weight aux_weight, and the gradients clipped to L2
 * norm clip before the update (clip <= 0: not clipped).  Returns the main
 * head's loss alone, so that runs with and without the auxiliary head
 * report comparable losses (NaN/inf when either loss is).  eps 0, aux
 * NULL and clip 0 give optim_train_step exactly. */
float optim_train_step_reg(Net *net, Tensor *logits, Tensor *aux,
                           float aux_weight, const uint8_t *labels, int n,
                           float lr, float mu, float wd, float eps,
                           float clip, int *correct);

#endif
