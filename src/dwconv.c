/* dwconv.c - depthwise convolution and average pooling on whole planes.
 *
 * An input plane is zero-padded (and ReLU'd) into s*s "phase planes" of
 * width qw (for stride 2: even/odd rows x even/odd columns).  Then every
 * tap (ki, kj) is one contiguous run over the whole plane,
 *     Y[i] += w[ki][kj] * P[phase(ki, kj)][i + (ki/s)*qw + kj/s],
 * i in [0, oh*qw): output rows are computed qw wide and the columns past
 * ow are dropped (forward) or held at zero (backward).  The forward kernel
 * keeps a block of Y in registers over all taps.  For stride 1 the input
 * gradient is the same kernel on the padded output gradient with the
 * kernel flipped; for stride 2 each phase plane of the input gradient
 * gathers its taps from the spread output gradient.  A tap's weight
 * gradient is one dot product. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; these rows need the dynamic cost model.  Clang
 * vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>
#include <string.h>

#include "dwconv.h"
#include "vecops.h"

#define DW_BLOCK 32

/* Full unrolling of the loops over a kernel row, so its accumulators stay
 * in registers (GCC does not unroll them by itself at -O2). */
#if defined(__GNUC__) && !defined(__clang__)
#define DW_UNROLL _Pragma("GCC unroll 11")
#else
#define DW_UNROLL
#endif
#define DW_MAX_TAPS (DWCONV_MAX_K * DWCONV_MAX_K)

typedef struct {
    int qw, qh;   /* phase plane width and height */
    size_t qsize; /* floats per phase plane, with slack for the last taps */
    size_t ylen;  /* oh * qw */
} DwPlan;

DwShape dwconv_shape_make(int c, int k, int stride, int h, int w)
{
    DwShape s = { c, k, stride, k / 2, h, w, 0, 0 };
    s.oh = (h + 2 * s.p - k) / stride + 1;
    s.ow = (w + 2 * s.p - k) / stride + 1;
    return s;
}

static DwPlan dw_plan(const DwShape *s)
{
    DwPlan p;
    int ph = s->h + 2 * s->p, pw = s->w + 2 * s->p;
    p.qw = (pw + s->s - 1) / s->s;
    p.qh = (ph + s->s - 1) / s->s;
    p.qsize = (size_t)(p.qh + 1) * p.qw + (size_t)s->k + DW_BLOCK;
    p.ylen = (size_t)s->oh * p.qw;
    return p;
}

static size_t dw_glen(const DwShape *s, const DwPlan *q);

/* Workspace: P (input phase planes), buf (gradient phase planes or the
 * padded gradient), G (spread gradient, stride 2), Y (a plane of rows of
 * width qw), C (a compact [h][w] plane), K (average pooling's window
 * counts, an [oh][ow] plane). */
size_t dwconv_workspace(const DwShape *s)
{
    DwPlan p = dw_plan(s);
    return 2 * (size_t)s->s * s->s * p.qsize + dw_glen(s, &p) + p.ylen +
           DW_BLOCK + (size_t)s->h * s->w + DW_BLOCK + (size_t)s->oh * s->ow;
}

/* Row helpers with restrict pointers, so they vectorise. */
static inline void row_copy_relu(float *restrict d, const float *restrict s,
                                 int n)
{
    for (int j = 0; j < n; j++)
        d[j] = s[j] < 0.0f ? 0.0f : s[j]; /* NaN stays NaN */
}

/* d[i] = (relu of) s[2i] for i < n. */
static inline void row_split2(float *restrict d, const float *restrict s,
                              int n, int relu)
{
    if (relu)
        for (int i = 0; i < n; i++)
            d[i] = s[2 * i] < 0.0f ? 0.0f : s[2 * i];
    else
        for (int i = 0; i < n; i++)
            d[i] = s[2 * i];
}

/* Zero-padded, optionally ReLU'd phase planes of plane x [h][w] into P. */
static void dw_phase(const DwShape *s, const DwPlan *q, int relu,
                     const float *x, float *P)
{
    if (s->s == 1) {
        /* only the border is zeroed: the interior is overwritten */
        const int qw = q->qw, p = s->p;
        memset(P, 0, sizeof(float) * ((size_t)p * qw + p));
        for (int i = 0; i < s->h; i++) {
            float *dst = P + (size_t)(i + p) * qw + p;
            const float *src = x + (size_t)i * s->w;
            if (relu)
                row_copy_relu(dst, src, s->w);
            else
                memcpy(dst, src, sizeof(float) * s->w);
            /* right border of this row and left border of the next */
            memset(dst + s->w, 0, sizeof(float) * (size_t)(2 * p));
        }
        size_t used = (size_t)(s->h + p) * qw + p;
        memset(P + used, 0, sizeof(float) * (q->qsize - used));
        return;
    }
    memset(P, 0, sizeof(float) * q->qsize * s->s * s->s);
    /* stride 2: input column j goes to column (j+p)/2 of the phase plane
     * of parity (j+p)%2; split each row into its two parities */
    const int j0 = s->p & 1; /* first j with (j+p) even */
    for (int i = 0; i < s->h; i++) {
        int r = i + s->p;
        const float *src = x + (size_t)i * s->w;
        float *even = P + (size_t)((r & 1) * 2) * q->qsize +
                      (size_t)(r >> 1) * q->qw;
        float *odd = even + q->qsize;
        row_split2(even + (j0 + s->p) / 2, src + j0, (s->w - j0 + 1) / 2, relu);
        row_split2(odd + (1 - j0 + s->p) / 2, src + 1 - j0,
                   (s->w - (1 - j0) + 1) / 2, relu);
    }
}

/* Offset of tap (ki, kj) in the phase planes. */
static inline size_t dw_tap(const DwShape *s, const DwPlan *q, int ki, int kj)
{
    return (size_t)((ki % s->s) * s->s + kj % s->s) * q->qsize +
           (size_t)(ki / s->s) * q->qw + (size_t)(kj / s->s);
}

/* Y[i0 .. i0+8V) = sum over taps t of w[t] * P[off[t] + i]: V vectors
 * held in registers over all taps (V independent FMA chains). */
static inline __attribute__((always_inline)) void
dw_block(const float *P, const size_t *off, const float *w, int taps,
         size_t i0, float *Y, const int V)
{
    VecF a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
    VecF a4 = { 0 }, a5 = { 0 }, a6 = { 0 }, a7 = { 0 };
    for (int t = 0; t < taps; t++) {
        VecF wv = { 0 };
        wv += w[t];
        const float *src = P + off[t] + i0;
        a0 += wv * vec_load(src);
        if (V > 1)
            a1 += wv * vec_load(src + VEC_W);
        if (V > 2) {
            a2 += wv * vec_load(src + 2 * VEC_W);
            a3 += wv * vec_load(src + 3 * VEC_W);
        }
        if (V > 4) {
            a4 += wv * vec_load(src + 4 * VEC_W);
            a5 += wv * vec_load(src + 5 * VEC_W);
            a6 += wv * vec_load(src + 6 * VEC_W);
            a7 += wv * vec_load(src + 7 * VEC_W);
        }
    }
    VecF out[8] = { a0, a1, a2, a3, a4, a5, a6, a7 };
    memcpy(Y + i0, out, sizeof(VecF) * (size_t)V);
}

/* Y[i] = sum over taps t of w[t] * P[tap(t) + i], i in [0, q->ylen):
 * blocks of 64 floats, then of 16.  The planes have DW_BLOCK floats of
 * slack, so the last block may run past ylen into Y's own slack. */
static void dw_plane_conv(const DwShape *s, const DwPlan *q, const float *P,
                          const float *w, float *Y)
{
    const int k = s->k, taps = k * k;
    size_t off[DW_MAX_TAPS];
    for (int ki = 0; ki < k; ki++)
        for (int kj = 0; kj < k; kj++)
            off[ki * k + kj] = dw_tap(s, q, ki, kj);
    size_t i0 = 0;
    for (; i0 + 8 * VEC_W <= q->ylen; i0 += 8 * VEC_W)
        dw_block(P, off, w, taps, i0, Y, 8);
    for (; i0 < q->ylen; i0 += 2 * VEC_W)
        dw_block(P, off, w, taps, i0, Y, 2);
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
            dw_plane_conv(s, &q, P, wc, Y);
            float *yp = y + pi * oplane;
            for (int oy = 0; oy < s->oh; oy++)
                memcpy(yp + (size_t)oy * s->ow, Y + (size_t)oy * q.qw,
                       sizeof(float) * s->ow);
        }
    }
}

/* dx plane += C (a compact [h][w] plane), masked by x > 0 if relu: one
 * loop over the whole plane, so it vectorises without row tails. */
static void dw_plane_add(const DwShape *s, int relu, const float *restrict C,
                         const float *restrict xp, float *restrict dxp)
{
    const size_t n = (size_t)s->h * s->w;
    if (relu)
        for (size_t i = 0; i < n; i++)
            dxp[i] += xp[i] > 0.0f ? C[i] : 0.0f;
    else
        for (size_t i = 0; i < n; i++)
            dxp[i] += C[i];
}

/* dx plane += the gradient of the padded input held in D as phase planes
 * (any stride), masked by x > 0 if relu; C is scratch for [h][w]. */
static void dw_unphase_add(const DwShape *s, const DwPlan *q, int relu,
                           const float *D, float *C, const float *xp,
                           float *dxp)
{
    if (s->s == 1) {
        for (int i = 0; i < s->h; i++)
            memcpy(C + (size_t)i * s->w,
                   D + (size_t)(i + s->p) * q->qw + s->p, sizeof(float) * s->w);
    } else {
        /* padded (r, c) is at row r/2, column c/2 of phase (r%2, c%2) */
        for (int i = 0; i < s->h; i++) {
            int r = i + s->p;
            const float *ph = D + (size_t)((r & 1) * 2) * q->qsize +
                              (size_t)(r >> 1) * q->qw;
            float *cr = C + (size_t)i * s->w;
            for (int j = 0; j < s->w; j++) {
                int c = j + s->p;
                cr[j] = ph[(size_t)(c & 1) * q->qsize + (size_t)(c >> 1)];
            }
        }
    }
    dw_plane_add(s, relu, C, xp, dxp);
}

/* Front margin of the spread gradient G (stride 2): the largest tap
 * offset, so every transposed tap reads at a non-negative index. */
static size_t dw_gmargin(const DwShape *s, const DwPlan *q)
{
    return (size_t)(s->k / 2) * q->qw + (size_t)(s->k / 2);
}

/* Floats of G that the gathers of dw_plane_dx may read. */
static size_t dw_glen(const DwShape *s, const DwPlan *q)
{
    return dw_gmargin(s, q) + (size_t)q->qh * q->qw + 2 * DW_BLOCK;
}

/* G = dy plane [oh][ow] spread to rows of width qw after dw_gmargin zeros,
 * zero past ow and after the last row up to dw_glen. */
static void dw_spread(const DwShape *s, const DwPlan *q, const float *dyp,
                      float *G)
{
    const size_t m = dw_gmargin(s, q);
    memset(G, 0, sizeof(float) * m);
    for (int oy = 0; oy < s->oh; oy++) {
        float *yr = G + m + (size_t)oy * q->qw;
        memcpy(yr, dyp + (size_t)oy * s->ow, sizeof(float) * s->ow);
        memset(yr + s->ow, 0, sizeof(float) * (size_t)(q->qw - s->ow));
    }
    memset(G + m + q->ylen, 0, sizeof(float) * (dw_glen(s, q) - m - q->ylen));
}

/* dx (one plane) += transposed convolution of dy with wc.  Stride 1: buf
 * holds dy zero-padded by dw_phase, correlated with the flipped kernel
 * into Y.  Stride 2: G holds dy spread by dw_spread; each phase plane of
 * the padded input's gradient gathers its own taps (register-blocked like
 * the forward), into buf.  Either result is compacted into C, a [h][w]
 * plane, and added to dx in one pass. */
static void dw_plane_dx(const DwShape *s, const DwPlan *q, int relu,
                        const float *wc, float *buf, const float *G, float *Y,
                        float *C, const float *xp, float *dxp)
{
    const int k = s->k;
    if (s->s == 1) {
        float flip[DW_MAX_TAPS];
        for (int t = 0; t < k * k; t++)
            flip[t] = wc[k * k - 1 - t];
        dw_plane_conv(s, q, buf, flip, Y);
        for (int i = 0; i < s->h; i++)
            memcpy(C + (size_t)i * s->w, Y + (size_t)i * q->qw,
                   sizeof(float) * s->w);
        dw_plane_add(s, relu, C, xp, dxp);
        return;
    }
    const size_t m = dw_gmargin(s, q), dlen = (size_t)q->qh * q->qw;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            size_t off[DW_MAX_TAPS];
            float wt[DW_MAX_TAPS];
            int taps = 0;
            for (int ki = a; ki < k; ki += 2)
                for (int kj = b; kj < k; kj += 2) {
                    off[taps] = m - (size_t)(ki / 2) * q->qw - (size_t)(kj / 2);
                    wt[taps++] = wc[ki * k + kj];
                }
            float *D = buf + (size_t)(a * 2 + b) * q->qsize;
            size_t i0 = 0;
            for (; i0 + 8 * VEC_W <= dlen; i0 += 8 * VEC_W)
                dw_block(G, off, wt, taps, i0, D, 8);
            for (; i0 < dlen; i0 += 2 * VEC_W)
                dw_block(G, off, wt, taps, i0, D, 2);
        }
    dw_unphase_add(s, q, relu, buf, C, xp, dxp);
}

/* dw[t] += sum_i Y[i] * P[tap(t) + i] for every tap t: per kernel row, a
 * block of Y stays in registers against that row's k taps.  Y and P carry
 * zeros past ylen up to a whole block.  Inlined for constant k so the k
 * accumulators live in registers. */
static inline __attribute__((always_inline)) void
dw_plane_dw_k(const DwShape *s, const DwPlan *q, const float *Y,
              const float *P, float *dwc, const int k)
{
    for (int ki = 0; ki < k; ki++) {
        VecF acc0[DWCONV_MAX_K] = { { 0 } }, acc1[DWCONV_MAX_K] = { { 0 } };
        size_t off[DWCONV_MAX_K] = { 0 };
        DW_UNROLL
        for (int kj = 0; kj < k; kj++)
            off[kj] = dw_tap(s, q, ki, kj);
        for (size_t i = 0; i < q->ylen; i += 2 * VEC_W) {
            VecF y0 = vec_load(Y + i), y1 = vec_load(Y + i + VEC_W);
            DW_UNROLL
            for (int kj = 0; kj < k; kj++) {
                acc0[kj] += y0 * vec_load(P + off[kj] + i);
                acc1[kj] += y1 * vec_load(P + off[kj] + i + VEC_W);
            }
        }
        DW_UNROLL
        for (int kj = 0; kj < k; kj++)
            dwc[ki * k + kj] += vec_hsum(acc0[kj] + acc1[kj]);
    }
}

static void dw_plane_dw(const DwShape *s, const DwPlan *q, const float *Y,
                        const float *P, float *dwc)
{
    switch (s->k) {
    case 3:
        dw_plane_dw_k(s, q, Y, P, dwc, 3);
        break;
    case 5:
        dw_plane_dw_k(s, q, Y, P, dwc, 5);
        break;
    case 7:
        dw_plane_dw_k(s, q, Y, P, dwc, 7);
        break;
    default:
        dw_plane_dw_k(s, q, Y, P, dwc, s->k);
        break;
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
    float *P = ws, *buf = ws + planes, *G = ws + 2 * planes;
    float *Y = G + dw_glen(s, &q), *C = Y + q.ylen + DW_BLOCK;
    for (int c = 0; c < s->c; c++) {
        const float *wc = w + (size_t)c * k * k;
        float *dwc = dw ? dw + (size_t)c * k * k : NULL;
        for (int b = 0; b < n; b++) {
            size_t pi = (size_t)c * n + b;
            const float *dyp = dy + pi * oplane;
            /* dy as rows of width qw, zero past ow and past ylen: inside
             * the padded plane at stride 1, after G's margin at stride 2 */
            const float *Ydy;
            if (s->s == 1) {
                dw_phase(s, &q, 0, dyp, buf); /* oh == h, ow == w */
                Ydy = buf + (size_t)s->p * q.qw + s->p;
            } else {
                dw_spread(s, &q, dyp, G);
                Ydy = G + dw_gmargin(s, &q);
            }
            if (dwc) {
                dw_phase(s, &q, relu_in, x + pi * plane, P);
                dw_plane_dw(s, &q, Ydy, P, dwc);
            }
            if (dx)
                dw_plane_dx(s, &q, relu_in, wc, buf, G, Y, C, x + pi * plane,
                            dx + pi * plane);
        }
    }
}

/* Number of window rows (or columns) of output o that fall inside [0, n). */
static inline int dw_count(int o, int stride, int p, int k, int n)
{
    int a = o * stride - p, b = a + k;
    if (a < 0)
        a = 0;
    if (b > n)
        b = n;
    return b - a;
}

/* K[oy][ox] = the number of window pixels of output (oy, ox) inside the
 * image (padding is not counted). */
static void dw_counts(const DwShape *s, float *K)
{
    for (int oy = 0; oy < s->oh; oy++) {
        int rc = dw_count(oy, s->s, s->p, s->k, s->h);
        for (int ox = 0; ox < s->ow; ox++)
            K[(size_t)oy * s->ow + ox] =
                (float)(rc * dw_count(ox, s->s, s->p, s->k, s->w));
    }
}

/* d[i] = a[i] / b[i] over a whole plane (one vectorised loop). */
static void plane_div(float *restrict d, const float *restrict a,
                      const float *restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = a[i] / b[i];
}

/* The regions of dwconv_workspace past P and buf. */
static void dw_regions(const DwShape *s, const DwPlan *q, float *ws,
                       float **G, float **Y, float **C, float **K)
{
    *G = ws + 2 * q->qsize * s->s * s->s;
    *Y = *G + dw_glen(s, q);
    *C = *Y + q->ylen + DW_BLOCK;
    *K = *C + (size_t)s->h * s->w + DW_BLOCK;
}

void dwconv_avg_forward(const DwShape *s, int n, const float *x, float *y,
                        float *ws)
{
    const DwPlan q = dw_plan(s);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    float ones[DW_MAX_TAPS];
    for (int t = 0; t < s->k * s->k; t++)
        ones[t] = 1.0f;
    float *P = ws, *G, *Y, *C, *K;
    dw_regions(s, &q, ws, &G, &Y, &C, &K);
    dw_counts(s, K);
    for (size_t pi = 0; pi < (size_t)s->c * n; pi++) {
        dw_phase(s, &q, 0, x + pi * plane, P);
        dw_plane_conv(s, &q, P, ones, Y);
        for (int oy = 0; oy < s->oh; oy++)
            memcpy(C + (size_t)oy * s->ow, Y + (size_t)oy * q.qw,
                   sizeof(float) * s->ow);
        plane_div(y + pi * oplane, C, K, oplane);
    }
}

void dwconv_avg_backward(const DwShape *s, int n, const float *dy, float *dx,
                         float *ws)
{
    const DwPlan q = dw_plan(s);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    float ones[DW_MAX_TAPS];
    for (int t = 0; t < s->k * s->k; t++)
        ones[t] = 1.0f;
    float *P = ws, *buf = ws + planes, *G, *Y, *C, *K;
    dw_regions(s, &q, ws, &G, &Y, &C, &K);
    dw_counts(s, K);
    for (size_t pi = 0; pi < (size_t)s->c * n; pi++) {
        /* dy / count as an [oh][ow] plane in P, then padded into buf
         * (stride 1) or spread into G (stride 2) */
        plane_div(P, dy + pi * oplane, K, oplane);
        if (s->s == 1)
            dw_phase(s, &q, 0, P, buf);
        else
            dw_spread(s, &q, P, G);
        dw_plane_dx(s, &q, 0, ones, buf, G, Y, C, NULL, dx + pi * plane);
    }
}

/* ---- max pooling --------------------------------------------------- */

typedef int VecI __attribute__((vector_size(VEC_W * sizeof(int))));

/* a where mask, else b (mask lanes all ones or zeros). */
static inline VecF vec_select(VecI mask, VecF a, VecF b)
{
    return (VecF)(((VecI)a & mask) | ((VecI)b & ~mask));
}

/* Phase planes of x [h][w] padded with -inf (the pads never win). */
static void dw_phase_ninf(const DwShape *s, const DwPlan *q, const float *x,
                          float *P)
{
    const size_t len = q->qsize * s->s * s->s;
    for (size_t i = 0; i < len; i++)
        P[i] = -INFINITY;
    const int j0 = s->p & 1;
    for (int i = 0; i < s->h; i++) {
        int r = i + s->p;
        const float *src = x + (size_t)i * s->w;
        if (s->s == 1) {
            memcpy(P + (size_t)r * q->qw + s->p, src, sizeof(float) * s->w);
            continue;
        }
        float *even = P + (size_t)((r & 1) * 2) * q->qsize +
                      (size_t)(r >> 1) * q->qw;
        float *odd = even + q->qsize;
        row_split2(even + (j0 + s->p) / 2, src + j0, (s->w - j0 + 1) / 2, 0);
        row_split2(odd + (1 - j0 + s->p) / 2, src + 1 - j0,
                   (s->w - (1 - j0) + 1) / 2, 0);
    }
}

/* The window maximum of outputs [i0, i0 + VEC_W): taps in row order, a
 * later tap winning only when greater or NaN (a window holding NaN gives
 * its first NaN). */
static inline VecF dw_max_vec(const float *P, const size_t *off, int taps,
                              size_t i0)
{
    VecF m = vec_load(P + off[0] + i0);
    for (int t = 1; t < taps; t++) {
        VecF v = vec_load(P + off[t] + i0);
        VecI nan_m = m != m;
        m = vec_select(((v > m) | (v != v)) & ~nan_m, v, m);
    }
    return m;
}

static void dw_tap_offsets(const DwShape *s, const DwPlan *q, size_t *off)
{
    for (int ki = 0; ki < s->k; ki++)
        for (int kj = 0; kj < s->k; kj++)
            off[ki * s->k + kj] = dw_tap(s, q, ki, kj);
}

void dwconv_max_forward(const DwShape *s, int n, const float *x, float *y,
                        float *ws)
{
    const DwPlan q = dw_plan(s);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const int taps = s->k * s->k;
    size_t off[DW_MAX_TAPS];
    dw_tap_offsets(s, &q, off);
    float *P = ws, *G, *Y, *C, *K;
    dw_regions(s, &q, ws, &G, &Y, &C, &K);
    for (size_t pi = 0; pi < (size_t)s->c * n; pi++) {
        dw_phase_ninf(s, &q, x + pi * plane, P);
        for (size_t i0 = 0; i0 < q.ylen; i0 += VEC_W) {
            VecF m = dw_max_vec(P, off, taps, i0);
            memcpy(Y + i0, &m, sizeof m);
        }
        float *yp = y + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            memcpy(yp + (size_t)oy * s->ow, Y + (size_t)oy * q.qw,
                   sizeof(float) * s->ow);
    }
}

void dwconv_max_backward(const DwShape *s, int n, const float *x,
                         const float *dy, float *dx, float *ws)
{
    const DwPlan q = dw_plan(s);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int taps = s->k * s->k;
    size_t off[DW_MAX_TAPS];
    dw_tap_offsets(s, &q, off);
    float *P = ws, *D = ws + planes, *G, *Y, *C, *K;
    dw_regions(s, &q, ws, &G, &Y, &C, &K);
    for (size_t pi = 0; pi < (size_t)s->c * n; pi++) {
        dw_phase_ninf(s, &q, x + pi * plane, P);
        /* dy as rows of width qw, zero past ow and past ylen */
        const float *dyp = dy + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++) {
            float *yr = Y + (size_t)oy * q.qw;
            memcpy(yr, dyp + (size_t)oy * s->ow, sizeof(float) * s->ow);
            memset(yr + s->ow, 0, sizeof(float) * (size_t)(q.qw - s->ow));
        }
        memset(Y + q.ylen, 0, sizeof(float) * VEC_W);
        memset(D, 0, sizeof(float) * planes);
        /* each output's gradient goes to the first tap equal to its
         * maximum (the first NaN when the maximum is NaN) */
        for (size_t i0 = 0; i0 < q.ylen; i0 += VEC_W) {
            VecF m = dw_max_vec(P, off, taps, i0);
            VecF g = vec_load(Y + i0);
            VecI done = { 0 }, nan_m = m != m;
            for (int t = 0; t < taps; t++) {
                VecF v = vec_load(P + off[t] + i0);
                VecI hit = ((v == m) | ((v != v) & nan_m)) & ~done;
                done |= hit;
                VecF d = vec_load(D + off[t] + i0) + vec_select(hit, g, (VecF){ 0 });
                memcpy(D + off[t] + i0, &d, sizeof d);
            }
        }
        dw_unphase_add(s, &q, 0, D, C, NULL, dx + pi * plane);
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
                            if (relu_in && v < 0.0f)
                                v = 0.0f;
                            acc += (double)v * w[(c * s->k + ki) * s->k + kj];
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
                                dw[wi] += g * ((relu_in && v < 0.0f) ? 0.0f : v);
                            if (dx && (!relu_in || v > 0.0f))
                                dx[xi] += g * w[wi];
                        }
                }
}
