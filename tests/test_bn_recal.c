/* test_bn_recal.c - batch-norm recalibration (network.h): after
 * net_recal_begin, a few net_recal_forward passes of batches of different
 * sizes and distributions, and net_recal_end, every BN layer of a whole
 * child network holds, as running mean and variance, the mean and the
 * unbiased variance of all the inputs it saw in those passes.  The
 * reference captures each layer's input tensor after every pass and
 * computes both in double by two plain passes over the captured values;
 * each batch is shifted and scaled differently, so leaving out any part of
 * Chan's combination (or keeping the momentum update) fails.  With 1 and
 * 3 threads; the parameters stay untouched. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "train/child.h"
#include "base/rng.h"

#define RC_MAX_BATCH 8
#define RC_BATCHES 4

static const int batch_sizes[RC_BATCHES] = { 8, 5, 7, 3 };

/* One BN layer's captured inputs: channel ch's values of every pass
 * follow each other at vals + ch * cap. */
typedef struct {
    int c;
    size_t plane, cap, len;
    float *vals;
} Capture;

static void capture_add(Capture *cp, const Tensor *x, int n)
{
    const size_t per = (size_t)n * cp->plane;
    for (int ch = 0; ch < cp->c; ch++)
        memcpy(cp->vals + (size_t)ch * cp->cap + cp->len, x->x + ch * per,
               sizeof(float) * per);
    cp->len += per;
}

/* The running means and variances of the first nbn BN layers, one after
 * the other, into out. */
static void snapshot(const Net *net, int nbn, float *out)
{
    if (!out)
        return;
    for (int i = 0; i < nbn; i++) {
        const Tensor *x, *rm, *rv;
        net_bn_view(net, i, &x, &rm, &rv);
        memcpy(out, rm->x, sizeof(float) * (size_t)x->c);
        out += x->c;
        memcpy(out, rv->x, sizeof(float) * (size_t)x->c);
        out += x->c;
    }
}

static void check_recal(const Genotype *g, int threads)
{
    ChildShape sh = { 4, 1, 1, 12, 12, 10 };
    Net *net = NULL;
    Tensor *in, *logits;
    NvError err;
    Rng r;
    if (child_build(g, &sh, RC_MAX_BATCH, &net, &in, &logits, &err) != NV_OK ||
        net_set_threads(net, threads, &err) != NV_OK ||
        net_finish(net, 7, &err) != NV_OK) {
        CHECK(0, "build: %s", err.msg);
        net_free(net);
        return;
    }
    int nbn = 0;
    while (net_bn_view(net, nbn, NULL, NULL, NULL))
        nbn++;
    CHECK(nbn > 10, "NASNet-A has %d BN layers", nbn);
    Capture *caps = calloc((size_t)nbn, sizeof *caps);
    size_t total = 0;
    for (int b = 0; b < RC_BATCHES; b++)
        total += (size_t)batch_sizes[b];
    for (int i = 0; i < nbn && caps; i++) {
        const Tensor *x, *rm, *rv;
        net_bn_view(net, i, &x, &rm, &rv);
        caps[i].c = x->c;
        caps[i].plane = (size_t)x->h * x->w;
        caps[i].cap = total * caps[i].plane;
        caps[i].vals = malloc(sizeof(float) * caps[i].cap * (size_t)x->c);
        CHECK(caps[i].vals != NULL, "out of memory");
        if (!caps[i].vals)
            nbn = i;
    }

    /* one training pass first, so the running statistics are not the
     * initial ones */
    rng_seed(&r, 31, 0);
    const size_t img = (size_t)sh.c * sh.h * sh.w;
    for (size_t k = 0; k < RC_MAX_BATCH * img; k++)
        in->x[k] = rng_uniformf(&r, -1, 1);
    net_forward(net, RC_MAX_BATCH, 1);

    float *w, *gr, *m;
    net_params(net, &w, &gr, &m);
    const size_t np = (size_t)net_param_count(net);
    float *w0 = malloc(sizeof(float) * np);
    if (w0)
        memcpy(w0, w, sizeof(float) * np);

    /* every layer's running statistics before recalibrating */
    size_t nstat = 0;
    for (int i = 0; i < nbn; i++)
        nstat += 2 * (size_t)caps[i].c;
    float *before = malloc(sizeof(float) * (nstat ? nstat : 1));
    snapshot(net, nbn, before);

    net_recal_begin(net);
    for (int b = 0; b < RC_BATCHES; b++) {
        const int n = batch_sizes[b];
        const float shift = 0.7f * (float)b - 1.0f, scale = 0.5f + (float)b;
        for (size_t k = 0; k < (size_t)n * img; k++)
            in->x[k] = shift + scale * rng_uniformf(&r, -1, 1);
        net_recal_forward(net, n);
        for (int i = 0; i < nbn; i++) {
            const Tensor *x, *rm, *rv;
            net_bn_view(net, i, &x, &rm, &rv);
            capture_add(&caps[i], x, n);
        }
    }
    /* the passes alone leave the running statistics as they were */
    float *during = malloc(sizeof(float) * (nstat ? nstat : 1));
    snapshot(net, nbn, during);
    const int changed_early = !before || !during ||
                              memcmp(before, during, sizeof(float) * nstat);
    free(before);
    free(during);
    net_recal_end(net);

    int bad = 0;
    double worst_m = 0.0, worst_v = 0.0;
    for (int i = 0; i < nbn; i++) {
        const Tensor *x, *rm, *rv;
        net_bn_view(net, i, &x, &rm, &rv);
        CHECK(caps[i].len == caps[i].cap, "layer %d captured %zu of %zu", i,
              caps[i].len, caps[i].cap);
        for (int ch = 0; ch < caps[i].c; ch++) {
            const float *v = caps[i].vals + (size_t)ch * caps[i].cap;
            const size_t len = caps[i].len;
            double sum = 0.0;
            for (size_t k = 0; k < len; k++)
                sum += v[k];
            const double mean = sum / (double)len;
            double q = 0.0;
            for (size_t k = 0; k < len; k++)
                q += ((double)v[k] - mean) * ((double)v[k] - mean);
            const double var = q / (double)(len - 1);
            const double sd = sqrt(var);
            const double dm = fabs((double)rm->x[ch] - mean) / (sd + 1e-6);
            const double dv = fabs((double)rv->x[ch] - var) / (var + 1e-9);
            worst_m = fmax(worst_m, dm);
            worst_v = fmax(worst_v, dv);
            if ((dm > 1e-5 || dv > 1e-5) && bad++ < 5)
                CHECK(0,
                      "%d threads, BN %d channel %d: running mean %.9g var "
                      "%.9g, inputs' mean %.9g var %.9g",
                      threads, i, ch, rm->x[ch], rv->x[ch], mean, var);
        }
    }
    CHECK(bad == 0, "%d threads: %d channels off (worst: mean %g sd, var "
          "%g relative)", threads, bad, worst_m, worst_v);
    CHECK(!changed_early, "running statistics changed before net_recal_end");
    CHECK(w0 && memcmp(w0, w, sizeof(float) * np) == 0,
          "%d threads: recalibration changed the parameters", threads);

    /* an empty recalibration keeps the statistics it has */
    const Tensor *x0, *rm0, *rv0;
    net_bn_view(net, 0, &x0, &rm0, &rv0);
    const float keep_m = rm0->x[0], keep_v = rv0->x[0];
    net_recal_begin(net);
    net_recal_end(net);
    CHECK(rm0->x[0] == keep_m && rv0->x[0] == keep_v,
          "an empty recalibration changed the statistics");
    CHECK(!net_bn_view(net, nbn, NULL, NULL, NULL), "no BN layer past the last");

    for (int i = 0; caps && i < nbn; i++)
        free(caps[i].vals);
    free(caps);
    free(w0);
    net_free(net);
}

int main(void)
{
    check_recal(geno_nasnet_a(), 1);
    check_recal(geno_nasnet_a(), 3);
    return check_exit("test_bn_recal");
}
