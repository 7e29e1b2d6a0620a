/* dwrows.c - depthwise correlation of stacked planes, several output rows
 * per register block.
 *
 * dwconv.c's flat loop runs each tap over the whole stack, so every
 * multiply-add costs a load (plus the broadcast weight): a load-bound
 * kernel.  Output row r + 1 reads through tap (ki, kj) what row r reads
 * through tap (ki + s, kj), so a block of R output rows x V vectors loads
 * each input row of its window once, for every output row that covers it:
 * (R + k/s - 1) loads instead of R * k/s per kernel column and phase.  k,
 * s, R and V are compile-time constants in every instance (the loops are
 * unrolled and the accumulators live in registers); other kernel sizes
 * keep dwconv.c's flat loop.
 *
 * Column blocks: rows of ow outputs are covered by ceil(ow / 8) vectors,
 * in blocks of at most 4.  The rightmost block may run past the row into
 * the next row's first columns; it is done first, for all rows, and the
 * other blocks (or, with one block, the next row itself) overwrite what
 * it wrote there. */
#include "config.h"

#include <string.h>

#include "nn/dwrows.h"
#include "base/vecops.h"

#if defined(__GNUC__) && !defined(__clang__)
#define DR_UNROLL _Pragma("GCC unroll 16")
#else
#define DR_UNROLL
#endif

/* Vectors a column block holds at most, and rows per block for a block
 * of V vectors: about 12 accumulators, with room for the loaded row and
 * the kernel column's weights. */
#define DR_VMAX 4
#define DR_RMAX 8
#define DR_ROWS(V) ((V) == 1 ? 8 : (V) == 2 ? 6 : (V) == 3 ? 4 : 3)

_Static_assert(DR_RMAX <= DWROWS_SLACK_ROWS, "row blocks stay in the slack");

/* Y rows [r0, r0 + R), columns [j0, j0 + V * VEC_W). */
static inline __attribute__((always_inline)) void
dr_block(const float *P, size_t qsize, int qw, const float *w, size_t r0,
         int j0, float *Y, const int k, const int s, const int R,
         const int V)
{
    VecF acc[DR_RMAX][DR_VMAX];
    DR_UNROLL
    for (int d = 0; d < R; d++)
        DR_UNROLL
        for (int v = 0; v < V; v++)
            acc[d][v] = (VecF){ 0 };
    DR_UNROLL
    for (int kj = 0; kj < k; kj++)
        DR_UNROLL
        for (int a = 0; a < s; a++) {
            const int nm = (k - a + s - 1) / s; /* kernel rows ki = a + s m */
            const float *base = P + (size_t)(a * s + kj % s) * qsize +
                                r0 * (size_t)qw + (size_t)(kj / s + j0);
            VecF wm[DR_RMAX];
            DR_UNROLL
            for (int m = 0; m < nm; m++) {
                wm[m] = (VecF){ 0 };
                wm[m] += w[(a + s * m) * k + kj];
            }
            DR_UNROLL
            for (int u = 0; u < R + nm - 1; u++) {
                VecF xv[DR_VMAX];
                DR_UNROLL
                for (int v = 0; v < V; v++)
                    xv[v] = vec_load(base + (size_t)u * qw + v * VEC_W);
                DR_UNROLL
                for (int d = 0; d < R; d++) {
                    const int m = u - d;
                    if (m < 0 || m >= nm)
                        continue;
                    DR_UNROLL
                    for (int v = 0; v < V; v++)
                        acc[d][v] += wm[m] * xv[v];
                }
            }
        }
    DR_UNROLL
    for (int d = 0; d < R; d++)
        memcpy(Y + (r0 + d) * (size_t)qw + j0, acc[d],
               sizeof(VecF) * (size_t)V);
}

/* One column block over every row, in blocks of R rows (the last block may
 * run into the slack). */
static inline __attribute__((always_inline)) void
dr_column(const float *P, size_t qsize, int qw, const float *w, int rows,
          int j0, float *Y, const int k, const int s, const int V)
{
    const int R = DR_ROWS(V);
    for (int r0 = 0; r0 < rows; r0 += R)
        dr_block(P, qsize, qw, w, (size_t)r0, j0, Y, k, s, R, V);
}

static inline __attribute__((always_inline)) void
dr_column_v(const float *P, size_t qsize, int qw, const float *w, int rows,
            int j0, int V, float *Y, const int k, const int s)
{
    switch (V) {
    case 1:
        dr_column(P, qsize, qw, w, rows, j0, Y, k, s, 1);
        break;
    case 2:
        dr_column(P, qsize, qw, w, rows, j0, Y, k, s, 2);
        break;
    case 3:
        dr_column(P, qsize, qw, w, rows, j0, Y, k, s, 3);
        break;
    default:
        dr_column(P, qsize, qw, w, rows, j0, Y, k, s, 4);
        break;
    }
}

/* The rightmost block first (it may write into the next row's first
 * columns), then the others from the left. */
static inline __attribute__((always_inline)) void
dr_conv(const float *P, size_t qsize, int qw, const float *w, int rows,
        int ow, float *Y, const int k, const int s)
{
    const int nv = (ow + VEC_W - 1) / VEC_W;
    const int full = (nv - 1) / DR_VMAX; /* blocks left of the rightmost */
    const int last = nv - full * DR_VMAX;
    dr_column_v(P, qsize, qw, w, rows, full * DR_VMAX * VEC_W, last, Y, k, s);
    for (int b = 0; b < full; b++)
        dr_column(P, qsize, qw, w, rows, b * DR_VMAX * VEC_W, Y, k, s,
                  DR_VMAX);
}

int dwrows_conv(const float *P, size_t qsize, int qw, int k, int s,
                const float *w, int rows, int ow, float *Y)
{
    if (s == 1 && k == 3)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 3, 1);
    else if (s == 1 && k == 5)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 5, 1);
    else if (s == 1 && k == 7)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 7, 1);
    else if (s == 2 && k == 3)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 3, 2);
    else if (s == 2 && k == 5)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 5, 2);
    else if (s == 2 && k == 7)
        dr_conv(P, qsize, qw, w, rows, ow, Y, 7, 2);
    else
        return 0;
    return 1;
}

/* ---- the weight gradient ------------------------------------------------ */

typedef int DrVecI __attribute__((vector_size(VEC_W * sizeof(int))));

/* Kernel rows (of one row phase) whose taps a weight-gradient block holds:
 * MB x k accumulators. */
#define DR_MB(k) ((k) <= 3 ? 3 : (k) <= 5 ? 3 : 2)
/* Gradient rows per weight-gradient block. */
#define DR_DW_ROWS 4

/* acc[m][kj] += sum over rows r0 + [0, R) of Y[r][8 j'..] * P[phase(a, kj)]
 * [(r + m0 + m) * qw + ...]: the taps ki = a + s (m0 + m), m < MB, of
 * every kernel column, for one column vector (lanes masked by lm). */
static inline __attribute__((always_inline)) void
dr_dw_block(const float *P, size_t qsize, int qw, const float *Y, size_t r0,
            int j0, DrVecI lm, VecF acc[][DWROWS_MAX_K], int a, int m0,
            const int k, const int s, const int MB, const int R)
{
    VecF yv[DR_DW_ROWS];
    DR_UNROLL
    for (int d = 0; d < R; d++)
        yv[d] = (VecF)((DrVecI)vec_load(Y + (r0 + d) * (size_t)qw + j0) & lm);
    DR_UNROLL
    for (int kj = 0; kj < k; kj++) {
        const float *base = P + (size_t)(a * s + kj % s) * qsize +
                            (r0 + (size_t)m0) * qw + (size_t)(kj / s + j0);
        DR_UNROLL
        for (int u = 0; u < R + MB - 1; u++) {
            const VecF pv = vec_load(base + (size_t)u * qw);
            DR_UNROLL
            for (int d = 0; d < R; d++) {
                const int m = u - d;
                if (m < 0 || m >= MB)
                    continue;
                acc[m][kj] += yv[d] * pv;
            }
        }
    }
}

/* dwc[ki][kj] += the sums over every row and column of the taps ki = a +
 * s (m0 + m), m < MB. */
static inline __attribute__((always_inline)) void
dr_dw_group(const float *P, size_t qsize, int qw, const float *Y, int rows,
            int ow, float *dwc, int a, int m0, const int k, const int s,
            const int MB)
{
    VecF acc[DR_MB(3)][DWROWS_MAX_K];
    DR_UNROLL
    for (int m = 0; m < MB; m++)
        DR_UNROLL
        for (int kj = 0; kj < k; kj++)
            acc[m][kj] = (VecF){ 0 };
    for (int j0 = 0; j0 < ow; j0 += VEC_W) {
        DrVecI lm;
        for (int l = 0; l < VEC_W; l++)
            lm[l] = j0 + l < ow ? -1 : 0;
        for (int r0 = 0; r0 < rows; r0 += DR_DW_ROWS)
            dr_dw_block(P, qsize, qw, Y, (size_t)r0, j0, lm, acc, a, m0, k,
                        s, MB, DR_DW_ROWS);
    }
    DR_UNROLL
    for (int m = 0; m < MB; m++)
        DR_UNROLL
        for (int kj = 0; kj < k; kj++)
            dwc[(a + s * (m0 + m)) * k + kj] += vec_hsum(acc[m][kj]);
}

static inline __attribute__((always_inline)) void
dr_dw(const float *P, size_t qsize, int qw, const float *Y, int rows, int ow,
      float *dwc, const int k, const int s)
{
    const int MB = DR_MB(k);
    DR_UNROLL
    for (int a = 0; a < s; a++) {
        const int nm = (k - a + s - 1) / s;
        int m0 = 0;
        for (; m0 + MB <= nm; m0 += MB)
            dr_dw_group(P, qsize, qw, Y, rows, ow, dwc, a, m0, k, s, MB);
        switch (nm - m0) {
        case 1:
            dr_dw_group(P, qsize, qw, Y, rows, ow, dwc, a, m0, k, s, 1);
            break;
        case 2:
            dr_dw_group(P, qsize, qw, Y, rows, ow, dwc, a, m0, k, s, 2);
            break;
        default:
            break;
        }
    }
}

int dwrows_dw(const float *P, size_t qsize, int qw, int k, int s,
              const float *Y, int rows, int ow, float *dwc)
{
    if (s == 1 && k == 3)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 3, 1);
    else if (s == 1 && k == 5)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 5, 1);
    else if (s == 1 && k == 7)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 7, 1);
    else if (s == 2 && k == 3)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 3, 2);
    else if (s == 2 && k == 5)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 5, 2);
    else if (s == 2 && k == 7)
        dr_dw(P, qsize, qw, Y, rows, ow, dwc, 7, 2);
    else
        return 0;
    return 1;
}
