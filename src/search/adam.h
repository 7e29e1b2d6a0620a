/* adam.h - the Adam optimiser (Kingma & Ba 2015) over one flat array of
 * float parameters.  Holds the moments and the step count; the caller owns
 * parameters and gradients.  Knows nothing about what the parameters are. */
#ifndef NASVIEW_ADAM_H
#define NASVIEW_ADAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t n;      /* parameters */
    float *m, *v;  /* first and second moments [n] */
    int64_t t;     /* steps taken */
    float beta1, beta2, eps;
} Adam;

/* adam_init - moments for n parameters, zeroed; beta1 0.9, beta2 0.999,
 * eps 1e-8 (the paper's values).  Returns 0, or -1 when out of memory
 * (then adam_done is still safe). */
int adam_init(Adam *a, size_t n);

/* adam_done - free the moments; safe on a zeroed or failed Adam. */
void adam_done(Adam *a);

/* adam_step - one bias-corrected update: theta[n] -= lr * mhat /
 * (sqrt(vhat) + eps), with grad[n] the gradient of the loss to minimise. */
void adam_step(Adam *a, float *theta, const float *grad, float lr);

#endif
