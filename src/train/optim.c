/* optim.c - SGD with Nesterov momentum, cosine schedule, a training step. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>

#include "train/optim.h"

void sgd_nesterov_step(float *w, const float *g, float *v, size_t n, float lr,
                       float mu, float wd)
{
    for (size_t i = 0; i < n; i++) {
        float d = g[i] + wd * w[i];
        v[i] = mu * v[i] + d;
        w[i] -= lr * (d + mu * v[i]);
    }
}

float sgd_cosine_lr(float lr0, int64_t step, int64_t steps)
{
    if (steps <= 0)
        return lr0;
    return (float)(0.5 * lr0 * (1.0 + cos(M_PI * (double)step / (double)steps)));
}

float optim_train_step(Net *net, Tensor *logits, const uint8_t *labels, int n,
                       float lr, float mu, float wd, int *correct)
{
    net_forward(net, n, 1);
    net_zero_grad(net);
    float loss = loss_softmax_xent(logits->x, logits->c, n, labels, logits->g,
                                   correct);
    if (!isfinite(loss))
        return loss;
    net_backward(net, n);
    float *w, *g, *v;
    size_t np;
    for (int i = 0; net_param_span(net, i, &w, &g, &v, &np); i++)
        sgd_nesterov_step(w, g, v, np, lr, mu, wd);
    return loss;
}

double optim_grad_clip(float *g, size_t n, float max_norm)
{
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (double)g[i] * g[i];
    const double norm = sqrt(ss);
    if (max_norm > 0.0f && norm > max_norm) {
        const float k = (float)(max_norm / norm);
        for (size_t i = 0; i < n; i++)
            g[i] *= k;
    }
    return norm;
}

float optim_train_step_reg(Net *net, Tensor *logits, Tensor *aux,
                           float aux_weight, const uint8_t *labels, int n,
                           float lr, float mu, float wd, float eps,
                           float clip, int *correct)
{
    net_forward(net, n, 1);
    net_zero_grad(net);
    float loss = loss_softmax_xent_smooth(logits->x, logits->c, n, labels, eps,
                                          logits->g, correct);
    if (!isfinite(loss))
        return loss;
    if (aux) {
        /* the aux logits feed nothing else: their gradient is this loss's
         * alone, scaled by its weight */
        float la = loss_softmax_xent_smooth(aux->x, aux->c, n, labels, eps,
                                            aux->g, NULL);
        if (!isfinite(la))
            return la;
        const size_t k = (size_t)aux->c * (size_t)n;
        for (size_t i = 0; i < k; i++)
            aux->g[i] *= aux_weight;
    }
    net_backward(net, n);
    float *w, *g, *v;
    net_params(net, &w, &g, &v);
    if (clip > 0.0f)
        optim_grad_clip(g, (size_t)net_param_count(net), clip);
    sgd_nesterov_step(w, g, v, (size_t)net_param_count(net), lr, mu, wd);
    return loss;
}
