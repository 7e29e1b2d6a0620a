/* conv.c - general convolution (im2col + sgemm) with its naive reference.
 * Layout and accumulation rules are in conv.h; depthwise is dwconv.c. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <string.h>

#include <cblas.h>

#include "nn/conv.h"

static inline float relu_if(float v, int relu)
{
    return (relu && v < 0.0f) ? 0.0f : v;
}

ConvShape conv_shape_make(int cin, int cout, int kh, int kw, int sh, int sw,
                          int ph, int pw, int dh, int dw, int h, int w)
{
    ConvShape s = { cin, cout, kh, kw, sh, sw, ph, pw, dh, dw, h, w, 0, 0 };
    s.oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    s.ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    return s;
}

/* Row helpers with restrict pointers so they vectorise; stride 2 is the
 * only other stride the child network uses, and gets its own loops. */
static inline void row_gather(float *restrict out, const float *restrict x,
                              int n, int stride, int relu)
{
    if (stride == 2) {
        if (relu)
            for (int i = 0; i < n; i++)
                out[i] = x[2 * i] < 0.0f ? 0.0f : x[2 * i];
        else
            for (int i = 0; i < n; i++)
                out[i] = x[2 * i];
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = relu_if(x[(size_t)i * stride], relu);
}

static inline void row_scatter_add(float *restrict d, const float *restrict x,
                                   const float *restrict in, int n,
                                   int stride, int relu)
{
    if (stride == 1) {
        if (relu)
            for (int i = 0; i < n; i++)
                d[i] += x[i] > 0.0f ? in[i] : 0.0f;
        else
            for (int i = 0; i < n; i++)
                d[i] += in[i];
        return;
    }
    if (stride == 2 && relu) {
        for (int i = 0; i < n; i++)
            d[2 * i] += x[2 * i] > 0.0f ? in[i] : 0.0f;
        return;
    }
    for (int i = 0; i < n; i++)
        if (!relu || x[(size_t)i * stride] > 0.0f)
            d[(size_t)i * stride] += in[i];
}

/* Whether the input itself is the im2col matrix (1x1, stride 1, no shift). */
static int conv_is_plain(const ConvShape *s)
{
    return s->kh == 1 && s->kw == 1 && s->sh == 1 && s->sw == 1 &&
           s->ph == 0 && s->pw == 0 && s->oh == s->h && s->ow == s->w;
}

size_t conv_workspace(const ConvShape *s, int n)
{
    return (size_t)s->cin * s->kh * s->kw * (size_t)n * s->oh * s->ow;
}

/* The valid output-column range [*lo, *hi) for input column offset
 * ix = ox*sw + off to fall inside [0, w). */
static void conv_valid_range(int off, int stride, int w, int ow, int *lo,
                             int *hi)
{
    int a = 0, b = ow;
    if (off < 0)
        a = (-off + stride - 1) / stride;
    /* ox*stride + off <= w-1  ->  ox <= (w-1-off)/stride */
    if (w - 1 - off < 0)
        b = 0;
    else if ((w - 1 - off) / stride + 1 < b)
        b = (w - 1 - off) / stride + 1;
    if (a > b)
        a = b;
    *lo = a;
    *hi = b;
}

static void run_relu(float *restrict d, const float *restrict x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = x[i] < 0.0f ? 0.0f : x[i]; /* NaN stays NaN */
}

static void run_add_masked(float *restrict d, const float *restrict x,
                           const float *restrict in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] += x[i] > 0.0f ? in[i] : 0.0f;
}

/* col[K][(b1-b0)*oh*ow] (the columns of images [b0, b1) only) from
 * x[cin][n][h][w].  A plain (1x1) convolution's images [b0, b1) of a
 * channel are one run. */
static void conv_im2col(const ConvShape *s, int n, int b0, int b1, int relu,
                        const float *x, float *col)
{
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t cols = (size_t)(b1 - b0) * oplane;
    if (conv_is_plain(s) && relu) {
        const size_t o = (size_t)b0 * plane;
        for (int ci = 0; ci < s->cin; ci++)
            run_relu(col + (size_t)ci * cols, x + (size_t)ci * n * plane + o,
                     cols);
        return;
    }
    for (int ci = 0; ci < s->cin; ci++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                float *row = col + ((size_t)(ci * s->kh + ki) * s->kw + kj) * cols;
                int xoff = kj * s->dw - s->pw, lo, hi;
                conv_valid_range(xoff, s->sw, s->w, s->ow, &lo, &hi);
                for (int b = b0; b < b1; b++) {
                    const float *xp = x + ((size_t)ci * n + b) * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        float *out = row + (size_t)(b - b0) * oplane +
                                     (size_t)oy * s->ow;
                        int iy = oy * s->sh - s->ph + ki * s->dh;
                        if (iy < 0 || iy >= s->h) {
                            memset(out, 0, sizeof(float) * s->ow);
                            continue;
                        }
                        const float *xr = xp + (size_t)iy * s->w + xoff;
                        for (int ox = 0; ox < lo; ox++)
                            out[ox] = 0.0f;
                        if (s->sw == 1) {
                            if (relu)
                                for (int ox = lo; ox < hi; ox++)
                                    out[ox] = xr[ox] < 0.0f ? 0.0f : xr[ox];
                            else
                                memcpy(out + lo, xr + lo,
                                       sizeof(float) * (size_t)(hi - lo));
                        } else if (hi > lo) {
                            row_gather(out + lo, xr + (size_t)lo * s->sw,
                                       hi - lo, s->sw, relu);
                        }
                        for (int ox = hi; ox < s->ow; ox++)
                            out[ox] = 0.0f;
                    }
                }
            }
}

/* dx += col2im(dcol) for images [b0, b1) (dcol holds their columns
 * only, as conv_im2col's col), masked by x > 0 when relu. */
static void conv_col2im(const ConvShape *s, int n, int b0, int b1, int relu,
                        const float *x, const float *dcol, float *dx)
{
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t cols = (size_t)(b1 - b0) * oplane;
    if (conv_is_plain(s) && relu) {
        const size_t o = (size_t)b0 * plane;
        for (int ci = 0; ci < s->cin; ci++) {
            size_t at = (size_t)ci * n * plane + o;
            run_add_masked(dx + at, x + at, dcol + (size_t)ci * cols, cols);
        }
        return;
    }
    for (int ci = 0; ci < s->cin; ci++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                const float *row =
                    dcol + ((size_t)(ci * s->kh + ki) * s->kw + kj) * cols;
                int xoff = kj * s->dw - s->pw, lo, hi;
                conv_valid_range(xoff, s->sw, s->w, s->ow, &lo, &hi);
                for (int b = b0; b < b1; b++) {
                    size_t base = ((size_t)ci * n + b) * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        int iy = oy * s->sh - s->ph + ki * s->dh;
                        if (iy < 0 || iy >= s->h)
                            continue;
                        const float *in = row + (size_t)(b - b0) * oplane +
                                          (size_t)oy * s->ow;
                        size_t o = base + (size_t)iy * s->w + xoff;
                        if (hi > lo)
                            row_scatter_add(dx + o + (size_t)lo * s->sw,
                                            x + o + (size_t)lo * s->sw,
                                            in + lo, hi - lo, s->sw, relu);
                    }
                }
            }
}

void conv_forward_part(const ConvShape *s, int n, int b0, int b1,
                       int relu_in, const float *x, const float *w, float *y,
                       float *col)
{
    const int K = s->cin * s->kh * s->kw;
    const int ohw = s->oh * s->ow, cols = n * ohw;
    const int part = (b1 - b0) * ohw;
    const float *B = x + (size_t)b0 * ohw;
    int ldb = cols;
    if (part <= 0)
        return;
    if (!conv_is_plain(s) || relu_in) {
        conv_im2col(s, n, b0, b1, relu_in, x, col);
        B = col;
        ldb = part;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->cout, part, K,
                1.0f, w, K, B, ldb, 0.0f, y + (size_t)b0 * ohw, cols);
}

void conv_backward_part(const ConvShape *s, int n, int b0, int b1,
                        int relu_in, const float *x, const float *w,
                        const float *dy, float *dx, float *dw, float *col)
{
    const int K = s->cin * s->kh * s->kw;
    const int ohw = s->oh * s->ow, cols = n * ohw;
    const int part = (b1 - b0) * ohw;
    const int plain = conv_is_plain(s);
    const size_t o = (size_t)b0 * ohw;
    if (part <= 0)
        return;
    if (dw) {
        const float *B = x + o;
        int ldb = cols;
        if (!plain || relu_in) {
            conv_im2col(s, n, b0, b1, relu_in, x, col);
            B = col;
            ldb = part;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s->cout, K, part,
                    1.0f, dy + o, cols, B, ldb, 1.0f, dw, K);
    }
    if (!dx)
        return;
    if (plain && !relu_in) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, part, s->cout,
                    1.0f, w, K, dy + o, cols, 1.0f, dx + o, cols);
        return;
    }
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, part, s->cout,
                1.0f, w, K, dy + o, cols, 0.0f, col, part);
    conv_col2im(s, n, b0, b1, relu_in, x, col, dx);
}

void conv_forward(const ConvShape *s, int n, int relu_in, const float *x,
                  const float *w, float *y, float *ws)
{
    conv_forward_part(s, n, 0, n, relu_in, x, w, y, ws);
}

void conv_backward(const ConvShape *s, int n, int relu_in, const float *x,
                   const float *w, const float *dy, float *dx, float *dw,
                   float *ws)
{
    conv_backward_part(s, n, 0, n, relu_in, x, w, dy, dx, dw, ws);
}

void conv_forward_naive(const ConvShape *s, int n, int relu_in,
                        const float *x, const float *w, float *y)
{
    for (int co = 0; co < s->cout; co++)
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < s->oh; oy++)
                for (int ox = 0; ox < s->ow; ox++) {
                    double acc = 0.0;
                    for (int ci = 0; ci < s->cin; ci++)
                        for (int ki = 0; ki < s->kh; ki++)
                            for (int kj = 0; kj < s->kw; kj++) {
                                int iy = oy * s->sh - s->ph + ki * s->dh;
                                int ix = ox * s->sw - s->pw + kj * s->dw;
                                if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w)
                                    continue;
                                float v = x[(((size_t)ci * n + b) * s->h + iy) * s->w + ix];
                                acc += (double)relu_if(v, relu_in) *
                                       w[((size_t)(co * s->cin + ci) * s->kh + ki) * s->kw + kj];
                            }
                    y[(((size_t)co * n + b) * s->oh + oy) * s->ow + ox] = (float)acc;
                }
}

void conv_backward_naive(const ConvShape *s, int n, int relu_in,
                         const float *x, const float *w, const float *dy,
                         float *dx, float *dw)
{
    for (int co = 0; co < s->cout; co++)
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < s->oh; oy++)
                for (int ox = 0; ox < s->ow; ox++) {
                    float g = dy[(((size_t)co * n + b) * s->oh + oy) * s->ow + ox];
                    for (int ci = 0; ci < s->cin; ci++)
                        for (int ki = 0; ki < s->kh; ki++)
                            for (int kj = 0; kj < s->kw; kj++) {
                                int iy = oy * s->sh - s->ph + ki * s->dh;
                                int ix = ox * s->sw - s->pw + kj * s->dw;
                                if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w)
                                    continue;
                                size_t xi = (((size_t)ci * n + b) * s->h + iy) * s->w + ix;
                                size_t wi = ((size_t)(co * s->cin + ci) * s->kh + ki) * s->kw + kj;
                                float v = x[xi];
                                if (dw)
                                    dw[wi] += g * relu_if(v, relu_in);
                                if (dx && (!relu_in || v > 0.0f))
                                    dx[xi] += g * w[wi];
                            }
                }
}
