/* dwstack.c - stacks of depthwise planes: their geometry, the workspace
 * regions, and the copies of planes into a stack (zero- or -inf-padded,
 * ReLU'd, split into phase planes for stride 2) and out of it.  The
 * layout is described in dwconv.c; the arithmetic on a stack is there and
 * in dwrows.c. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; these rows need the dynamic cost model. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <string.h>

#include "nn/dwstack.h"
#include "nn/dwrows.h"

/* Floats a chunk's stack aims at: a few such buffers per thread stay in
 * L2 and the runs over them are long. */
#define DW_STACK_FLOATS 16384

DwPlan dwstack_plan(const DwShape *s)
{
    DwPlan q;
    q.qw = (s->w + 2 * s->p + s->s - 1) / s->s;
    q.pitch = s->h + s->p;
    if (s->s == 2 && (q.pitch & 1))
        q.pitch++;
    q.orows = q.pitch / s->s;
    q.chunk = DW_STACK_FLOATS / (q.pitch * q.qw);
    if (q.chunk < 1)
        q.chunk = 1;
    const int reach = (s->k - 1) / s->s; /* rows (and columns) a tap reaches */
    q.qsize = (size_t)(q.chunk * q.orows + reach + 1 + DWROWS_SLACK_ROWS) *
                  q.qw + reach + DW_TAIL;
    q.gmargin = (size_t)(s->k / 2) * q.qw + (size_t)(s->k / 2);
    q.glen = q.gmargin +
             (size_t)(q.chunk * q.orows + DWROWS_SLACK_ROWS) * q.qw +
             2 * DW_TAIL;
    return q;
}

/* Images per stack for n images: chunks of near-equal size, so all but the
 * last have the same size and the padding stays written. */
int dwstack_chunk(const DwPlan *q, int n)
{
    if (n <= q->chunk)
        return n < 1 ? 1 : n;
    int chunks = (n + q->chunk - 1) / q->chunk;
    return (n + chunks - 1) / chunks;
}

/* Floats of stack outputs (and of each gradient phase plane) for nb images. */
size_t dwstack_ylen(const DwPlan *q, int nb)
{
    return (size_t)nb * q->orows * q->qw;
}

/* Floats of the stack outputs region Y: a full chunk, with the slack of
 * the row kernel and of the flat loop's last block. */
size_t dwstack_yregion(const DwPlan *q)
{
    return dwstack_ylen(q, q->chunk) + (size_t)DWROWS_SLACK_ROWS * q->qw +
           DW_TAIL;
}

DwRegions dwstack_regions(const DwShape *s, const DwPlan *q, float *ws)
{
    DwRegions r;
    const size_t planes = q->qsize * s->s * s->s;
    r.P = ws;
    r.buf = ws + planes;
    r.G = ws + 2 * planes;
    r.Y = r.G + q->glen;
    r.C = r.Y + dwstack_yregion(q);
    r.K = r.C + (size_t)q->chunk * s->h * s->w + DW_TAIL;
    return r;
}

/* A buffer whose padding is written once: `filled` is the largest chunk
 * written into it since it was last cleared (0: never). */
static void dw_fill(float *b, size_t len, float v)
{
    if (v == 0.0f) {
        memset(b, 0, sizeof(float) * len);
        return;
    }
    for (size_t i = 0; i < len; i++)
        b[i] = v;
}

/* Clear b (len floats, to v) unless its padding still holds for a chunk of
 * nb images. */
void dwstack_prepare(float *b, size_t len, float v, int *filled, int nb)
{
    if (*filled == 0 || nb < *filled) {
        dw_fill(b, len, v);
        *filled = nb;
    } else if (nb > *filled) {
        *filled = nb;
    }
}

/* Whole-run helpers with restrict pointers, so they vectorise.  Rows of
 * a plane (7 to 28 floats) are moved with vec_copy, whole vectors without
 * scalar tails; the arithmetic runs over whole planes or
 * whole stacks. */
static inline float relu1(float v)
{
    return v < 0.0f ? 0.0f : v; /* NaN stays NaN */
}

typedef int DwsVecI __attribute__((vector_size(VEC_W * sizeof(int))));

/* d[0..n) = relu(s[0..n)) for a row: whole vectors, the last one
 * overlapping the one before it, as vec_copy does. */
static inline void copy_relu(float *d, const float *s, size_t n)
{
    if (n < VEC_W) {
        for (size_t i = 0; i < n; i++)
            d[i] = relu1(s[i]);
        return;
    }
    for (size_t i = 0;; i += VEC_W) {
        if (i + VEC_W > n)
            i = n - VEC_W;
        VecF v = vec_load(s + i);
        v = (VecF)((DwsVecI)v & ~(DwsVecI)(v < 0.0f));
        memcpy(d + i, &v, sizeof v);
        if (i + VEC_W == n)
            break;
    }
}

static void run_div(float *d, const float *a, const float *restrict b,
                    size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = a[i] / b[i];
}

/* d[i] = 0 where x[i] > 0 does not hold (ReLU's mask). */
static void run_mask(float *restrict d, const float *restrict x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = x[i] > 0.0f ? d[i] : 0.0f;
}

/* d[i] += s[i], or only where x[i] > 0 when x is given (ReLU's mask). */
static void run_add(float *restrict d, const float *restrict s,
                    const float *restrict x, size_t n)
{
    if (x)
        for (size_t i = 0; i < n; i++)
            d[i] += x[i] > 0.0f ? s[i] : 0.0f;
    else
        for (size_t i = 0; i < n; i++)
            d[i] += s[i];
}

/* Stride 2: a row's pixel j lands in padded column c = j + p, which is
 * column c/2 of the even or the odd phase plane.  Split src [w] into the
 * rows even and odd, in pairs so the loop vectorises. */
static void row_split(float *restrict even, float *restrict odd,
                      const float *restrict src, int w, int p, int relu)
{
    int j = 0;
    if (p & 1) { /* pixel 0 is odd */
        odd[p >> 1] = relu ? relu1(src[0]) : src[0];
        j = 1;
    }
    const int base = (j + p) >> 1, pairs = (w - j) / 2;
    float *restrict e = even + base, *restrict o = odd + base;
    const float *restrict sp = src + j;
#if VEC_W == 8
    if (pairs >= VEC_W) {
        /* vectors of 8 pairs, the last block overlapping the one before */
        for (int t = 0;; t += VEC_W) {
            if (t + VEC_W > pairs)
                t = pairs - VEC_W;
            const VecF a = vec_load(sp + 2 * t), b = vec_load(sp + 2 * t + VEC_W);
            VecF ev = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
            VecF ov = __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
            if (relu) {
                ev = (VecF)((DwsVecI)ev & ~(DwsVecI)(ev < 0.0f));
                ov = (VecF)((DwsVecI)ov & ~(DwsVecI)(ov < 0.0f));
            }
            memcpy(e + t, &ev, sizeof ev);
            memcpy(o + t, &ov, sizeof ov);
            if (t + VEC_W == pairs)
                break;
        }
    } else
#endif
    if (relu)
        for (int t = 0; t < pairs; t++) {
            e[t] = relu1(sp[2 * t]);
            o[t] = relu1(sp[2 * t + 1]);
        }
    else
        for (int t = 0; t < pairs; t++) {
            e[t] = sp[2 * t];
            o[t] = sp[2 * t + 1];
        }
    if ((w - j) & 1)
        e[pairs] = relu ? relu1(sp[2 * pairs]) : sp[2 * pairs];
}

/* The inverse of row_split: d [w] from the rows even and odd. */
static void row_merge(float *restrict d, const float *restrict even,
                      const float *restrict odd, int w, int p)
{
    int j = 0;
    if (p & 1) {
        d[0] = odd[p >> 1];
        j = 1;
    }
    const int base = (j + p) >> 1, pairs = (w - j) / 2;
    const float *restrict e = even + base, *restrict o = odd + base;
    float *restrict dp = d + j;
#if VEC_W == 8
    if (pairs >= VEC_W) {
        for (int t = 0;; t += VEC_W) {
            if (t + VEC_W > pairs)
                t = pairs - VEC_W;
            const VecF ev = vec_load(e + t), ov = vec_load(o + t);
            const VecF lo = __builtin_shufflevector(ev, ov, 0, 8, 1, 9, 2, 10,
                                                    3, 11);
            const VecF hi = __builtin_shufflevector(ev, ov, 4, 12, 5, 13, 6,
                                                    14, 7, 15);
            memcpy(dp + 2 * t, &lo, sizeof lo);
            memcpy(dp + 2 * t + VEC_W, &hi, sizeof hi);
            if (t + VEC_W == pairs)
                break;
        }
    } else
#endif
    for (int t = 0; t < pairs; t++) {
        dp[2 * t] = e[t];
        dp[2 * t + 1] = o[t];
    }
    if ((w - j) & 1)
        dp[2 * pairs] = e[pairs];
}

/* Write nb planes x [nb][h][w] (ReLU'd if relu, in the same pass) into
 * the image pixels of the stacked phase planes P; the padding is left as
 * it is. */
void dwstack_in(const DwShape *s, const DwPlan *q, int relu,
                const float *x, int nb, float *P)
{
    const size_t plane = (size_t)s->h * s->w;
    for (int b = 0; b < nb; b++)
        for (int i = 0; i < s->h; i++) {
            const int r = b * q->pitch + s->p + i;
            const float *src = x + b * plane + (size_t)i * s->w;
            if (s->s == 1) {
                float *d = P + (size_t)r * q->qw + s->p;
                if (relu)
                    copy_relu(d, src, (size_t)s->w);
                else
                    vec_copy(d, src, (size_t)s->w);
                continue;
            }
            /* stride 2: padded row r is row r/2 of the phase planes of
             * row parity r%2 */
            float *even = P + (size_t)((r & 1) * 2) * q->qsize +
                          (size_t)(r >> 1) * q->qw;
            row_split(even, even + q->qsize, src, s->w, s->p, relu);
        }
}

/* Write nb output-shaped planes dy [nb][oh][ow] (divided by K [oh][ow]
 * when K is given, through C) as stack output rows of width qw at dst;
 * the rest of dst is left as it is (zero). */
void dwstack_out_rows_in(const DwShape *s, const DwPlan *q,
                         const float *dy, const float *K, int nb,
                         float *C, float *dst)
{
    const size_t oplane = (size_t)s->oh * s->ow;
    if (K) {
        for (int b = 0; b < nb; b++)
            run_div(C + b * oplane, dy + b * oplane, K, oplane);
        dy = C;
    }
    for (int b = 0; b < nb; b++)
        for (int oy = 0; oy < s->oh; oy++)
            vec_copy(dst + (size_t)(b * q->orows + oy) * q->qw,
                     dy + b * oplane + (size_t)oy * s->ow, (size_t)s->ow);
}

/* y [nb][oh][ow] = the stack outputs Y (divided by K when given). */
void dwstack_out(const DwShape *s, const DwPlan *q, const float *Y,
                 const float *K, int nb, float *y)
{
    const size_t oplane = (size_t)s->oh * s->ow;
    for (int b = 0; b < nb; b++) {
        float *yp = y + b * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            vec_copy(yp + (size_t)oy * s->ow,
                     Y + (size_t)(b * q->orows + oy) * q->qw, (size_t)s->ow);
        if (K)
            run_div(yp, yp, K, oplane);
    }
}

/* dx [nb][h][w] += (or, with set, =) the gradient of the padded stack,
 * masked by x > 0 when x is given.  The gradient is D: phase planes of the
 * padded stack, or (rows_from_outputs, stride 1) stack outputs whose row
 * b * pitch + i is image b's row i.  C is scratch for the chunk's compact
 * planes, so the masked sum is one long loop; a stored gradient is
 * written into dx directly and masked there. */
void dwstack_unstack_add(const DwShape *s, const DwPlan *q, const float *D,
                         int rows_from_outputs, const float *x, int nb,
                         float *C, float *dx, int set)
{
    const size_t plane = (size_t)s->h * s->w;
    if (set)
        C = dx;
    for (int b = 0; b < nb; b++)
        for (int i = 0; i < s->h; i++) {
            float *cr = C + b * plane + (size_t)i * s->w;
            if (rows_from_outputs) {
                vec_copy(cr, D + (size_t)(b * q->pitch + i) * q->qw,
                         (size_t)s->w);
                continue;
            }
            const int r = b * q->pitch + s->p + i;
            if (s->s == 1) {
                vec_copy(cr, D + (size_t)r * q->qw + s->p, (size_t)s->w);
                continue;
            }
            /* padded (r, c) is at row r/2, column c/2 of phase (r%2, c%2) */
            const float *ph = D + (size_t)((r & 1) * 2) * q->qsize +
                              (size_t)(r >> 1) * q->qw;
            row_merge(cr, ph, ph + q->qsize, s->w, s->p);
        }
    if (!set)
        run_add(dx, C, x, (size_t)nb * plane);
    else if (x)
        run_mask(dx, x, (size_t)nb * plane);
}
