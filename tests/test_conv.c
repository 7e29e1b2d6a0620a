/* test_conv.c - the optimised kernels against their naive references:
 * im2col+sgemm convolution over many kernel/stride/padding/dilation
 * combinations (with and without the fused input ReLU), the depthwise
 * convolution and average pooling on plane kernels, max pooling against
 * the plain window scan (ties on purpose: the first largest value of a
 * window wins); backward passes must accumulate, or with dx_set store
 * every value of dx whatever it held (NaN here). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/conv.h"
#include "nn/dwconv.h"
#include "nn/pool.h"
#include "base/rng.h"

static float *rand_buf(Rng *r, size_t n)
{
    float *p = malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        p[i] = rng_uniformf(r, -1.0f, 1.0f);
    return p;
}

static float *copy_buf(const float *a, size_t n)
{
    float *p = malloc(sizeof(float) * (n ? n : 1));
    memcpy(p, a, sizeof(float) * n);
    return p;
}

/* max |a-b| relative to 1 + max |b| */
static double max_diff(const float *a, const float *b, size_t n)
{
    double m = 0.0, s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (d > m)
            m = d;
        if (fabs(b[i]) > s)
            s = fabs(b[i]);
    }
    return m / (1.0 + s);
}

/* A buffer of n NaNs: what a stored gradient must overwrite. */
static float *nan_buf(size_t n)
{
    float *p = malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        p[i] = NAN;
    return p;
}

/* Whether a stored gradient a matches ref (the naive gradient added into
 * zeros) everywhere, finite where ref is. */
static int stored_ok(const float *a, const float *ref, size_t n, double tol)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i]) && isfinite(ref[i]))
            return 0;
    return max_diff(a, ref, n) < tol;
}

static void check_conv(Rng *r, ConvShape s, int n, int relu)
{
    size_t nx = (size_t)s.cin * n * s.h * s.w;
    size_t ny = (size_t)s.cout * n * s.oh * s.ow;
    size_t nw = (size_t)s.cout * s.cin * s.kh * s.kw;
    float *x = rand_buf(r, nx), *w = rand_buf(r, nw), *dy = rand_buf(r, ny);
    float *y1 = calloc(ny, sizeof(float)), *y2 = calloc(ny, sizeof(float));
    float *ws = calloc(conv_workspace(&s, n) + 1, sizeof(float));
    float *dx1 = rand_buf(r, nx), *dx2 = copy_buf(dx1, nx);
    float *dw1 = rand_buf(r, nw), *dw2 = copy_buf(dw1, nw);
    conv_forward(&s, n, relu, x, w, y1, ws);
    conv_forward_naive(&s, n, relu, x, w, y2);
    conv_backward(&s, n, relu, x, w, dy, dx1, dw1, ws);
    conv_backward_naive(&s, n, relu, x, w, dy, dx2, dw2);
    double ey = max_diff(y1, y2, ny), ex = max_diff(dx1, dx2, nx),
           ew = max_diff(dw1, dw2, nw);
    CHECK(ey < 1e-5 && ex < 1e-5 && ew < 1e-5,
          "conv %dx%d s%d,%d p%d,%d d%d,%d %dx%d cin %d cout %d relu %d: "
          "y %g dx %g dw %g", s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, s.dh, s.dw,
          s.h, s.w, s.cin, s.cout, relu, ey, ex, ew);
    /* the batch split in two parts, each with its own scratch for its own
     * images only and its own weight gradient (as threads run it) */
    const int h = n / 2;
    float *y3 = calloc(ny, sizeof(float));
    float *dwa = calloc(nw, sizeof(float)), *dwb = calloc(nw, sizeof(float));
    float *wsa = calloc(conv_workspace(&s, h) + 1, sizeof(float));
    float *wsb = calloc(conv_workspace(&s, n - h) + 1, sizeof(float));
    conv_forward_part(&s, n, 0, h, relu, x, w, y3, wsa);
    conv_forward_part(&s, n, h, n, relu, x, w, y3, wsb);
    float *dx3 = rand_buf(r, nx), *dx4 = copy_buf(dx3, nx);
    conv_backward_part(&s, n, 0, h, relu, x, w, dy, dx3, 0, dwa, wsa);
    conv_backward_part(&s, n, h, n, relu, x, w, dy, dx3, 0, dwb, wsb);
    conv_backward(&s, n, relu, x, w, dy, dx4, NULL, ws);
    for (size_t i = 0; i < nw; i++)
        dwa[i] += dwb[i];
    float *dw4 = calloc(nw, sizeof(float));
    conv_backward(&s, n, relu, x, w, dy, NULL, dw4, ws);
    double py = max_diff(y3, y1, ny), px = max_diff(dx3, dx4, nx),
           pw = max_diff(dwa, dw4, nw);
    CHECK(py < 1e-5 && px < 1e-5 && pw < 1e-5,
          "conv in two parts %dx%d s%d,%d: y %g dx %g dw %g", s.kh, s.kw,
          s.sh, s.sw, py, px, pw);
    if (conv_sets_dx(&s, relu)) { /* stored, in the same two parts */
        float *dz = calloc(nx, sizeof(float)), *ds = nan_buf(nx);
        conv_backward_naive(&s, n, relu, x, w, dy, dz, NULL);
        conv_backward_part(&s, n, 0, h, relu, x, w, dy, ds, 1, NULL, wsa);
        conv_backward_part(&s, n, h, n, relu, x, w, dy, ds, 1, NULL, wsb);
        CHECK(stored_ok(ds, dz, nx, 1e-5), "conv 1x1 cin %d cout %d relu "
              "%d: stored dx differs", s.cin, s.cout, relu);
        free(dz); free(ds);
    }
    free(y3); free(dx3); free(dx4); free(dwa); free(dwb); free(dw4);
    free(wsa); free(wsb);
    free(x); free(w); free(dy); free(y1); free(y2); free(ws);
    free(dx1); free(dx2); free(dw1); free(dw2);
}

static void check_dw(Rng *r, DwShape s, int n, int relu)
{
    size_t nx = (size_t)s.c * n * s.h * s.w, ny = (size_t)s.c * n * s.oh * s.ow;
    size_t nw = (size_t)s.c * s.k * s.k;
    float *x = rand_buf(r, nx), *w = rand_buf(r, nw), *dy = rand_buf(r, ny);
    float *y1 = calloc(ny, sizeof(float)), *y2 = calloc(ny, sizeof(float));
    float *ws = calloc(dwconv_workspace(&s), sizeof(float));
    float *dx1 = rand_buf(r, nx), *dx2 = copy_buf(dx1, nx);
    float *dw1 = rand_buf(r, nw), *dw2 = copy_buf(dw1, nw);
    dwconv_forward(&s, n, relu, x, w, y1, ws);
    dwconv_forward_naive(&s, n, relu, x, w, y2);
    dwconv_backward(&s, n, relu, x, w, dy, dx1, dw1, ws);
    dwconv_backward_naive(&s, n, relu, x, w, dy, dx2, dw2);
    double ey = max_diff(y1, y2, ny), ex = max_diff(dx1, dx2, nx),
           ew = max_diff(dw1, dw2, nw);
    CHECK(ey < 1e-5 && ex < 1e-5 && ew < 1e-5,
          "dwconv k%d s%d %dx%d c %d relu %d: y %g dx %g dw %g", s.k, s.s,
          s.h, s.w, s.c, relu, ey, ex, ew);
    /* stored, in two parts */
    float *dz = calloc(nx, sizeof(float)), *ds = nan_buf(nx);
    dwconv_backward_naive(&s, n, relu, x, w, dy, dz, NULL);
    dwconv_backward_part(&s, n, 0, n / 2, relu, x, w, dy, ds, 1, NULL, ws);
    dwconv_backward_part(&s, n, n / 2, n, relu, x, w, dy, ds, 1, NULL, ws);
    CHECK(stored_ok(ds, dz, nx, 1e-5), "dwconv k%d s%d %dx%d relu %d: "
          "stored dx differs", s.k, s.s, s.h, s.w, relu);
    free(dz); free(ds);
    free(x); free(w); free(dy); free(y1); free(y2); free(ws);
    free(dx1); free(dx2); free(dw1); free(dw2);
}

static void check_avg(Rng *r, PoolShape s, int n)
{
    size_t nx = (size_t)s.c * n * s.h * s.w, ny = (size_t)s.c * n * s.oh * s.ow;
    float *x = rand_buf(r, nx), *dy = rand_buf(r, ny);
    float *y1 = calloc(ny, sizeof(float)), *y2 = calloc(ny, sizeof(float));
    float *ws = calloc(pool_workspace(&s), sizeof(float));
    float *dx1 = rand_buf(r, nx), *dx2 = copy_buf(dx1, nx);
    avgpool_forward(&s, n, x, y1, ws);
    avgpool_forward_naive(&s, n, x, y2);
    avgpool_backward(&s, n, dy, dx1, ws);
    avgpool_backward_naive(&s, n, dy, dx2);
    double ey = max_diff(y1, y2, ny), ex = max_diff(dx1, dx2, nx);
    CHECK(ey < 1e-5 && ex < 1e-5, "avgpool k%d s%d %dx%d: y %g dx %g", s.k,
          s.s, s.h, s.w, ey, ex);
    float *dz = calloc(nx, sizeof(float)), *ds = nan_buf(nx);
    avgpool_backward_naive(&s, n, dy, dz);
    avgpool_backward_part(&s, n, 0, n / 2, dy, ds, 1, ws);
    avgpool_backward_part(&s, n, n / 2, n, dy, ds, 1, ws);
    CHECK(stored_ok(ds, dz, nx, 1e-5), "avgpool k%d s%d %dx%d: stored dx "
          "differs", s.k, s.s, s.h, s.w);
    free(dz); free(ds);
    free(x); free(dy); free(y1); free(y2); free(ws); free(dx1); free(dx2);
}

static void check_max(Rng *r, PoolShape s, int n)
{
    size_t nx = (size_t)s.c * n * s.h * s.w, ny = (size_t)s.c * n * s.oh * s.ow;
    float *x = rand_buf(r, nx), *dy = rand_buf(r, ny);
    for (size_t i = 0; i < nx; i++) /* few distinct values: many ties */
        x[i] = floorf(x[i] * 2.0f) / 2.0f;
    float *y1 = calloc(ny, sizeof(float)), *y2 = calloc(ny, sizeof(float));
    float *dx1 = rand_buf(r, nx), *dx2 = copy_buf(dx1, nx);
    float *ws = calloc(pool_workspace(&s), sizeof(float));
    maxpool_forward(&s, n, x, y1, ws);
    maxpool_backward(&s, n, x, dy, dx1, ws);
    maxpool_forward_naive(&s, n, x, y2);
    maxpool_backward_naive(&s, n, x, dy, dx2);
    /* y exactly; dx up to the order a pixel's gradients are summed */
    double ex = max_diff(dx1, dx2, nx);
    CHECK(memcmp(y1, y2, sizeof(float) * ny) == 0 && ex < 1e-6,
          "maxpool k%d s%d %dx%d: differs from the window scan (dx %g)", s.k,
          s.s, s.h, s.w, ex);
    float *dz = calloc(nx, sizeof(float)), *ds = nan_buf(nx);
    maxpool_backward_naive(&s, n, x, dy, dz);
    maxpool_backward_part(&s, n, 0, n / 2, x, dy, ds, 1, ws);
    maxpool_backward_part(&s, n, n / 2, n, x, dy, ds, 1, ws);
    CHECK(stored_ok(ds, dz, nx, 1e-6), "maxpool k%d s%d %dx%d: stored dx "
          "differs", s.k, s.s, s.h, s.w);
    free(dz); free(ds);
    free(x); free(dy); free(y1); free(y2); free(dx1); free(dx2); free(ws);
}

int main(void)
{
    Rng r;
    rng_seed(&r, 42, 0);
    /* kh kw sh sw ph pw dh dw */
    static const int cases[][8] = {
        { 1, 1, 1, 1, 0, 0, 1, 1 }, { 1, 1, 2, 2, 0, 0, 1, 1 },
        { 3, 3, 1, 1, 1, 1, 1, 1 }, { 3, 3, 2, 2, 1, 1, 1, 1 },
        { 1, 3, 1, 2, 0, 1, 1, 1 }, { 3, 1, 2, 1, 1, 0, 1, 1 },
        { 1, 7, 1, 1, 0, 3, 1, 1 }, { 7, 1, 1, 1, 3, 0, 1, 1 },
        { 3, 3, 1, 1, 2, 2, 2, 2 }, { 3, 3, 2, 2, 2, 2, 2, 2 },
        { 5, 5, 2, 2, 2, 2, 1, 1 }, { 1, 1, 2, 2, -1, -1, 1, 1 },
    };
    static const int sizes[][2] = { { 7, 7 }, { 8, 6 }, { 5, 9 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t j = 0; j < 3; j++)
            for (int relu = 0; relu < 2; relu++) {
                const int *c = cases[i];
                ConvShape s = conv_shape_make(3, 4, c[0], c[1], c[2], c[3],
                                              c[4], c[5], c[6], c[7],
                                              sizes[j][0], sizes[j][1]);
                if (c[4] < 0) { /* the shifted path of factorized reduce */
                    s.oh = (s.h - 1) / 2 + 1;
                    s.ow = (s.w - 1) / 2 + 1;
                }
                check_conv(&r, s, 3, relu);
            }
    /* 1x1 convolutions with the channel counts of a child network: the
     * direct kernels' whole and partial register blocks, several chunks
     * of columns and their tails, gathered (strided) inputs, and sgemm
     * past 16 outputs */
    static const int pw_ch[][2] = { { 40, 8 }, { 8, 8 }, { 13, 12 },
                                    { 9, 16 }, { 3, 5 }, { 24, 20 } };
    static const int pw_sizes[][2] = { { 28, 28 }, { 14, 13 }, { 7, 7 } };
    for (size_t i = 0; i < sizeof pw_ch / sizeof pw_ch[0]; i++)
        for (size_t j = 0; j < 3; j++)
            for (int relu = 0; relu < 2; relu++) {
                ConvShape s = conv_shape_make(pw_ch[i][0], pw_ch[i][1], 1, 1,
                                              1, 1, 0, 0, 1, 1, pw_sizes[j][0],
                                              pw_sizes[j][1]);
                check_conv(&r, s, 5, relu);
                /* stride 2, and shifted by a pixel (factorized reduce) */
                for (int sh = 0; sh < 2; sh++) {
                    s = conv_shape_make(pw_ch[i][0], pw_ch[i][1], 1, 1, 2, 2,
                                        -sh, -sh, 1, 1, pw_sizes[j][0],
                                        pw_sizes[j][1]);
                    s.oh = (s.h - 1) / 2 + 1;
                    s.ow = (s.w - 1) / 2 + 1;
                    check_conv(&r, s, 5, relu);
                }
            }
    /* the planes of a child network too: long enough rows for the vector
     * paths and their tails */
    static const int dw_sizes[][2] = { { 7, 7 }, { 8, 6 }, { 5, 9 },
                                       { 28, 28 }, { 14, 13 }, { 19, 17 } };
    for (int k = 3; k <= 7; k += 2)
        for (int st = 1; st <= 2; st++)
            for (size_t j = 0; j < 6; j++)
                for (int relu = 0; relu < 2; relu++)
                    check_dw(&r, dwconv_shape_make(3, k, st, dw_sizes[j][0],
                                                   dw_sizes[j][1]), 2, relu);
    for (int k = 3; k <= 5; k += 2)
        for (int st = 1; st <= 2; st++)
            for (size_t j = 0; j < 6; j++)
                check_avg(&r, pool_shape_make(3, k, st, dw_sizes[j][0],
                                              dw_sizes[j][1]), 2);
    for (int k = 3; k <= 5; k += 2)
        for (int st = 1; st <= 2; st++)
            for (size_t j = 0; j < 6; j++)
                check_max(&r, pool_shape_make(3, k, st, dw_sizes[j][0],
                                              dw_sizes[j][1]), 2);
    /* batches larger than one stack of planes, with a smaller last stack
     * (whose padding must be cleared of the previous stack's pixels) */
    for (int st = 1; st <= 2; st++) {
        check_dw(&r, dwconv_shape_make(2, 3, st, 28, 28), 41, 1);
        check_dw(&r, dwconv_shape_make(2, 7, st, 14, 13), 97, 0);
        /* rows wider than one register block of the row kernel */
        check_dw(&r, dwconv_shape_make(2, 5, st, 6, 45), 3, 1);
        check_dw(&r, dwconv_shape_make(2, 3, st, 4, 75), 3, 0);
        check_avg(&r, pool_shape_make(2, 3, st, 5, 70), 3);
        check_avg(&r, pool_shape_make(2, 3, st, 28, 28), 41);
        check_max(&r, pool_shape_make(2, 3, st, 28, 28), 41);
    }
    return check_exit("test_conv");
}
