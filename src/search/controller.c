/* controller.c - the LSTM controller: parameter layout, sampling, scoring
 * and backpropagation through the 50 steps (see controller.h).
 *
 * Activation cache, per step t and architecture b (allocated once for
 * max_batch architectures):
 *   xh[t]    [B x 2H]  [embedding of decision t-1 ; h(t-1)]
 *   gates[t] [B x 4H]  activated i, f, g, o
 *   c[t], tc[t], h[t]  [B x H]
 *   u[t]     [B x 13]  z / T (pre-tanh logits), s[t] shaped logits
 * Log-softmax and entropy are computed in double from the float logits, so
 * the loss is smooth enough for a finite-difference check. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "search/controller.h"
#include "search/lstm.h"

#define T_STEPS GENO_DECISIONS
#define SMAX GENO_MAX_SUPPORT

struct Controller {
    ControllerShape shape;
    int H;
    size_t n;           /* parameters */
    float *theta, *grad;
    /* offsets into theta */
    size_t off_start, off_emb[T_STEPS], off_W, off_b, off_cw[T_STEPS],
        off_cb[T_STEPS];
    int support[T_STEPS];
    /* cache */
    int nb;             /* architectures in the last forward */
    int *dec;           /* [B x T] */
    float *xh, *gates, *c, *tc, *h, *u, *s;
    float *zero;        /* [B x H] zeros: c(-1) */
    /* backward workspace */
    float *dh, *dc, *da, *dxh, *dz;
};

static size_t at(const Controller *c, int t, size_t width)
{
    return (size_t)t * (size_t)c->shape.max_batch * width;
}

Controller *controller_new(ControllerShape shape, Rng *rng, NvError *err)
{
    if (shape.hidden < 1 || shape.hidden > 4096)
        return nv_error_set(err, NV_ERR_USAGE,
                            "controller: hidden size %d is outside 1..4096",
                            shape.hidden),
               NULL;
    if (shape.max_batch < 1 || shape.max_batch > 100000)
        return nv_error_set(err, NV_ERR_USAGE,
                            "controller: batch %d is outside 1..100000",
                            shape.max_batch),
               NULL;
    Controller *c = calloc(1, sizeof *c);
    if (!c)
        return nv_error_set(err, NV_ERR_NOMEM, "controller: out of memory"),
               NULL;
    c->shape = shape;
    const int H = c->H = shape.hidden;
    size_t n = 0;
    c->off_start = n;
    n += (size_t)H;
    for (int t = 0; t < T_STEPS; t++)
        c->support[t] = geno_decision_support(t);
    for (int t = 0; t < T_STEPS - 1; t++) {
        c->off_emb[t] = n;
        n += (size_t)c->support[t] * H;
    }
    c->off_W = n;
    n += (size_t)4 * H * 2 * H;
    c->off_b = n;
    n += (size_t)4 * H;
    for (int t = 0; t < T_STEPS; t++) {
        c->off_cw[t] = n;
        n += (size_t)c->support[t] * H;
        c->off_cb[t] = n;
        n += (size_t)c->support[t];
    }
    c->n = n;
    size_t B = (size_t)shape.max_batch, TB = (size_t)T_STEPS * B;
    c->theta = malloc(n * sizeof *c->theta);
    c->grad = calloc(n, sizeof *c->grad);
    c->dec = malloc(TB * sizeof *c->dec);
    c->xh = malloc(TB * 2 * H * sizeof(float));
    c->gates = malloc(TB * 4 * H * sizeof(float));
    c->c = malloc(TB * H * sizeof(float));
    c->tc = malloc(TB * H * sizeof(float));
    c->h = malloc(TB * H * sizeof(float));
    c->u = malloc(TB * SMAX * sizeof(float));
    c->s = malloc(TB * SMAX * sizeof(float));
    c->zero = calloc(B * H, sizeof(float));
    c->dh = malloc(B * H * sizeof(float));
    c->dc = malloc(B * H * sizeof(float));
    c->da = malloc(B * 4 * H * sizeof(float));
    c->dxh = malloc(B * 2 * H * sizeof(float));
    c->dz = malloc(B * SMAX * sizeof(float));
    if (!c->theta || !c->grad || !c->dec || !c->xh || !c->gates || !c->c ||
        !c->tc || !c->h || !c->u || !c->s || !c->zero || !c->dh || !c->dc ||
        !c->da || !c->dxh || !c->dz) {
        controller_free(c);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "controller: out of memory for %zu parameters", n),
               NULL;
    }
    /* SPEC.md section 4 (paper A.3): every weight uniform in [-0.1, 0.1]. */
    for (size_t i = 0; i < n; i++)
        c->theta[i] = rng_uniformf(rng, -0.1f, 0.1f);
    return c;
}

void controller_free(Controller *c)
{
    if (!c)
        return;
    free(c->theta);
    free(c->grad);
    free(c->dec);
    free(c->xh);
    free(c->gates);
    free(c->c);
    free(c->tc);
    free(c->h);
    free(c->u);
    free(c->s);
    free(c->zero);
    free(c->dh);
    free(c->dc);
    free(c->da);
    free(c->dxh);
    free(c->dz);
    free(c);
}

ControllerShape controller_shape(const Controller *c)
{
    return c->shape;
}

size_t controller_param_count(const Controller *c)
{
    return c->n;
}

float *controller_params(Controller *c)
{
    return c->theta;
}

const float *controller_params_const(const Controller *c)
{
    return c->theta;
}

float *controller_grads(Controller *c)
{
    return c->grad;
}

void controller_zero_grad(Controller *c)
{
    memset(c->grad, 0, c->n * sizeof *c->grad);
}

int controller_tensor_count(const Controller *c)
{
    (void)c;
    return 1 + (T_STEPS - 1) + 2 + 2 * T_STEPS;
}

size_t controller_tensor(const Controller *c, int i, char *name, size_t n,
                         int *rows, int *cols)
{
    const int H = c->H;
    if (i < 0 || i >= controller_tensor_count(c)) {
        snprintf(name, n, "?");
        *rows = *cols = 0;
        return 0;
    }
    if (i == 0) {
        snprintf(name, n, "start");
        *rows = 1, *cols = H;
        return c->off_start;
    }
    i -= 1;
    if (i < T_STEPS - 1) {
        snprintf(name, n, "emb[%d]", i);
        *rows = c->support[i], *cols = H;
        return c->off_emb[i];
    }
    i -= T_STEPS - 1;
    if (i == 0) {
        snprintf(name, n, "lstm.W");
        *rows = 4 * H, *cols = 2 * H;
        return c->off_W;
    }
    if (i == 1) {
        snprintf(name, n, "lstm.b");
        *rows = 1, *cols = 4 * H;
        return c->off_b;
    }
    i -= 2;
    int t = i / 2;
    if (i % 2 == 0) {
        snprintf(name, n, "cls.W[%d]", t);
        *rows = c->support[t], *cols = H;
        return c->off_cw[t];
    }
    snprintf(name, n, "cls.b[%d]", t);
    *rows = 1, *cols = c->support[t];
    return c->off_cb[t];
}

/* Log-softmax of s[0..S) in double: logp[] out, returns the entropy. */
static double log_softmax(const float *s, int S, double *logp)
{
    double m = s[0], sum = 0, ent = 0;
    for (int j = 1; j < S; j++)
        if (s[j] > m)
            m = s[j];
    for (int j = 0; j < S; j++)
        sum += exp((double)s[j] - m);
    double lse = m + log(sum);
    for (int j = 0; j < S; j++) {
        logp[j] = (double)s[j] - lse;
        ent -= exp(logp[j]) * logp[j];
    }
    return ent;
}

static float temperature_of(const Controller *c)
{
    float T = c->shape.temperature;
    return T > 0.0f ? T : 1.0f;
}

/* Run the 50 steps for nb architectures.  With rng, row 0 is sampled and
 * its decisions, probabilities are written to dec_out/probs; otherwise the
 * decisions come from `given`.  logp/ent [nb] out. */
static void run(Controller *c, int nb, const int (*given)[T_STEPS], Rng *rng,
                int *dec_out, float (*probs)[SMAX], double *logp, double *ent)
{
    const int H = c->H;
    const LstmShape ls = { H, H };
    const float invT = 1.0f / temperature_of(c), tc_ = c->shape.tanh_c;
    c->nb = nb;
    for (int b = 0; b < nb; b++)
        logp[b] = ent[b] = 0.0;
    for (int t = 0; t < T_STEPS; t++) {
        const int S = c->support[t];
        float *xh = c->xh + at(c, t, 2 * H);
        /* inputs: embedding of decision t-1 (start vector at t = 0), h(t-1) */
        for (int b = 0; b < nb; b++) {
            const float *emb = t == 0
                ? c->theta + c->off_start
                : c->theta + c->off_emb[t - 1] +
                      (size_t)c->dec[(size_t)b * T_STEPS + t - 1] * H;
            float *row = xh + (size_t)b * 2 * H;
            memcpy(row, emb, (size_t)H * sizeof(float));
            if (t == 0)
                memset(row + H, 0, (size_t)H * sizeof(float));
            else
                memcpy(row + H, c->h + at(c, t - 1, H) + (size_t)b * H,
                       (size_t)H * sizeof(float));
        }
        const float *cprev = t == 0 ? c->zero : c->c + at(c, t - 1, H);
        float *h = c->h + at(c, t, H);
        lstm_step_forward(ls, nb, c->theta + c->off_W, c->theta + c->off_b, xh,
                          cprev, c->gates + at(c, t, 4 * H),
                          c->c + at(c, t, H), c->tc + at(c, t, H), h);
        /* logits z = h W_t^T + b_t, into u, then shaped into s */
        float *u = c->u + at(c, t, SMAX), *s = c->s + at(c, t, SMAX);
        for (int b = 0; b < nb; b++)
            memcpy(u + (size_t)b * SMAX, c->theta + c->off_cb[t],
                   (size_t)S * sizeof(float));
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, S, H, 1.0f, h,
                    H, c->theta + c->off_cw[t], H, 1.0f, u, SMAX);
        for (int b = 0; b < nb; b++) {
            float *ub = u + (size_t)b * SMAX, *sb = s + (size_t)b * SMAX;
            double lp[SMAX];
            for (int j = 0; j < S; j++) {
                ub[j] *= invT;
                sb[j] = tc_ > 0.0f ? tc_ * tanhf(ub[j]) : ub[j];
            }
            double e = log_softmax(sb, S, lp);
            int d;
            if (rng) {
                double r = rng_uniform(rng), cum = 0.0;
                d = -1;
                for (int j = 0; j < S; j++) {
                    double pj = exp(lp[j]);
                    probs[t][j] = (float)pj;
                    cum += pj;
                    if (d < 0 && r < cum)
                        d = j;
                }
                for (int j = S; j < SMAX; j++)
                    probs[t][j] = 0.0f;
                if (d < 0) /* rounding left r above the total */
                    d = S - 1;
                dec_out[t] = d;
            } else {
                d = given[b][t];
            }
            c->dec[(size_t)b * T_STEPS + t] = d;
            logp[b] += lp[d];
            ent[b] += e;
        }
    }
}

void controller_sample(Controller *c, Rng *rng, int decisions[GENO_DECISIONS],
                       float probs[GENO_DECISIONS][GENO_MAX_SUPPORT],
                       double *log_prob, double *entropy)
{
    run(c, 1, NULL, rng, decisions, probs, log_prob, entropy);
}

void controller_forward(Controller *c, int nb,
                        const int (*decisions)[GENO_DECISIONS], double *logp,
                        double *ent)
{
    run(c, nb, decisions, NULL, NULL, NULL, logp, ent);
}

void controller_backward(Controller *c, const double *coef, double ent_coef)
{
    const int H = c->H, nb = c->nb;
    const LstmShape ls = { H, H };
    const float invT = 1.0f / temperature_of(c), tc_ = c->shape.tanh_c;
    memset(c->dh, 0, (size_t)nb * H * sizeof(float));
    memset(c->dc, 0, (size_t)nb * H * sizeof(float));
    for (int t = T_STEPS - 1; t >= 0; t--) {
        const int S = c->support[t];
        const float *h = c->h + at(c, t, H);
        const float *u = c->u + at(c, t, SMAX), *s = c->s + at(c, t, SMAX);
        /* dL/dz for the classifier of step t */
        for (int b = 0; b < nb; b++) {
            const float *ub = u + (size_t)b * SMAX, *sb = s + (size_t)b * SMAX;
            float *dz = c->dz + (size_t)b * SMAX;
            double lp[SMAX];
            double e = log_softmax(sb, S, lp);
            int d = c->dec[(size_t)b * T_STEPS + t];
            for (int j = 0; j < S; j++) {
                double p = exp(lp[j]);
                double ds = -coef[b] * ((j == d) - p) +
                            ent_coef * p * (lp[j] + e);
                if (tc_ > 0.0f) {
                    double th = tanh((double)ub[j]);
                    ds *= tc_ * (1.0 - th * th);
                }
                dz[j] = (float)(ds * invT);
            }
            for (int j = S; j < SMAX; j++)
                dz[j] = 0.0f;
        }
        float *gb = c->grad + c->off_cb[t];
        for (int b = 0; b < nb; b++)
            for (int j = 0; j < S; j++)
                gb[j] += c->dz[(size_t)b * SMAX + j];
        /* dW_t[S x H] += dz^T[S x nb] h[nb x H] */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, S, H, nb, 1.0f,
                    c->dz, SMAX, h, H, 1.0f, c->grad + c->off_cw[t], H);
        /* dh[nb x H] += dz[nb x S] W_t[S x H] (dh holds the recurrent part) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, H, S, 1.0f,
                    c->dz, SMAX, c->theta + c->off_cw[t], H, 1.0f, c->dh, H);
        const float *cprev = t == 0 ? c->zero : c->c + at(c, t - 1, H);
        lstm_step_backward(ls, nb, c->theta + c->off_W, c->xh + at(c, t, 2 * H),
                           cprev, c->gates + at(c, t, 4 * H),
                           c->tc + at(c, t, H), c->dh, c->dc, c->da,
                           c->grad + c->off_W, c->grad + c->off_b, c->dxh,
                           c->dc);
        /* split dL/d[x ; h_prev]: x goes to the embedding row it came from */
        for (int b = 0; b < nb; b++) {
            const float *dx = c->dxh + (size_t)b * 2 * H;
            float *g = t == 0
                ? c->grad + c->off_start
                : c->grad + c->off_emb[t - 1] +
                      (size_t)c->dec[(size_t)b * T_STEPS + t - 1] * H;
            for (int k = 0; k < H; k++)
                g[k] += dx[k];
            memcpy(c->dh + (size_t)b * H, dx + H, (size_t)H * sizeof(float));
        }
    }
}
