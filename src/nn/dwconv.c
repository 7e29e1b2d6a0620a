/* dwconv.c - depthwise convolution and average/max pooling on stacks of
 * whole planes.
 *
 * The planes of one channel for a chunk of images are stacked, zero-padded
 * (and ReLU'd), into one tall image: image b's padded rows start at row
 * b * pitch, and consecutive images share their p rows of vertical padding
 * (pitch = h + p, rounded up to even for stride 2 so every image starts on
 * the stride grid).  The stack is split into s*s "phase planes" of width qw
 * (for stride 2: even/odd rows x even/odd columns).  Then every tap
 * (ki, kj) is one contiguous run over the whole stack,
 *     Y[i] += w[ki][kj] * P[phase(ki, kj)][i + (ki/s)*qw + kj/s],
 * i in [0, nb * orows * qw), orows = pitch / s output rows per image:
 * output rows are computed qw wide, the columns past ow and the rows past
 * oh of each image are dropped (forward) or held at zero (backward).  The
 * forward kernel keeps a block of Y in registers over all taps; one long
 * run over many images keeps the blocks full, where a 7x7 plane alone
 * would be all tail.  For stride 1 the input gradient is the same kernel
 * on the padded output gradient with the kernel flipped; for stride 2 each
 * phase plane of the input gradient gathers its taps from the spread
 * output gradient.  A tap's weight gradient is one dot product.
 *
 * Padding is written once per call: each chunk overwrites only the image
 * pixels, which land in the same places for every chunk of the same size.
 * A chunk smaller than the one before clears the buffers again first: with
 * a batch that does not split into equal chunks, once per channel.
 * The stacks themselves (geometry, copies in and out) are in dwstack.c,
 * the row-blocked kernels in dwrows.c. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; these rows need the dynamic cost model.  Clang
 * vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>
#include <string.h>

#include "nn/dwconv.h"
#include "nn/dwrows.h"
#include "nn/dwstack.h"
#include "base/vecops.h"

/* Full unrolling of the loops over a kernel row, so its accumulators stay
 * in registers (GCC does not unroll them by itself at -O2). */
#if defined(__GNUC__) && !defined(__clang__)
#define DW_UNROLL _Pragma("GCC unroll 11")
#else
#define DW_UNROLL
#endif
#define DW_MAX_TAPS (DWCONV_MAX_K * DWCONV_MAX_K)

DwShape dwconv_shape_make(int c, int k, int stride, int h, int w)
{
    DwShape s = { c, k, stride, k / 2, h, w, 0, 0 };
    s.oh = (h + 2 * s.p - k) / stride + 1;
    s.ow = (w + 2 * s.p - k) / stride + 1;
    return s;
}

/* Workspace: P (input phase planes), buf (gradient phase planes or the
 * padded gradient), G (spread gradient, stride 2), Y (stack outputs), C
 * (a chunk of compact [h][w] planes), K (average pooling's window counts,
 * an [oh][ow] plane). */
size_t dwconv_workspace(const DwShape *s)
{
    DwPlan q = dwstack_plan(s);
    return 2 * (size_t)s->s * s->s * q.qsize + q.glen + dwstack_yregion(&q) +
           (size_t)q.chunk * s->h * s->w + DW_TAIL +
           (size_t)s->oh * s->ow;
}



/* Offset of tap (ki, kj) in the phase planes. */
static inline size_t dw_tap(const DwShape *s, const DwPlan *q, int ki, int kj)
{
    return (size_t)((ki % s->s) * s->s + kj % s->s) * q->qsize +
           (size_t)(ki / s->s) * q->qw + (size_t)(kj / s->s);
}

static void dw_tap_offsets(const DwShape *s, const DwPlan *q, size_t *off)
{
    for (int ki = 0; ki < s->k; ki++)
        for (int kj = 0; kj < s->k; kj++)
            off[ki * s->k + kj] = dw_tap(s, q, ki, kj);
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

/* Y[i] = sum over taps t of w[t] * P[off[t] + i], i in [0, len): blocks
 * of 8 vectors, then of 2; the last block may run DW_TAIL past len. */
static void dw_run(const float *P, const size_t *off, const float *w,
                   int taps, size_t len, float *Y)
{
    size_t i0 = 0;
    for (; i0 + 8 * VEC_W <= len; i0 += 8 * VEC_W)
        dw_block(P, off, w, taps, i0, Y, 8);
    for (; i0 < len; i0 += 2 * VEC_W)
        dw_block(P, off, w, taps, i0, Y, 2);
}

/* Y = the k x k correlation of the stacked phase planes P with w over the
 * outputs of nb images: the row kernel (dwrows.c) where it has one, which
 * leaves columns past ow of each row undefined, else the flat loop. */
static void dw_stack_conv(const DwShape *s, const DwPlan *q, const float *P,
                          const float *w, int nb, float *Y)
{
    if (dwrows_conv(P, q->qsize, q->qw, s->k, s->s, w, nb * q->orows, s->ow,
                    Y))
        return;
    size_t off[DW_MAX_TAPS];
    dw_tap_offsets(s, q, off);
    dw_run(P, off, w, s->k * s->k, dwstack_ylen(q, nb), Y);
}

/* Stride 2: the gradient of the padded stack as phase planes D (in buf),
 * each gathering its own taps from the spread output gradient G. */
static void dw_stack_gather(const DwShape *s, const DwPlan *q, const float *wc,
                            const float *G, int nb, float *D)
{
    const int k = s->k;
    const size_t len = dwstack_ylen(q, nb);
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            size_t off[DW_MAX_TAPS];
            float wt[DW_MAX_TAPS];
            int taps = 0;
            for (int ki = a; ki < k; ki += 2)
                for (int kj = b; kj < k; kj += 2) {
                    off[taps] = q->gmargin - (size_t)(ki / 2) * q->qw -
                                (size_t)(kj / 2);
                    wt[taps++] = wc[ki * k + kj];
                }
            dw_run(G, off, wt, taps, len, D + (size_t)(a * 2 + b) * q->qsize);
        }
}

/* dw[t] += sum_i Y[i] * P[tap(t) + i] for every tap t, i in [0, len): per
 * kernel row, a block of Y stays in registers against that row's k taps.
 * Y carries zeros past len up to a whole block.  Inlined for constant k so
 * the k accumulators live in registers. */
static inline __attribute__((always_inline)) void
dw_stack_dw_k(const DwShape *s, const DwPlan *q, const float *Y,
              const float *P, size_t len, float *dwc, const int k)
{
    for (int ki = 0; ki < k; ki++) {
        VecF acc0[DWCONV_MAX_K] = { { 0 } }, acc1[DWCONV_MAX_K] = { { 0 } };
        size_t off[DWCONV_MAX_K] = { 0 };
        DW_UNROLL
        for (int kj = 0; kj < k; kj++)
            off[kj] = dw_tap(s, q, ki, kj);
        for (size_t i = 0; i < len; i += 2 * VEC_W) {
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

static void dw_stack_dw(const DwShape *s, const DwPlan *q, const float *Y,
                        const float *P, int nb, float *dwc)
{
    if (dwrows_dw(P, q->qsize, q->qw, s->k, s->s, Y, nb * q->orows, s->ow,
                  dwc))
        return;
    const size_t len = dwstack_ylen(q, nb);
    switch (s->k) {
    case 3:
        dw_stack_dw_k(s, q, Y, P, len, dwc, 3);
        break;
    case 5:
        dw_stack_dw_k(s, q, Y, P, len, dwc, 5);
        break;
    case 7:
        dw_stack_dw_k(s, q, Y, P, len, dwc, 7);
        break;
    default:
        dw_stack_dw_k(s, q, Y, P, len, dwc, s->k);
        break;
    }
}

void dwconv_forward_part(const DwShape *s, int n, int b0, int b1,
                         int relu_in, const float *x, const float *w, float *y,
                         float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int chunk = dwstack_chunk(&q, b1 - b0);
    int filled = 0;
    for (int c = 0; c < s->c; c++) {
        const float *wc = w + (size_t)c * s->k * s->k;
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb;
            dwstack_prepare(r.P, planes, 0.0f, &filled, nb);
            dwstack_in(s, &q, relu_in, x + pi * plane, nb, r.P);
            dw_stack_conv(s, &q, r.P, wc, nb, r.Y);
            dwstack_out(s, &q, r.Y, NULL, nb, y + pi * oplane);
        }
    }
}

/* dx [nb][h][w] += (with set: =) the transposed convolution with wc of
 * the output gradient, which is in buf as a padded stack (stride 1) or in
 * G spread (stride 2); masked by x > 0 when x is given.  Y and (stride 2)
 * buf are overwritten. */
static void dw_stack_dx(const DwShape *s, const DwPlan *q, const float *wc,
                        const DwRegions *r, const float *x, int nb, float *dx,
                        int set)
{
    const int k = s->k;
    if (s->s == 1) {
        float flip[DW_MAX_TAPS];
        for (int t = 0; t < k * k; t++)
            flip[t] = wc[k * k - 1 - t];
        dw_stack_conv(s, q, r->buf, flip, nb, r->Y);
        dwstack_unstack_add(s, q, r->Y, 1, x, nb, r->C, dx, set);
        return;
    }
    dw_stack_gather(s, q, wc, r->G, nb, r->buf);
    dwstack_unstack_add(s, q, r->buf, 0, x, nb, r->C, dx, set);
}

/* The output gradient dy [nb][oh][ow] (divided by K when given) into the
 * stack: padded in buf (stride 1, where oh == h) or spread in G (stride
 * 2).  Returns it as stack output rows: zero past ow, past oh and past the
 * last image up to a whole block. */
static const float *dw_grad_in(const DwShape *s, const DwPlan *q,
                               const DwRegions *r, const float *dy,
                               const float *K, int nb, int *filled)
{
    if (s->s == 1) {
        float *Ydy = r->buf + (size_t)s->p * q->qw + s->p;
        dwstack_prepare(r->buf, q->qsize, 0.0f, filled, nb);
        dwstack_out_rows_in(s, q, dy, K, nb, r->C, Ydy);
        return Ydy;
    }
    float *Ydy = r->G + q->gmargin;
    dwstack_prepare(r->G, q->glen, 0.0f, filled, nb);
    dwstack_out_rows_in(s, q, dy, K, nb, r->C, Ydy);
    return Ydy;
}

void dwconv_backward_part(const DwShape *s, int n, int b0, int b1,
                          int relu_in, const float *x, const float *w,
                          const float *dy, float *dx, int dx_set, float *dw,
                          float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const int k = s->k;
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int chunk = dwstack_chunk(&q, b1 - b0);
    int filled_p = 0, filled_g = 0;
    for (int c = 0; c < s->c; c++) {
        const float *wc = w + (size_t)c * k * k;
        float *dwc = dw ? dw + (size_t)c * k * k : NULL;
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb;
            const float *xp = x + pi * plane;
            const float *Ydy = dw_grad_in(s, &q, &r, dy + pi * oplane, NULL,
                                          nb, &filled_g);
            if (dwc) {
                dwstack_prepare(r.P, planes, 0.0f, &filled_p, nb);
                dwstack_in(s, &q, relu_in, xp, nb, r.P);
                dw_stack_dw(s, &q, Ydy, r.P, nb, dwc);
            }
            if (dx)
                dw_stack_dx(s, &q, wc, &r, relu_in ? xp : NULL, nb,
                            dx + pi * plane, dx_set);
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

void dwconv_avg_forward_part(const DwShape *s, int n, int b0, int b1,
                             const float *x, float *y, float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int chunk = dwstack_chunk(&q, b1 - b0);
    float ones[DW_MAX_TAPS];
    for (int t = 0; t < s->k * s->k; t++)
        ones[t] = 1.0f;
    dw_counts(s, r.K);
    int filled = 0;
    for (int c = 0; c < s->c; c++)
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb;
            dwstack_prepare(r.P, planes, 0.0f, &filled, nb);
            dwstack_in(s, &q, 0, x + pi * plane, nb, r.P);
            dw_stack_conv(s, &q, r.P, ones, nb, r.Y);
            dwstack_out(s, &q, r.Y, r.K, nb, y + pi * oplane);
        }
}

void dwconv_avg_backward_part(const DwShape *s, int n, int b0, int b1,
                              const float *dy, float *dx, int dx_set,
                              float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const int chunk = dwstack_chunk(&q, b1 - b0);
    float ones[DW_MAX_TAPS];
    for (int t = 0; t < s->k * s->k; t++)
        ones[t] = 1.0f;
    dw_counts(s, r.K);
    int filled = 0;
    for (int c = 0; c < s->c; c++)
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb;
            /* dy / count into the stack, then the transposed box filter */
            dw_grad_in(s, &q, &r, dy + pi * oplane, r.K, nb, &filled);
            dw_stack_dx(s, &q, ones, &r, NULL, nb, dx + pi * plane, dx_set);
        }
}

/* ---- max pooling --------------------------------------------------- */

typedef int VecI __attribute__((vector_size(VEC_W * sizeof(int))));

/* a where mask, else b (mask lanes all ones or zeros). */
static inline VecF vec_select(VecI mask, VecF a, VecF b)
{
    return (VecF)(((VecI)a & mask) | ((VecI)b & ~mask));
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

/* D[off[t] + i] += Ydy[i] for the tap t that holds the maximum of output
 * i's window (the first in row order, as dw_max_vec takes it: a later tap
 * wins only when greater, or NaN while the maximum is not), i in [0, len).
 * The winning taps go to A (len ints, rounded up to a vector) first, then
 * each tap adds over the whole run: stores to D never overlap a load just
 * after them at an offset one float apart (which would stall store
 * forwarding).  Inlined for a constant tap count. */
static inline __attribute__((always_inline)) void
dw_max_back_run(const float *P, const size_t *off, const float *Ydy,
                size_t len, int *A, float *D, const int taps)
{
    for (size_t i0 = 0; i0 < len; i0 += VEC_W) {
        VecF m = vec_load(P + off[0] + i0);
        VecI arg = { 0 };
        for (int t = 1; t < taps; t++) {
            const VecF v = vec_load(P + off[t] + i0);
            const VecI up = ((v > m) | (v != v)) & ~(VecI)(m != m);
            m = vec_select(up, v, m);
            arg = (up & t) | (arg & ~up);
        }
        memcpy(A + i0, &arg, sizeof arg);
    }
    for (int t = 0; t < taps; t++) {
        float *Dt = D + off[t];
        for (size_t i0 = 0; i0 < len; i0 += VEC_W) {
            VecI arg, g;
            memcpy(&arg, A + i0, sizeof arg);
            memcpy(&g, Ydy + i0, sizeof g);
            VecF d = vec_load(Dt + i0) + (VecF)(g & (arg == t));
            memcpy(Dt + i0, &d, sizeof d);
        }
    }
}

/* The input planes are stacked with -inf padding: the pads never win. */
void dwconv_max_forward_part(const DwShape *s, int n, int b0, int b1,
                             const float *x, float *y, float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int taps = s->k * s->k, chunk = dwstack_chunk(&q, b1 - b0);
    size_t off[DW_MAX_TAPS];
    dw_tap_offsets(s, &q, off);
    int filled = 0;
    for (int c = 0; c < s->c; c++)
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb, len = dwstack_ylen(&q, nb);
            dwstack_prepare(r.P, planes, -INFINITY, &filled, nb);
            dwstack_in(s, &q, 0, x + pi * plane, nb, r.P);
            for (size_t i0 = 0; i0 < len; i0 += VEC_W) {
                VecF m = dw_max_vec(r.P, off, taps, i0);
                memcpy(r.Y + i0, &m, sizeof m);
            }
            dwstack_out(s, &q, r.Y, NULL, nb, y + pi * oplane);
        }
}

void dwconv_max_backward_part(const DwShape *s, int n, int b0, int b1,
                              const float *x, const float *dy, float *dx,
                              int dx_set, float *ws)
{
    const DwPlan q = dwstack_plan(s);
    const DwRegions r = dwstack_regions(s, &q, ws);
    const size_t plane = (size_t)s->h * s->w, oplane = (size_t)s->oh * s->ow;
    const size_t planes = q.qsize * s->s * s->s;
    const int taps = s->k * s->k, chunk = dwstack_chunk(&q, b1 - b0);
    size_t off[DW_MAX_TAPS];
    dw_tap_offsets(s, &q, off);
    float *D = r.buf;
    int filled_p = 0, filled_g = 0;
    for (int c = 0; c < s->c; c++)
        for (int bb = b0; bb < b1; bb += chunk) {
            const int nb = b1 - bb < chunk ? b1 - bb : chunk;
            const size_t pi = (size_t)c * n + bb, len = dwstack_ylen(&q, nb);
            dwstack_prepare(r.P, planes, -INFINITY, &filled_p, nb);
            dwstack_in(s, &q, 0, x + pi * plane, nb, r.P);
            /* dy as stack output rows, zero past ow, oh and len */
            float *Ydy = r.G + q.gmargin;
            dwstack_prepare(r.G, q.glen, 0.0f, &filled_g, nb);
            dwstack_out_rows_in(s, &q, dy + pi * oplane, NULL, nb, r.C,
                                 Ydy);
            memset(D, 0, sizeof(float) * planes);
            /* the winning taps in Y's floats, reused as ints */
            int *A = (int *)(void *)r.Y;
            if (taps == 9)
                dw_max_back_run(r.P, off, Ydy, len, A, D, 9);
            else
                dw_max_back_run(r.P, off, Ydy, len, A, D, taps);
            dwstack_unstack_add(s, &q, D, 0, NULL, nb, r.C, dx + pi * plane,
                                dx_set);
        }
}

void dwconv_forward(const DwShape *s, int n, int relu_in, const float *x,
                    const float *w, float *y, float *ws)
{
    dwconv_forward_part(s, n, 0, n, relu_in, x, w, y, ws);
}

void dwconv_backward(const DwShape *s, int n, int relu_in, const float *x,
                     const float *w, const float *dy, float *dx, float *dw,
                     float *ws)
{
    dwconv_backward_part(s, n, 0, n, relu_in, x, w, dy, dx, 0, dw, ws);
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
