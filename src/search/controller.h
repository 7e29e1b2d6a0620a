/* controller.h - the NASNet controller (SPEC.md section 4): a one-layer
 * LSTM that makes the GENO_DECISIONS decisions of an architecture one step
 * at a time.
 *
 * Step t reads a learned embedding of decision t-1 (a learned start vector
 * at t = 0), advances the LSTM, and turns the hidden state into the
 * probabilities of decision t with its own softmax classifier W_t h + b_t
 * over exactly geno_decision_support(t) values.  Optional logit shaping:
 * s = z / T (temperature) and then s = c * tanh(s) (tanh constant).
 *
 * Parameters live in one flat float array (so Adam and save/restore see one
 * vector), laid out as named tensors (controller_tensor).  Every parameter
 * starts uniform in [-0.1, 0.1].  The controller computes log-probabilities,
 * entropies and gradients; it does not own an optimiser, a baseline or any
 * policy-gradient rule (strategy_rl.c does). */
#ifndef NASVIEW_CONTROLLER_H
#define NASVIEW_CONTROLLER_H

#include <stddef.h>
#include <stdint.h>

#include "space/genotype.h"
#include "base/nv_error.h"
#include "base/rng.h"

typedef struct Controller Controller;

typedef struct {
    int hidden;        /* LSTM units, also the embedding size */
    float temperature; /* logits / T; 0 or 1 = off */
    float tanh_c;      /* c * tanh(logits); 0 = off */
    int max_batch;     /* most architectures one controller_forward takes */
} ControllerShape;

/* controller_new - a controller with parameters drawn from rng (uniform in
 * [-0.1, 0.1]).  NULL with err filled (NV_ERR_USAGE for a bad shape,
 * NV_ERR_NOMEM).  Everything forward/backward needs is allocated here; the
 * caller owns the result (controller_free). */
Controller *controller_new(ControllerShape shape, Rng *rng, NvError *err);

/* controller_free - release c; NULL is a no-op. */
void controller_free(Controller *c);

/* controller_shape - the shape c was made with. */
ControllerShape controller_shape(const Controller *c);

/* controller_param_count - floats in the parameter (and gradient) vector. */
size_t controller_param_count(const Controller *c);

/* controller_params / controller_grads - views of the parameter vector and
 * of its gradient accumulator [controller_param_count]; owned by c. */
float *controller_params(Controller *c);
const float *controller_params_const(const Controller *c);
float *controller_grads(Controller *c);

/* controller_zero_grad - set the gradient accumulator to zero. */
void controller_zero_grad(Controller *c);

/* controller_tensor_count / controller_tensor - the named parts of the
 * parameter vector: "start", "emb[t]" (t = 0..48: the embedding rows of
 * decision t's values, read at step t+1), "lstm.W", "lstm.b", "cls.W[t]",
 * "cls.b[t]" (t = 0..49).  Writes the name into name (size n), returns the
 * offset into the parameter vector and sets *rows, *cols.  An i outside
 * 0..controller_tensor_count-1 gives "?", 0 x 0 and offset 0. */
int controller_tensor_count(const Controller *c);
size_t controller_tensor(const Controller *c, int i, char *name, size_t n,
                         int *rows, int *cols);

/* controller_sample - draw one architecture with rng.  Fills decisions[t]
 * (always inside its support), probs[t][v] (the softmax over the support,
 * zero past it), and the architecture's log-probability and entropy (sums
 * over the 50 decisions).  Overwrites the activation cache. */
void controller_sample(Controller *c, Rng *rng, int decisions[GENO_DECISIONS],
                       float probs[GENO_DECISIONS][GENO_MAX_SUPPORT],
                       double *log_prob, double *entropy);

/* controller_forward - score nb (1..max_batch) given architectures
 * (decisions[b][t], each inside its support): logp[b] and ent[b] out (sums
 * over the 50 decisions, in double).  Keeps the activations for a
 * following controller_backward. */
void controller_forward(Controller *c, int nb,
                        const int (*decisions)[GENO_DECISIONS], double *logp,
                        double *ent);

/* controller_backward - after controller_forward, ACCUMULATE into the
 * gradient the derivative of
 *     L = -sum_b coef[b] * logp[b] - ent_coef * sum_b ent[b]
 * through all 50 steps (coef[nb] as for the forward). */
void controller_backward(Controller *c, const double *coef, double ent_coef);

#endif
