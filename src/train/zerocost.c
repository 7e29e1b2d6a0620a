/* zerocost.c - scores at initialisation (see zerocost.h): the NASWOT
 * kernel of ReLU codes and its log-determinant.  Runs the network on one
 * thread; allocates its scratch once per call of zc_naswot. */
#include "config.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "nn/network.h"
#include "train/child.h"
#include "train/zerocost.h"

/* The RNG stream of the batch a zero-cost score reads ("zc"). */
#define ZC_STREAM_BATCH 0x7a63u

void zc_kernel_add(double *K, const float *x, int c, int n, int hw,
                   float *scratch)
{
    const size_t units = (size_t)c * (size_t)hw;
    /* scratch[i][u]: the code of unit u of image i, as 0 or 1 */
    for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < n; i++) {
            const float *src = x + ((size_t)ch * n + i) * hw;
            float *dst = scratch + (size_t)i * units + (size_t)ch * hw;
            for (int p = 0; p < hw; p++)
                dst[p] = src[p] > 0.0f ? 1.0f : 0.0f;
        }
    /* agree(i, j) = units - on_i - on_j + 2 both_on(i, j); counts below
     * 2^24 are exact in float, and a tensor has far fewer units. */
    float *gram = malloc(sizeof(float) * (size_t)n * n);
    double *on = malloc(sizeof(double) * (size_t)n);
    if (gram && on) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n,
                    (int)units, 1.0f, scratch, (int)units, scratch,
                    (int)units, 0.0f, gram, n);
        for (int i = 0; i < n; i++)
            on[i] = gram[(size_t)i * n + i];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                K[(size_t)i * n + j] += (double)units - on[i] - on[j] +
                                        2.0 * gram[(size_t)i * n + j];
    } else {
        /* no memory for the Gram matrix: the same counts, pair by pair */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                const float *a = scratch + (size_t)i * units;
                const float *b = scratch + (size_t)j * units;
                double agree = 0;
                for (size_t u = 0; u < units; u++)
                    agree += a[u] == b[u];
                K[(size_t)i * n + j] += agree;
            }
    }
    free(gram);
    free(on);
}

double zc_logdet(double *a, int n)
{
    double logdet = 0.0;
    for (int k = 0; k < n; k++) {
        int piv = k;
        double best = fabs(a[(size_t)k * n + k]);
        for (int i = k + 1; i < n; i++)
            if (fabs(a[(size_t)i * n + k]) > best) {
                best = fabs(a[(size_t)i * n + k]);
                piv = i;
            }
        if (!(best > 0.0))
            return -INFINITY;
        if (piv != k)
            for (int j = 0; j < n; j++) {
                double t = a[(size_t)k * n + j];
                a[(size_t)k * n + j] = a[(size_t)piv * n + j];
                a[(size_t)piv * n + j] = t;
            }
        double d = a[(size_t)k * n + k];
        logdet += log(fabs(d));
        for (int i = k + 1; i < n; i++) {
            double f = a[(size_t)i * n + k] / d;
            if (f == 0.0)
                continue;
            for (int j = k + 1; j < n; j++)
                a[(size_t)i * n + j] -= f * a[(size_t)k * n + j];
        }
    }
    return logdet;
}

typedef struct {
    double *K;      /* n x n */
    float *scratch; /* n * largest c*h*w */
} NaswotCtx;

static void naswot_visit(const Tensor *x, int n, void *vctx)
{
    NaswotCtx *ctx = vctx;
    zc_kernel_add(ctx->K, x->x, x->c, n, x->h * x->w, ctx->scratch);
}

NvStatus zc_naswot(const Genotype *g, int F, int N, const Dataset *train,
                   int batch, uint64_t seed, double *score, NvError *err)
{
    int n = (int)(train->n < batch ? train->n : batch);
    if (n < 2)
        return nv_error_set(err, NV_ERR_USAGE,
                            "NASWOT needs a batch of at least 2 images "
                            "(batch %d, %lld training images)",
                            batch, (long long)train->n);
    ChildShape sh = { F, N, train->c, train->h, train->w, train->classes };
    Net *net = NULL;
    Tensor *in, *out;
    NvStatus st = child_build(g, &sh, n, &net, &in, &out, err);
    if (st != NV_OK)
        return st;
    if ((st = net_finish(net, seed, err)) != NV_OK) {
        net_free(net);
        return st;
    }
    size_t img = (size_t)train->c * train->h * train->w;
    size_t units = net_max_units(net);
    int32_t *order = malloc(sizeof(int32_t) * (size_t)train->n);
    float *images = malloc(sizeof(float) * img * (size_t)n);
    NaswotCtx ctx = { calloc((size_t)n * n, sizeof(double)),
                      malloc(sizeof(float) * units * (size_t)n) };
    if (!order || !images || !ctx.K || !ctx.scratch) {
        st = nv_error_set(err, NV_ERR_NOMEM,
                          "out of memory scoring NASWOT on %d images", n);
        goto done;
    }
    Rng rng;
    rng_seed(&rng, seed, ZC_STREAM_BATCH);
    for (int64_t i = 0; i < train->n; i++)
        order[i] = (int32_t)i;
    rng_shuffle(&rng, order, train->n);
    dataset_batch(train, order, n, images, NULL);
    net_set_input(net, in, images, n);
    net_forward_visit(net, n, 1, naswot_visit, &ctx);
    *score = zc_logdet(ctx.K, n);
done:
    free(order);
    free(images);
    free(ctx.K);
    free(ctx.scratch);
    net_free(net);
    return st;
}

/* synflow_pass - forward one image of value s everywhere; with t > 0 also
 * backward from an output gradient of t everywhere.  Returns the sum of
 * the outputs (double). */
static double synflow_pass(Net *net, Tensor *in, Tensor *out, float s,
                           float t)
{
    const size_t k = (size_t)in->c * in->h * in->w;
    for (size_t i = 0; i < k; i++)
        in->x[i] = s;
    net_forward(net, 1, 1);
    const size_t m = (size_t)out->c * out->h * out->w;
    double r = 0.0;
    for (size_t i = 0; i < m; i++)
        r += out->x[i];
    if (t > 0.0f) {
        net_zero_grad(net);
        for (size_t i = 0; i < m; i++)
            out->g[i] = t;
        net_backward(net, 1);
    }
    return r;
}

NvStatus zc_synflow_net(Net *net, Tensor *in, Tensor *out, double *score,
                        NvError *err)
{
    float *w, *g, *m;
    net_params(net, &w, &g, &m);
    const size_t np = (size_t)net_param_count(net);
    if (!w)
        return nv_error_set(err, NV_ERR_USAGE,
                            "synflow needs a network that owns its weights");
    for (size_t i = 0; i < np; i++)
        w[i] = fabsf(w[i]);
    /* first pass at input 1; if R overflows, again at 2^-100 */
    int j = 0;
    double r = synflow_pass(net, in, out, 1.0f, 0.0f);
    if (!isfinite(r)) {
        j = 100;
        r = synflow_pass(net, in, out, ldexpf(1.0f, -j), 0.0f);
    }
    if (!isfinite(r) || !(r > 0.0))
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "synflow: the sum of the outputs (%g at input "
                            "2^-%d) is beyond float's range", r, j);
    const double log2r = log2(r) + j; /* log2 R at input 1 */
    int k;
    if (j == 0) {
        /* activations fit: gradients run from t up to about t R */
        k = (int)floor(log2r);
        k = k < 0 ? 0 : k > 120 ? 120 : k;
    } else {
        /* split R between the input's scale and the gradient's */
        j = (int)ceil(log2r / 2.0);
        k = (int)ceil(log2r / 2.0);
        if (j > 125 || k > 125)
            return nv_error_set(err, NV_ERR_RUNTIME,
                                "synflow: R = 2^%.0f is beyond what a scaled "
                                "float pass holds", log2r);
    }
    r = synflow_pass(net, in, out, ldexpf(1.0f, -j), ldexpf(1.0f, -k));
    double sum = 0.0;
    for (size_t i = 0; i < np; i++)
        sum += fabs((double)w[i] * (double)g[i]);
    if (!isfinite(sum) || !(sum > 0.0))
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "synflow: the scaled score %g is beyond float's "
                            "range", sum);
    *score = log(sum) + (double)(j + k) * M_LN2;
    return NV_OK;
}

NvStatus zc_synflow(const Genotype *g, int F, int N, int c, int h, int w,
                    int classes, uint64_t seed, double *score, NvError *err)
{
    ChildShape sh = { F, N, c, h, w, classes };
    Net *net = NULL;
    Tensor *in, *out;
    NvStatus st = child_build_no_bn(g, &sh, 1, &net, &in, &out, err);
    if (st != NV_OK)
        return st;
    if ((st = net_finish(net, seed, err)) == NV_OK)
        st = zc_synflow_net(net, in, out, score, err);
    net_free(net);
    return st;
}
