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

#include "search/adam.h"
#include "base/bytes.h"
#include "check.h"
#include "search/controller.h"
#include "search/lstm.h"

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
    /* The tensors tile the parameter vector exactly, in order; indices
     * outside the table name nothing (and read nothing out of bounds). */
    rng_seed(&rng, 10, 1);
    c = controller_new(shape, &rng, &err);
    if (c) {
        size_t next = 0;
        char name[32];
        int rows, cols, k, count = controller_tensor_count(c);
        for (k = 0; k < count; k++) {
            size_t off = controller_tensor(c, k, name, sizeof name, &rows,
                                           &cols);
            CHECK(off == next && rows > 0 && cols > 0 && name[0] != '?',
                  "tensor %d (%s) at %zu, expected %zu", k, name, off, next);
            next = off + (size_t)rows * (size_t)cols;
        }
        CHECK(next == controller_param_count(c), "tensors cover %zu of %zu",
              next, controller_param_count(c));
        const int outside[] = { -1, -1000, count, count + 7 };
        for (k = 0; k < 4; k++) {
            size_t off = controller_tensor(c, outside[k], name, sizeof name,
                                           &rows, &cols);
            CHECK(off == 0 && rows == 0 && cols == 0 && strcmp(name, "?") == 0,
                  "tensor %d: %s %dx%d at %zu", outside[k], name, rows, cols,
                  off);
        }
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

    /* Exactness: a few steps against the textbook update in double
     * (Kingma & Ba 2015, Algorithm 1), with gradients of every scale; the
     * tiny ones are where eps and the bias corrections show.  Converging
     * on a quadratic (above) would not notice a missing correction. */
    enum { N = 4, STEPS = 6 };
    const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double ref[N] = { 0.3, -1.2, 2.0, 0.0 }, m[N] = { 0 }, v[N] = { 0 };
    float th[N], gr[N];
    for (int i = 0; i < N; i++)
        th[i] = (float)ref[i];
    CHECK(adam_init(&a, N) == 0, "adam_init");
    for (int t = 1; t <= STEPS; t++) {
        const float grads[N] = { 0.5f * (float)t, -3e-2f, 1e-9f * (float)t,
                                 t % 2 ? 1.0f : -1.0f };
        for (int i = 0; i < N; i++) {
            gr[i] = grads[i];
            m[i] = b1 * m[i] + (1 - b1) * grads[i];
            v[i] = b2 * v[i] + (1 - b2) * (double)grads[i] * grads[i];
            double mh = m[i] / (1 - pow(b1, t)), vh = v[i] / (1 - pow(b2, t));
            ref[i] -= lr * mh / (sqrt(vh) + eps);
        }
        adam_step(&a, th, gr, (float)lr);
        for (int i = 0; i < N; i++)
            CHECK(fabs(th[i] - ref[i]) <= 1e-6 + 1e-5 * fabs(ref[i]),
                  "adam step %d theta[%d] = %.9g, textbook %.9g", t, i,
                  (double)th[i], ref[i]);
    }
    adam_done(&a);
}

/* lstm_step_forward against the textbook LSTM written out in double
 * loops (STYLE.md: every optimised kernel keeps a naive reference).  The
 * finite-difference check only shows forward and backward agree; this
 * pins what they compute: gate order i, f, g, o over rows of W, inputs
 * [x ; h_prev], c = f c_prev + i g, h = o tanh(c). */
static void lstm_reference_checks(void)
{
    enum { I = 5, H = 4, NBR = 3, K = I + H, G = 4 * H };
    float W[G * K], b[G], xh[NBR * K], cp[NBR * H];
    float gates[NBR * G], c[NBR * H], tc[NBR * H], h[NBR * H];
    Rng rng;
    rng_seed(&rng, 21, 1);
    for (int i = 0; i < G * K; i++)
        W[i] = rng_uniformf(&rng, -1.0f, 1.0f);
    for (int i = 0; i < G; i++)
        b[i] = rng_uniformf(&rng, -0.5f, 0.5f);
    for (int i = 0; i < NBR * K; i++)
        xh[i] = rng_uniformf(&rng, -1.0f, 1.0f);
    for (int i = 0; i < NBR * H; i++)
        cp[i] = rng_uniformf(&rng, -2.0f, 2.0f);
    LstmShape ls = { I, H };
    lstm_step_forward(ls, NBR, W, b, xh, cp, gates, c, tc, h);
    double worst = 0;
    for (int r = 0; r < NBR; r++)
        for (int j = 0; j < H; j++) {
            double z[4];
            for (int q = 0; q < 4; q++) {
                z[q] = b[q * H + j];
                for (int k = 0; k < K; k++)
                    z[q] += (double)W[(q * H + j) * K + k] * xh[r * K + k];
            }
            double ig = 1 / (1 + exp(-z[0])), fg = 1 / (1 + exp(-z[1]));
            double gg = tanh(z[2]), og = 1 / (1 + exp(-z[3]));
            double cn = fg * cp[r * H + j] + ig * gg, hn = og * tanh(cn);
            const double want[7] = { ig, fg, gg, og, cn, tanh(cn), hn };
            const float got[7] = { gates[r * G + j], gates[r * G + H + j],
                                   gates[r * G + 2 * H + j],
                                   gates[r * G + 3 * H + j], c[r * H + j],
                                   tc[r * H + j], h[r * H + j] };
            for (int q = 0; q < 7; q++) {
                double d = fabs(got[q] - want[q]);
                worst = d > worst ? d : worst;
                CHECK(d < 1e-5, "lstm row %d unit %d value %d: %.8f, "
                      "reference %.8f", r, j, q, (double)got[q], want[q]);
            }
        }
    printf("lstm forward vs naive reference: worst difference %.2g\n", worst);
}

/* The snapshot byte writer and reader at their limits. */
static void bytes_checks(void)
{
    ByteWriter w;
    const uint8_t three[3] = { 1, 2, 3 };
    bytes_writer_init(&w);
    bytes_put(&w, three, 3);
    /* a length that would wrap len + n is a failure, not a huge copy */
    bytes_put(&w, three, SIZE_MAX);
    CHECK(w.failed && w.len == 3, "SIZE_MAX put: failed %d len %zu", w.failed,
          w.len);
    bytes_put(&w, three, 3);
    CHECK(w.len == 3, "a put after a failure wrote");
    bytes_writer_done(&w);
    bytes_writer_init(&w);
    bytes_put(&w, three, 3);
    bytes_put(&w, three, SIZE_MAX - 1);
    CHECK(w.failed && w.len == 3, "SIZE_MAX-1 put: failed %d len %zu",
          w.failed, w.len);
    bytes_writer_done(&w);

    ByteWriter ok;
    bytes_writer_init(&ok);
    bytes_put_u32(&ok, 0x01020304u);
    bytes_put_f64(&ok, -2.5);
    bytes_put_i64(&ok, -7);
    CHECK(!ok.failed && ok.len == 20 && ok.buf[0] == 4 && ok.buf[3] == 1,
          "little-endian u32");
    ByteReader r;
    bytes_reader_init(&r, ok.buf, ok.len);
    CHECK(bytes_get_u32(&r) == 0x01020304u && bytes_get_f64(&r) == -2.5 &&
              bytes_get_i64(&r) == -7 && !r.failed && r.left == 0,
          "round trip");
    CHECK(bytes_get_u32(&r) == 0 && r.failed, "read past the end");
    bytes_writer_done(&ok);
}

int main(void)
{
    ControllerShape product = { 100, 0.0f, 0.0f, NB };
    ControllerShape shaped = { 8, 1.7f, 2.5f, NB };
    gradient_check(product, 2, 11);
    gradient_check(shaped, 6, 12);
    sampling_checks();
    adam_checks();
    bytes_checks();
    lstm_reference_checks();
    return check_exit("test_controller");
}
