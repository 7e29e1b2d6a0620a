/* test_controller.c - the LSTM controller: finite-difference check of the
 * gradient of its loss with respect to every tensor (start vector, every
 * embedding, the LSTM weights and bias, every classifier) through all 50
 * steps, at the product's size (100 units) and at a small size with logit
 * shaping on; probability vectors; sampling inside the support; the
 * agreement between sampling and scoring; Adam on a quadratic. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "check.h"
#include "controller.h"

#define NB 3

/* L = -sum_b coef[b] logp[b] - ent_coef sum_b ent[b], in double. */
static double loss(Controller *c, const int (*dec)[GENO_DECISIONS],
                   const double *coef, double ent_coef)
{
    double lp[NB], en[NB], L = 0.0;
    controller_forward(c, NB, dec, lp, en);
    for (int b = 0; b < NB; b++)
        L -= coef[b] * lp[b] + ent_coef * en[b];
    return L;
}

/* Check `per` entries of every tensor; entries of embedding tensors are
 * taken from rows the decisions actually read (others have zero gradient,
 * which is checked too). */
static void gradient_check(ControllerShape shape, int per, uint64_t seed)
{
    NvError err;
    Rng rng;
    rng_seed(&rng, seed, 1);
    Controller *c = controller_new(shape, &rng, &err);
    CHECK(c != NULL, "controller_new: %s", err.msg);
    if (!c)
        return;
    /* Decisions: sampled from the controller, so they are typical. */
    int dec[NB][GENO_DECISIONS];
    float probs[GENO_DECISIONS][GENO_MAX_SUPPORT];
    for (int b = 0; b < NB; b++) {
        double lp, en;
        controller_sample(c, &rng, dec[b], probs, &lp, &en);
    }
    const double coef[NB] = { 1.3, -0.7, 2.1 }, ent_coef = 0.5;
    controller_zero_grad(c);
    loss(c, (const int(*)[GENO_DECISIONS])dec, coef, ent_coef);
    controller_backward(c, coef, ent_coef);
    size_t n = controller_param_count(c);
    float *g = malloc(n * sizeof *g);
    memcpy(g, controller_grads(c), n * sizeof *g);
    float gmax = 0;
    for (size_t i = 0; i < n; i++)
        if (fabsf(g[i]) > gmax)
            gmax = fabsf(g[i]);
    float *theta = controller_params(c);
    const float h = 2e-3f;
    int checked = 0, tensors = controller_tensor_count(c);
    double worst = 0;
    char worst_name[64] = "";
    for (int k = 0; k < tensors; k++) {
        char name[64];
        int rows, cols;
        size_t off = controller_tensor(c, k, name, sizeof name, &rows, &cols);
        for (int e = 0; e < per; e++) {
            int row = (int)rng_below(&rng, (uint32_t)rows);
            int col = (int)rng_below(&rng, (uint32_t)cols);
            if (strncmp(name, "emb[", 4) == 0 && e > 0) {
                int t = atoi(name + 4);
                row = dec[e % NB][t]; /* a row that step t+1 reads */
            }
            size_t i = off + (size_t)row * cols + col;
            float keep = theta[i];
            theta[i] = keep + h;
            double lp = loss(c, (const int(*)[GENO_DECISIONS])dec, coef, ent_coef);
            theta[i] = keep - h;
            double lm = loss(c, (const int(*)[GENO_DECISIONS])dec, coef, ent_coef);
            theta[i] = keep;
            double fd = (lp - lm) / (2.0 * (double)h);
            double diff = fabs(fd - g[i]);
            /* mixed tolerance: absolute part scaled to the gradient's size,
             * relative part for the large entries */
            double tol = 5e-5 * gmax + 5e-3 * fabs(fd);
            CHECK(diff <= tol,
                  "H=%d %s[%d,%d]: analytic %.6g, numeric %.6g (tol %.3g)",
                  shape.hidden, name, row, col, (double)g[i], fd, tol);
            if (diff / (tol) > worst) {
                worst = diff / tol;
                snprintf(worst_name, sizeof worst_name, "%s", name);
            }
            checked++;
        }
    }
    printf("gradient check H=%d T=%g c=%g: %d entries of %d tensors, worst "
           "error %.2f of tolerance (%s), |grad| max %.3g\n",
           shape.hidden, (double)shape.temperature, (double)shape.tanh_c,
           checked, tensors, worst, worst_name, (double)gmax);
    free(g);
    controller_free(c);
}

/* Sampling: vectors sum to one over exactly the support, zero beyond,
 * decisions inside it, and log_prob/entropy agree with scoring the same
 * decisions by controller_forward. */
static void sampling_checks(void)
{
    NvError err;
    Rng rng;
    rng_seed(&rng, 7, 1);
    ControllerShape shape = { 100, 0.0f, 0.0f, 4 };
    Controller *c = controller_new(shape, &rng, &err);
    CHECK(c != NULL, "controller_new: %s", err.msg);
    if (!c)
        return;
    for (int k = 0; k < 20; k++) {
        int dec[GENO_DECISIONS];
        float probs[GENO_DECISIONS][GENO_MAX_SUPPORT];
        double lp, en, lp2, en2;
        controller_sample(c, &rng, dec, probs, &lp, &en);
        double lsum = 0, esum = 0;
        for (int t = 0; t < GENO_DECISIONS; t++) {
            int S = geno_decision_support(t);
            double sum = 0;
            CHECK(dec[t] >= 0 && dec[t] < S, "decision %d = %d", t, dec[t]);
            for (int v = 0; v < GENO_MAX_SUPPORT; v++) {
                if (v < S) {
                    CHECK(probs[t][v] > 0.0f, "p[%d][%d] = %g", t, v,
                          (double)probs[t][v]);
                    sum += probs[t][v];
                    esum -= probs[t][v] * log(probs[t][v]);
                } else {
                    CHECK(probs[t][v] == 0.0f, "p[%d][%d] = %g past support",
                          t, v, (double)probs[t][v]);
                }
            }
            CHECK(fabs(sum - 1.0) < 1e-5, "decision %d sums to %.8f", t, sum);
            lsum += log(probs[t][dec[t]]);
        }
        CHECK(fabs(lsum - lp) < 1e-4, "log_prob %.8f vs %.8f", lp, lsum);
        CHECK(fabs(esum - en) < 1e-4, "entropy %.8f vs %.8f", en, esum);
        controller_forward(c, 1, (const int(*)[GENO_DECISIONS])&dec, &lp2, &en2);
        CHECK(fabs(lp2 - lp) < 1e-4 && fabs(en2 - en) < 1e-4,
              "scored %.8f/%.8f, sampled %.8f/%.8f", lp2, en2, lp, en);
    }
    controller_free(c);

    /* A strong tanh constant on a tiny temperature still gives valid vectors */
    ControllerShape sharp = { 16, 0.05f, 5.0f, 1 };
    rng_seed(&rng, 8, 1);
    c = controller_new(sharp, &rng, &err);
    CHECK(c != NULL, "controller_new: %s", err.msg);
    if (c) {
        int dec[GENO_DECISIONS];
        float probs[GENO_DECISIONS][GENO_MAX_SUPPORT];
        double lp, en;
        controller_sample(c, &rng, dec, probs, &lp, &en);
        for (int t = 0; t < GENO_DECISIONS; t++) {
            double sum = 0;
            for (int v = 0; v < geno_decision_support(t); v++)
                sum += probs[t][v];
            CHECK(fabs(sum - 1.0) < 1e-5, "sharp decision %d sums to %g", t,
                  sum);
        }
        CHECK(isfinite(lp) && isfinite(en), "sharp lp %g en %g", lp, en);
        controller_free(c);
    }
    /* Initial weights lie in [-0.1, 0.1]. */
    rng_seed(&rng, 9, 1);
    c = controller_new(shape, &rng, &err);
    if (c) {
        const float *th = controller_params(c);
        float lo = 1, hi = -1;
        for (size_t i = 0; i < controller_param_count(c); i++) {
            lo = th[i] < lo ? th[i] : lo;
            hi = th[i] > hi ? th[i] : hi;
        }
        CHECK(lo >= -0.1f && hi <= 0.1f && lo < -0.09f && hi > 0.09f,
              "initial weights in [%g, %g]", (double)lo, (double)hi);
        controller_free(c);
    }
    /* Bad shapes are refused with a message. */
    ControllerShape bad = { 0, 0, 0, 1 };
    CHECK(controller_new(bad, &rng, &err) == NULL &&
              err.status == NV_ERR_USAGE,
          "hidden 0 accepted");
}

/* Adam minimises a quadratic. */
static void adam_checks(void)
{
    Adam a;
    float x[3] = { 1.0f, -2.0f, 0.5f }, g[3];
    CHECK(adam_init(&a, 3) == 0, "adam_init");
    for (int it = 0; it < 2000; it++) {
        for (int i = 0; i < 3; i++)
            g[i] = 2.0f * (x[i] - (float)i);
        adam_step(&a, x, g, 0.01f);
    }
    for (int i = 0; i < 3; i++)
        CHECK(fabsf(x[i] - (float)i) < 1e-2f, "adam x[%d] = %g", i,
              (double)x[i]);
    CHECK(a.t == 2000, "adam steps %lld", (long long)a.t);
    adam_done(&a);
}

int main(void)
{
    ControllerShape product = { 100, 0.0f, 0.0f, NB };
    ControllerShape shaped = { 8, 1.7f, 2.5f, NB };
    gradient_check(product, 2, 11);
    gradient_check(shaped, 6, 12);
    sampling_checks();
    adam_checks();
    return check_exit("test_controller");
}
