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
#include "base/vecops.h"

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

static size_t pw_workspace(const ConvShape *s);

/* Whether a 1x1 convolution runs as the direct products below rather
 * than im2col + sgemm: when few output rows leave it bound by streaming
 * the operands, and im2col (strided, shifted or ReLU'd input) or tiny rows
 * make sgemm move more.  With more output channels sgemm's wider kernels win
 * (measured on AVX-512: 16 -> 16 channels without ReLU, 160 -> 32 with). */
static int conv_use_pw(const ConvShape *s, int relu_in)
{
    if (s->kh != 1 || s->kw != 1 || s->cout > 16)
        return 0;
    return !conv_is_plain(s) || relu_in || s->cin * s->cout <= 64;
}

size_t conv_workspace(const ConvShape *s, int n)
{
    /* a 1x1 convolution with few outputs runs direct or (plain, no ReLU)
     * as sgemm on x itself; the others go through im2col */
    if (s->kh == 1 && s->kw == 1 && s->cout <= 16)
        return pw_workspace(s);
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

/* ---- 1x1 stride-1 convolutions as direct products -------------------------
 *
 * A plain convolution is the product W [cout][cin] X [cin][cols] over the
 * batch's columns.  With the channel counts of a child network (8 to a
 * few hundred) and tens of thousands of columns, the product is bound by
 * streaming X and Y, so it runs chunk by chunk of columns: the chunk of
 * the operand read many times is packed (ReLU applied) into a small
 * contiguous buffer that stays in L1/L2, and the other tensors stream
 * through once; the input gradient takes ReLU's mask from the packed
 * values, and the weight gradient and the input gradient share one pass.
 * im2col + sgemm would instead copy relu(x) whole, and backward write and
 * scatter a gradient matrix as large as x.  Packing also keeps the rows
 * apart: a row of a whole batch is a multiple of 4 KiB, so unpacked rows
 * of one column fall in one L1 set. */

typedef int VecI __attribute__((vector_size(VEC_W * sizeof(int))));

/* Output rows a register block holds: PW_ROWS x 2 vectors of accumulators
 * plus two input vectors fit the vector registers (32 with AVX-512VL, 16
 * with AVX2). */
#if defined(__AVX512VL__)
#define PW_ROWS 8
#else
#define PW_ROWS 4
#endif
#define PW_COLS (2 * VEC_W)
/* Floats a chunk's packed operands aim at (64 KiB), and the fewest
 * columns a chunk has. */
#define PW_PACK_FLOATS 16384
#define PW_MIN_CHUNK 64

/* Full unrolling of the loops over a register block's rows, so its
 * accumulators stay in registers (GCC does not unroll them at -O2). */
#if defined(__GNUC__) && !defined(__clang__)
#define PW_UNROLL _Pragma("GCC unroll 8")
#else
#define PW_UNROLL
#endif

static inline VecF vec_relu(VecF v)
{
    return (VecF)((VecI)v & ~(VecI)(v < 0.0f)); /* NaN stays NaN */
}

/* v where m > 0, else 0 (ReLU's gradient mask; relu(x) > 0 iff x > 0). */
static inline VecF vec_mask_pos(VecF v, VecF m)
{
    return (VecF)((VecI)v & (VecI)(m > 0.0f));
}

static inline void vec_store(float *p, VecF v)
{
    memcpy(p, &v, sizeof v);
}

/* Columns per chunk for `rows` packed rows: a multiple of PW_COLS. */
static long pw_chunk(int rows)
{
    long c = PW_PACK_FLOATS / (rows > 0 ? rows : 1) / PW_COLS * PW_COLS;
    return c < PW_MIN_CHUNK ? PW_MIN_CHUNK : c;
}

/* Floats of packing scratch a 1x1 convolution needs: forward packs cin
 * rows, backward pw_back_rows, rounded up to whole vectors. */
static int pw_back_rows(const ConvShape *s);

static size_t pw_pack_floats(const ConvShape *s)
{
    const size_t f = (size_t)s->cin * (size_t)pw_chunk(s->cin);
    const int rows = pw_back_rows(s);
    const size_t b = (size_t)rows * (size_t)pw_chunk(rows);
    return ((f > b ? f : b) + VEC_W - 1) / VEC_W * VEC_W;
}

/* The packed chunks and the weight gradient's cin x cout vector sums. */
static size_t pw_workspace(const ConvShape *s)
{
    return pw_pack_floats(s) + (size_t)VEC_W * s->cin * s->cout;
}

/* P [rows][ld] = f(X [rows][i0, i0 + len)) (row stride ldx), f = relu when
 * relu, zero from len up to a whole block. */
static void pw_pack(float *restrict P, long ld, const float *restrict X,
                    long ldx, int rows, long i0, long len, int relu)
{
    const long padded = (len + PW_COLS - 1) / PW_COLS * PW_COLS;
    for (int r = 0; r < rows; r++) {
        float *restrict d = P + r * ld;
        const float *restrict x = X + r * ldx + i0;
        if (relu)
            for (long i = 0; i < len; i++)
                d[i] = x[i] < 0.0f ? 0.0f : x[i];
        else
            memcpy(d, x, sizeof(float) * (size_t)len);
        for (long i = len; i < padded; i++)
            d[i] = 0.0f;
    }
}

/* Strided or shifted 1x1 convolutions (factorized reduce, reduction
 * cells): column j of a part is its image j / (oh ow), output pixel (oy,
 * ox), which reads input pixel (oy sh - ph, ox sw - pw), zero outside the
 * image.  The columns of a chunk run one output row at a time. */
typedef struct {
    long col;      /* the row's first column, from the part's start */
    long b;        /* its image, from the part's first */
    int oy, ox0;   /* its output row and first column */
    long seg;      /* columns in it */
} PwRun;

/* The run holding column col (of a part), at most `left` columns long. */
static PwRun pw_run(const ConvShape *s, long col, long left)
{
    const long ohw = (long)s->oh * s->ow, rem = col % ohw;
    PwRun r = { col, col / ohw, (int)(rem / s->ow), (int)(rem % s->ow), 0 };
    r.seg = s->ow - r.ox0 < left ? s->ow - r.ox0 : left;
    return r;
}

/* The columns of a run [a, b) (from its ox0) whose input pixels are
 * inside the image, and the first one's input column. */
static void pw_run_valid(const ConvShape *s, const PwRun *run, long *a,
                         long *b, long *ix)
{
    int lo, hi;
    conv_valid_range(-s->pw, s->sw, s->w, s->ow, &lo, &hi);
    long x0 = run->ox0, x1 = run->ox0 + run->seg;
    if (x0 < lo)
        x0 = lo;
    if (x1 > hi)
        x1 = hi;
    if (x1 < x0)
        x1 = x0;
    *a = x0 - run->ox0;
    *b = x1 - run->ox0;
    *ix = x0 * s->sw - s->pw;
}

/* P [rows][ld] = f(the input pixels of columns [c0, c0 + len)) of x
 * (channel stride xstride, the part's first image at x), f = relu when
 * relu, zero past len up to a whole block. */
static void pw_gather(const ConvShape *s, float *restrict P, long ld,
                      const float *restrict x, long xstride, int rows,
                      long c0, long len, int relu)
{
    const long hw = (long)s->h * s->w;
    const long padded = (len + PW_COLS - 1) / PW_COLS * PW_COLS;
    for (long j = 0; j < len;) {
        const PwRun run = pw_run(s, c0 + j, len - j);
        const int iy = run.oy * s->sh - s->ph;
        long a, b, ix;
        pw_run_valid(s, &run, &a, &b, &ix);
        if (iy < 0 || iy >= s->h)
            a = b = 0;
        for (int r = 0; r < rows; r++) {
            float *d = P + r * ld + j;
            for (long t = 0; t < a; t++)
                d[t] = 0.0f;
            if (b > a)
                row_gather(d + a, x + r * xstride + run.b * hw +
                                      (long)iy * s->w + ix,
                           (int)(b - a), s->sw, relu);
            for (long t = b > a ? b : a; t < run.seg; t++)
                d[t] = 0.0f;
        }
        j += run.seg;
    }
    for (int r = 0; r < rows; r++)
        for (long i = len; i < padded; i++)
            P[r * ld + i] = 0.0f;
}

/* dx += G [rows][ld] put back at the input pixels of columns [c0, c0 +
 * len) (pw_gather's inverse; no two columns share a pixel). */
static void pw_scatter_add(const ConvShape *s, float *restrict dx,
                           long xstride, const float *restrict G, long ld,
                           int rows, long c0, long len)
{
    const long hw = (long)s->h * s->w;
    for (long j = 0; j < len;) {
        const PwRun run = pw_run(s, c0 + j, len - j);
        const int iy = run.oy * s->sh - s->ph;
        long a, b, ix;
        pw_run_valid(s, &run, &a, &b, &ix);
        if (iy >= 0 && iy < s->h && b > a) {
            const long at = run.b * hw + (long)iy * s->w + ix;
            for (int r = 0; r < rows; r++)
                row_scatter_add(dx + r * xstride + at, NULL,
                                G + r * ld + j + a, (int)(b - a), s->sw, 0);
        }
        j += run.seg;
    }
}

/* One block of rows [r0, r0 + rb) and packed columns [i, i + PW_COLS), of
 * which the first `valid` are real:
 * C[r][i] = (acc ? C : 0) + mask(Mk[r][i] > 0) * sum_k a(r, k) B[k][i],
 * a(r, k) = A[r * ars + k * aks]; B and Mk are packed (row stride ld).
 * rb is a constant after inlining, so the accumulators live in
 * registers. */
static inline __attribute__((always_inline)) void
pw_block(int rb, int r0, int K, const float *A, long ars, long aks,
         const float *B, const float *Mk, long ld, float *C, long ldc,
         long i, int valid, int acc)
{
    VecF c0[PW_ROWS], c1[PW_ROWS];
    PW_UNROLL
    for (int r = 0; r < rb; r++)
        c0[r] = c1[r] = (VecF){ 0 };
    const float *a = A + (long)r0 * ars;
    for (int k = 0; k < K; k++) {
        const VecF b0 = vec_load(B + k * ld + i);
        const VecF b1 = vec_load(B + k * ld + i + VEC_W);
        PW_UNROLL
        for (int r = 0; r < rb; r++) {
            const float w = a[r * ars + k * aks];
            c0[r] += w * b0;
            c1[r] += w * b1;
        }
    }
    PW_UNROLL
    for (int r = 0; r < rb; r++) {
        float *cr = C + (long)(r0 + r) * ldc;
        VecF v0 = c0[r], v1 = c1[r];
        if (Mk) {
            const float *mr = Mk + (long)(r0 + r) * ld + i;
            v0 = vec_mask_pos(v0, vec_load(mr));
            v1 = vec_mask_pos(v1, vec_load(mr + VEC_W));
        }
        if (valid == PW_COLS) {
            if (acc) {
                v0 += vec_load(cr + i);
                v1 += vec_load(cr + i + VEC_W);
            }
            vec_store(cr + i, v0);
            vec_store(cr + i + VEC_W, v1);
        } else {
            float t[PW_COLS];
            vec_store(t, v0);
            vec_store(t + VEC_W, v1);
            for (int j = 0; j < valid; j++)
                cr[i + j] = acc ? cr[i + j] + t[j] : t[j];
        }
    }
}

/* Columns [0, len) of C [M] (row stride ldc, already offset to the chunk)
 * = or += mask(Mk > 0) * A B with B [K] and Mk [M] packed (row stride
 * ld, zero past len up to a whole block).  A block of rows runs along the
 * chunk, so only its rows of C stream at a time. */
static void pw_gemm(int M, int K, const float *A, long ars, long aks,
                    const float *B, const float *Mk, long ld, float *C,
                    long ldc, long len, int acc)
{
    int r0 = 0;
    for (; r0 + PW_ROWS <= M; r0 += PW_ROWS)
        for (long i = 0; i < len; i += PW_COLS)
            pw_block(PW_ROWS, r0, K, A, ars, aks, B, Mk, ld, C, ldc, i,
                     len - i < PW_COLS ? (int)(len - i) : PW_COLS, acc);
    if (PW_ROWS > 4 && M - r0 >= 4) {
        for (long i = 0; i < len; i += PW_COLS)
            pw_block(4, r0, K, A, ars, aks, B, Mk, ld, C, ldc, i,
                     len - i < PW_COLS ? (int)(len - i) : PW_COLS, acc);
        r0 += 4;
    }
    for (; r0 < M; r0++)
        for (long i = 0; i < len; i += PW_COLS)
            pw_block(1, r0, K, A, ars, aks, B, Mk, ld, C, ldc, i,
                     len - i < PW_COLS ? (int)(len - i) : PW_COLS, acc);
}

/* S [m][k] (VEC_W partial sums each, K of them a row) += D[m][i] B[k][i]
 * lane by lane over packed columns [0, len) for rows m in [m0, m0 + mb),
 * k in [k0, k0 + kb); D and B packed (row stride ld, zero past the real
 * columns); len a multiple of VEC_W. */
static inline __attribute__((always_inline)) void
pw_dw_block(int mb, int kb, int m0, int k0, const float *D, const float *B,
            long ld, long len, float *S, int K)
{
    VecF s[4][4];
    PW_UNROLL
    for (int m = 0; m < mb; m++)
        PW_UNROLL
        for (int k = 0; k < kb; k++)
            s[m][k] = vec_load(S + ((long)(m0 + m) * K + k0 + k) * VEC_W);
    for (long i = 0; i < len; i += VEC_W) {
        VecF b[4];
        PW_UNROLL
        for (int k = 0; k < kb; k++)
            b[k] = vec_load(B + (long)(k0 + k) * ld + i);
        PW_UNROLL
        for (int m = 0; m < mb; m++) {
            const VecF d = vec_load(D + (long)(m0 + m) * ld + i);
            PW_UNROLL
            for (int k = 0; k < kb; k++)
                s[m][k] += d * b[k];
        }
    }
    PW_UNROLL
    for (int m = 0; m < mb; m++)
        PW_UNROLL
        for (int k = 0; k < kb; k++)
            vec_store(S + ((long)(m0 + m) * K + k0 + k) * VEC_W, s[m][k]);
}

/* S [M][K] += D [M] B [K]^T lane by lane over one chunk's packed
 * columns. */
static void pw_gemm_dw(int M, int K, const float *D, const float *B,
                       long ld, long len, float *S)
{
    const long padded = (len + PW_COLS - 1) / PW_COLS * PW_COLS;
    int m0 = 0;
    for (; m0 + 4 <= M; m0 += 4) {
        int k0 = 0;
        for (; k0 + 4 <= K; k0 += 4)
            pw_dw_block(4, 4, m0, k0, D, B, ld, padded, S, K);
        for (; k0 < K; k0++)
            pw_dw_block(4, 1, m0, k0, D, B, ld, padded, S, K);
    }
    for (; m0 < M; m0++) {
        int k0 = 0;
        for (; k0 + 4 <= K; k0 += 4)
            pw_dw_block(1, 4, m0, k0, D, B, ld, padded, S, K);
        for (; k0 < K; k0++)
            pw_dw_block(1, 1, m0, k0, D, B, ld, padded, S, K);
    }
}

/* Packed rows of the operand x for a chunk: straight from its rows
 * (plain) or gathered (strided or shifted). */
static void pw_pack_x(const ConvShape *s, float *P, long ld, const float *x,
                      long xstride, int rows, long c0, long len, int relu)
{
    if (conv_is_plain(s))
        pw_pack(P, ld, x, xstride, rows, c0, len, relu);
    else
        pw_gather(s, P, ld, x, xstride, rows, c0, len, relu);
}

/* y [cout] (columns [0, part), row stride cols) = W relu?(x); x is the
 * part's first image of channel 0, channels xstride apart. */
static void pw_forward(const ConvShape *s, int relu, const float *x,
                       long xstride, long cols, const float *w, float *y,
                       long part, float *ws)
{
    const long chunk = pw_chunk(s->cin);
    for (long c0 = 0; c0 < part; c0 += chunk) {
        const long len = part - c0 < chunk ? part - c0 : chunk;
        pw_pack_x(s, ws, chunk, x, xstride, s->cin, c0, len, relu);
        pw_gemm(s->cout, s->cin, w, s->cin, 1, ws, NULL, chunk, y + c0, cols,
                len, 0);
    }
}

/* Rows packed per chunk backward: x and dy, and (strided or shifted) the
 * input gradient before it is put back. */
static int pw_back_rows(const ConvShape *s)
{
    return s->cin + s->cout + (conv_is_plain(s) ? 0 : s->cin);
}

/* dw += dy relu?(x)^T, dx += mask * W^T dy over columns [0, part) (x and
 * dx as in pw_forward, dy row stride cols).  The weight gradient's sums
 * stay vectors (in ws, after the packed chunks) until the last chunk. */
static void pw_backward(const ConvShape *s, int relu, const float *x,
                        long xstride, long cols, const float *w,
                        const float *dy, float *dx, int dx_set, float *dw,
                        long part, float *ws)
{
    const int cin = s->cin, cout = s->cout, plain = conv_is_plain(s);
    const int need_x = dw || (dx && relu);
    const long chunk = pw_chunk(pw_back_rows(s));
    float *px = ws, *pd = ws + (size_t)cin * chunk;
    float *pg = pd + (size_t)cout * chunk;
    float *S = ws + pw_pack_floats(s);
    if (dw)
        memset(S, 0, sizeof(float) * VEC_W * (size_t)cin * cout);
    for (long c0 = 0; c0 < part; c0 += chunk) {
        const long len = part - c0 < chunk ? part - c0 : chunk;
        if (need_x)
            pw_pack_x(s, px, chunk, x, xstride, cin, c0, len, relu);
        pw_pack(pd, chunk, dy, cols, cout, c0, len, 0);
        if (dw)
            pw_gemm_dw(cout, cin, pd, px, chunk, len, S);
        if (!dx)
            continue;
        if (plain) {
            pw_gemm(cin, cout, w, 1, cin, pd, relu ? px : NULL, chunk,
                    dx + c0, xstride, len, !dx_set);
        } else {
            pw_gemm(cin, cout, w, 1, cin, pd, relu ? px : NULL, chunk, pg,
                    chunk, len, 0);
            pw_scatter_add(s, dx, xstride, pg, chunk, cin, c0, len);
        }
    }
    if (dw)
        for (size_t t = 0; t < (size_t)cin * cout; t++)
            dw[t] += vec_hsum(vec_load(S + t * VEC_W));
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
    if (conv_use_pw(s, relu_in)) {
        const size_t hw = (size_t)s->h * s->w;
        pw_forward(s, relu_in, x + (size_t)b0 * hw, (long)n * (long)hw, cols,
                   w, y + (size_t)b0 * ohw, part, col);
        return;
    }
    if (!conv_is_plain(s) || relu_in) {
        conv_im2col(s, n, b0, b1, relu_in, x, col);
        B = col;
        ldb = part;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->cout, part, K,
                1.0f, w, K, B, ldb, 0.0f, y + (size_t)b0 * ohw, cols);
}

int conv_sets_dx(const ConvShape *s, int relu_in)
{
    return conv_is_plain(s) && (conv_use_pw(s, relu_in) || !relu_in);
}

void conv_backward_part(const ConvShape *s, int n, int b0, int b1,
                        int relu_in, const float *x, const float *w,
                        const float *dy, float *dx, int dx_set, float *dw,
                        float *col)
{
    const int K = s->cin * s->kh * s->kw;
    const int ohw = s->oh * s->ow, cols = n * ohw;
    const int part = (b1 - b0) * ohw;
    const int plain = conv_is_plain(s);
    const size_t o = (size_t)b0 * ohw;
    if (part <= 0)
        return;
    if (conv_use_pw(s, relu_in)) {
        const size_t hw = (size_t)s->h * s->w, xo = (size_t)b0 * hw;
        pw_backward(s, relu_in, x + xo, (long)n * (long)hw, cols, w, dy + o,
                    dx ? dx + xo : NULL, dx_set, dw, part, col);
        return;
    }
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
                    1.0f, w, K, dy + o, cols, dx_set ? 0.0f : 1.0f, dx + o,
                    cols);
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
    conv_backward_part(s, n, 0, n, relu_in, x, w, dy, dx, 0, dw, ws);
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
