/* conv.c - general convolution (im2col + sgemm) and depthwise convolution
 * (direct loops over a zero-padded plane), each with a naive reference.
 * Layout and accumulation rules are in conv.h. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <string.h>

#include <cblas.h>

#include "conv.h"

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

/* col[K][n*oh*ow] from x[cin][n][h][w]. */
static void conv_im2col(const ConvShape *s, int n, int relu, const float *x,
                        float *col)
{
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t cols = (size_t)n * oplane;
    for (int ci = 0; ci < s->cin; ci++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                float *row = col + ((size_t)(ci * s->kh + ki) * s->kw + kj) * cols;
                int xoff = kj * s->dw - s->pw, lo, hi;
                conv_valid_range(xoff, s->sw, s->w, s->ow, &lo, &hi);
                for (int b = 0; b < n; b++) {
                    const float *xp = x + ((size_t)ci * n + b) * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        float *out = row + (size_t)b * oplane + (size_t)oy * s->ow;
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
                                    out[ox] = xr[ox] > 0.0f ? xr[ox] : 0.0f;
                            else
                                memcpy(out + lo, xr + lo,
                                       sizeof(float) * (size_t)(hi - lo));
                        } else {
                            for (int ox = lo; ox < hi; ox++)
                                out[ox] = relu_if(xr[(size_t)ox * s->sw], relu);
                        }
                        for (int ox = hi; ox < s->ow; ox++)
                            out[ox] = 0.0f;
                    }
                }
            }
}

/* dx += col2im(dcol), masked by x > 0 when relu. */
static void conv_col2im(const ConvShape *s, int n, int relu, const float *x,
                        const float *dcol, float *dx)
{
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t cols = (size_t)n * oplane;
    for (int ci = 0; ci < s->cin; ci++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                const float *row =
                    dcol + ((size_t)(ci * s->kh + ki) * s->kw + kj) * cols;
                int xoff = kj * s->dw - s->pw, lo, hi;
                conv_valid_range(xoff, s->sw, s->w, s->ow, &lo, &hi);
                for (int b = 0; b < n; b++) {
                    size_t base = ((size_t)ci * n + b) * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        int iy = oy * s->sh - s->ph + ki * s->dh;
                        if (iy < 0 || iy >= s->h)
                            continue;
                        const float *in = row + (size_t)b * oplane + (size_t)oy * s->ow;
                        size_t o = base + (size_t)iy * s->w + xoff;
                        float *dr = dx + o;
                        const float *xr = x + o;
                        if (s->sw == 1) {
                            if (relu)
                                for (int ox = lo; ox < hi; ox++)
                                    dr[ox] += xr[ox] > 0.0f ? in[ox] : 0.0f;
                            else
                                for (int ox = lo; ox < hi; ox++)
                                    dr[ox] += in[ox];
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                size_t q = (size_t)ox * s->sw;
                                if (!relu || xr[q] > 0.0f)
                                    dr[q] += in[ox];
                            }
                        }
                    }
                }
            }
}

void conv_forward(const ConvShape *s, int n, int relu_in, const float *x,
                  const float *w, float *y, float *ws)
{
    const int K = s->cin * s->kh * s->kw;
    const int cols = n * s->oh * s->ow;
    const float *col = x;
    if (!conv_is_plain(s) || relu_in) {
        conv_im2col(s, n, relu_in, x, ws);
        col = ws;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->cout, cols, K,
                1.0f, w, K, col, cols, 0.0f, y, cols);
}

void conv_backward(const ConvShape *s, int n, int relu_in, const float *x,
                   const float *w, const float *dy, float *dx, float *dw,
                   float *ws)
{
    const int K = s->cin * s->kh * s->kw;
    const int cols = n * s->oh * s->ow;
    const int plain = conv_is_plain(s);
    if (dw) {
        const float *col = x;
        if (!plain || relu_in) {
            conv_im2col(s, n, relu_in, x, ws);
            col = ws;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s->cout, K, cols,
                    1.0f, dy, cols, col, cols, 1.0f, dw, K);
    }
    if (!dx)
        return;
    if (plain && !relu_in) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, cols, s->cout,
                    1.0f, w, K, dy, cols, 1.0f, dx, cols);
        return;
    }
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, cols, s->cout,
                1.0f, w, K, dy, cols, 0.0f, ws, cols);
    conv_col2im(s, n, relu_in, x, ws, dx);
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

/* ---- depthwise ------------------------------------------------------- */

DwShape dwconv_shape_make(int c, int k, int stride, int h, int w)
{
    DwShape s = { c, k, stride, k / 2, h, w, 0, 0 };
    s.oh = (h + 2 * s.p - k) / stride + 1;
    s.ow = (w + 2 * s.p - k) / stride + 1;
    return s;
}

/* The optimised depthwise kernels work on whole planes as single long
 * rows.  The input plane is zero-padded (and ReLU'd) into `s*s` phase
 * planes of width qw (for stride 2: even/odd rows x even/odd columns), so
 * every tap (ki, kj) of every output row becomes one contiguous
 *     Y[i] += w[ki][kj] * P[(ki%s, kj%s)][i + (ki/s)*qw + kj/s]
 * over i in [0, oh*qw): output rows are computed qw wide and the columns
 * past ow are dropped (forward) or held at zero (backward). */
typedef struct {
    int qw, qh;      /* phase plane width and height */
    size_t qsize;    /* floats per phase plane, with slack for the last taps */
    size_t ylen;     /* oh * qw */
} DwPlan;

static DwPlan dw_plan(const DwShape *s)
{
    DwPlan p;
    int ph = s->h + 2 * s->p, pw = s->w + 2 * s->p;
    p.qw = (pw + s->s - 1) / s->s;
    p.qh = (ph + s->s - 1) / s->s;
    p.qsize = (size_t)(p.qh + 1) * p.qw + (size_t)s->k;
    p.ylen = (size_t)s->oh * p.qw;
    return p;
}

/* Scratch: phase planes of the input and of its gradient, one long output
 * row, and one row of partial weight-gradient sums per tap. */
size_t dwconv_workspace(const DwShape *s)
{
    DwPlan p = dw_plan(s);
    size_t planes = (size_t)s->s * s->s * p.qsize;
    return 2 * planes + p.ylen + (size_t)s->k * s->k * p.ylen;
}

/* Zero-padded, ReLU'd phase planes of plane x [h][w] into P. */
static void dw_phase(const DwShape *s, const DwPlan *q, int relu,
                     const float *x, float *P)
{
    memset(P, 0, sizeof(float) * q->qsize * s->s * s->s);
    if (s->s == 1) {
        for (int i = 0; i < s->h; i++) {
            float *dst = P + (size_t)(i + s->p) * q->qw + s->p;
            const float *src = x + (size_t)i * s->w;
            if (relu)
                for (int j = 0; j < s->w; j++)
                    dst[j] = src[j] > 0.0f ? src[j] : 0.0f;
            else
                memcpy(dst, src, sizeof(float) * s->w);
        }
        return;
    }
    for (int i = 0; i < s->h; i++) {
        int r = i + s->p;
        for (int j = 0; j < s->w; j++) {
            int c = j + s->p;
            float v = x[(size_t)i * s->w + j];
            if (relu && v < 0.0f)
                v = 0.0f;
            P[(size_t)((r & 1) * 2 + (c & 1)) * q->qsize +
              (size_t)(r >> 1) * q->qw + (c >> 1)] = v;
        }
    }
}

/* The row kernels take restrict pointers so the compiler vectorises them
 * (none is a reduction, so no -ffast-math is needed). */
static inline void row_axpy(float *restrict y, const float *restrict x,
                            float a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

static inline void row_fma(float *restrict acc, const float *restrict a,
                           const float *restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        acc[i] += a[i] * b[i];
}

/* Phase plane and offset of tap (ki, kj). */
static inline size_t dw_tap(const DwShape *s, const DwPlan *q, int ki, int kj,
                            size_t *off)
{
    *off = (size_t)(ki / s->s) * q->qw + (size_t)(kj / s->s);
    return (size_t)((ki % s->s) * s->s + kj % s->s) * q->qsize;
}

void dwconv_forward(const DwShape *s, int n, int relu_in, const float *x,
                    const float *w, float *y, float *ws)
{
    const DwPlan q = dw_plan(s);
    const int k = s->k;
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    float *P = ws, *Y = ws + 2 * q.qsize * s->s * s->s;
    for (int c = 0; c < s->c; c++) {
        const float *wc = w + (size_t)c * k * k;
        for (int b = 0; b < n; b++) {
            size_t pi = (size_t)c * n + b;
            dw_phase(s, &q, relu_in, x + pi * plane, P);
            memset(Y, 0, sizeof(float) * q.ylen);
            for (int ki = 0; ki < k; ki++)
                for (int kj = 0; kj < k; kj++) {
                    size_t off, base = dw_tap(s, &q, ki, kj, &off);
                    row_axpy(Y, P + base + off, wc[ki * k + kj], q.ylen);
                }
            float *yp = y + pi * oplane;
            for (int oy = 0; oy < s->oh; oy++)
                memcpy(yp + (size_t)oy * s->ow, Y + (size_t)oy * q.qw,
                       sizeof(float) * s->ow);
        }
    }
}

void dwconv_backward(const DwShape *s, int n, int relu_in, const float *x,
                     const float *w, const float *dy, float *dx, float *dw,
                     float *ws)
{
    const DwPlan q = dw_plan(s);
    const int k = s->k;
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    float *P = ws, *dP = ws + planes, *Y = ws + 2 * planes, *acc = Y + q.ylen;
    for (int c = 0; c < s->c; c++) {
        const float *wc = w + (size_t)c * k * k;
        if (dw)
            memset(acc, 0, sizeof(float) * (size_t)k * k * q.ylen);
        for (int b = 0; b < n; b++) {
            size_t pi = (size_t)c * n + b;
            const float *dyp = dy + pi * oplane;
            memset(Y, 0, sizeof(float) * q.ylen);
            for (int oy = 0; oy < s->oh; oy++)
                memcpy(Y + (size_t)oy * q.qw, dyp + (size_t)oy * s->ow,
                       sizeof(float) * s->ow);
            if (dw) {
                dw_phase(s, &q, relu_in, x + pi * plane, P);
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++) {
                        size_t off, base = dw_tap(s, &q, ki, kj, &off);
                        row_fma(acc + (size_t)(ki * k + kj) * q.ylen, Y,
                                P + base + off, q.ylen);
                    }
            }
            if (!dx)
                continue;
            memset(dP, 0, sizeof(float) * planes);
            for (int ki = 0; ki < k; ki++)
                for (int kj = 0; kj < k; kj++) {
                    size_t off, base = dw_tap(s, &q, ki, kj, &off);
                    row_axpy(dP + base + off, Y, wc[ki * k + kj], q.ylen);
                }
            const float *xp = x + pi * plane;
            float *dxp = dx + pi * plane;
            for (int i = 0; i < s->h; i++) {
                int r = i + s->p;
                const float *xr = xp + (size_t)i * s->w;
                float *dr = dxp + (size_t)i * s->w;
                if (s->s == 1) {
                    const float *src = dP + (size_t)r * q.qw + s->p;
                    if (relu_in)
                        for (int j = 0; j < s->w; j++)
                            dr[j] += xr[j] > 0.0f ? src[j] : 0.0f;
                    else
                        for (int j = 0; j < s->w; j++)
                            dr[j] += src[j];
                } else {
                    for (int j = 0; j < s->w; j++) {
                        int cc = j + s->p;
                        float g = dP[(size_t)((r & 1) * 2 + (cc & 1)) * q.qsize +
                                     (size_t)(r >> 1) * q.qw + (cc >> 1)];
                        if (!relu_in || xr[j] > 0.0f)
                            dr[j] += g;
                    }
                }
            }
        }
        if (dw)
            for (int t = 0; t < k * k; t++) {
                const float *a = acc + (size_t)t * q.ylen;
                float sum = 0.0f;
                for (size_t i = 0; i < q.ylen; i++)
                    sum += a[i];
                dw[(size_t)c * k * k + t] += sum;
            }
    }
}

void dwconv_forward_naive(const DwShape *s, int n, int relu_in,
                          const float *x, const float *w, float *y)
{
    for (int c = 0; c < s->c; c++)
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < s->oh; oy++)
                for (int ox = 0; ox < s->ow; ox++) {
                    double acc = 0.0;
                    for (int ki = 0; ki < s->k; ki++)
                        for (int kj = 0; kj < s->k; kj++) {
                            int iy = oy * s->s - s->p + ki, ix = ox * s->s - s->p + kj;
                            if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w)
                                continue;
                            float v = x[(((size_t)c * n + b) * s->h + iy) * s->w + ix];
                            acc += (double)relu_if(v, relu_in) * w[(c * s->k + ki) * s->k + kj];
                        }
                    y[(((size_t)c * n + b) * s->oh + oy) * s->ow + ox] = (float)acc;
                }
}

void dwconv_backward_naive(const DwShape *s, int n, int relu_in,
                           const float *x, const float *w, const float *dy,
                           float *dx, float *dw)
{
    for (int c = 0; c < s->c; c++)
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < s->oh; oy++)
                for (int ox = 0; ox < s->ow; ox++) {
                    float g = dy[(((size_t)c * n + b) * s->oh + oy) * s->ow + ox];
                    for (int ki = 0; ki < s->k; ki++)
                        for (int kj = 0; kj < s->k; kj++) {
                            int iy = oy * s->s - s->p + ki, ix = ox * s->s - s->p + kj;
                            if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w)
                                continue;
                            size_t xi = (((size_t)c * n + b) * s->h + iy) * s->w + ix;
                            int wi = (c * s->k + ki) * s->k + kj;
                            float v = x[xi];
                            if (dw)
                                dw[wi] += g * relu_if(v, relu_in);
                            if (dx && (!relu_in || v > 0.0f))
                                dx[xi] += g * w[wi];
                        }
                }
}
