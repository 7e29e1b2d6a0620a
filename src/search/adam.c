/* adam.c - Adam (see adam.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/adam.h"

int adam_init(Adam *a, size_t n)
{
    memset(a, 0, sizeof *a);
    a->beta1 = 0.9f;
    a->beta2 = 0.999f;
    a->eps = 1e-8f;
    a->m = calloc(n ? n : 1, sizeof *a->m);
    a->v = calloc(n ? n : 1, sizeof *a->v);
    if (!a->m || !a->v) {
        adam_done(a);
        return -1;
    }
    a->n = n;
    return 0;
}

void adam_done(Adam *a)
{
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
    a->n = 0;
}

void adam_step(Adam *a, float *theta, const float *grad, float lr)
{
    a->t++;
    /* Bias corrections in double: pow() of 0.999 over many steps. */
    double c1 = 1.0 - pow(a->beta1, (double)a->t);
    double c2 = 1.0 - pow(a->beta2, (double)a->t);
    float step = (float)(lr * sqrt(c2) / c1);
    float eps = (float)(a->eps * sqrt(c2));
    for (size_t i = 0; i < a->n; i++) {
        float g = grad[i];
        a->m[i] = a->beta1 * a->m[i] + (1.0f - a->beta1) * g;
        a->v[i] = a->beta2 * a->v[i] + (1.0f - a->beta2) * g * g;
        theta[i] -= step * a->m[i] / (sqrtf(a->v[i]) + eps);
    }
}
