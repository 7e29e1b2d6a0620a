/* dwrows.h - the register-blocked row kernel of dwconv.c's stacked planes:
 * a block of several output rows at once, so one load of an input row
 * serves every output row whose window covers it.  Internal to src/nn/. */
#ifndef NASVIEW_DWROWS_H
#define NASVIEW_DWROWS_H

#include <stddef.h>

/* Output rows past the last one that dwrows_conv may write (and input rows
 * past the last one of the stack it may read): the slack dwconv.c's plan
 * gives the stacked buffers. */
#define DWROWS_SLACK_ROWS 8
/* Largest kernel the row kernels take. */
#define DWROWS_MAX_K 7

/* dwrows_conv - the k x k, stride s correlation of stacked phase planes
 * with weights w [k][k]:
 *     Y[r * qw + j] = sum over ki, kj of w[ki][kj] *
 *         P[((ki % s) * s + kj % s) * qsize + (r + ki / s) * qw + j + kj / s]
 * for the rows r in [0, rows) and the columns j in [0, ow) (ow <= qw).
 * The planes P (s * s of them, qsize floats apart) are read up to
 * DWROWS_SLACK_ROWS rows past row rows - 1 + (k - 1) / s and up to a
 * vector past each row's end; Y is written up to DWROWS_SLACK_ROWS rows
 * past row rows - 1 and a vector past column ow (values there are
 * garbage and every caller drops them).  Returns 0, writing nothing, for
 * a k or s it has no kernel for (k other than 3, 5, 7; s other than 1, 2);
 * then the caller uses its flat loop. */
int dwrows_conv(const float *P, size_t qsize, int qw, int k, int s,
                const float *w, int rows, int ow, float *Y);

/* dwrows_dw - the weight gradient of that correlation: dwc[ki][kj] +=
 * the sum over rows r in [0, rows) and columns j in [0, ow) of
 * Y[r * qw + j] * (the P value tap (ki, kj) reads for (r, j)).  Y is read
 * (columns [0, ow) only) up to DWROWS_SLACK_ROWS rows past row rows - 1,
 * which must hold zeros; P is read as for dwrows_conv.  The
 * sums run over each tap in a fixed order.  Returns 0, adding nothing, for
 * a k or s it has no kernel for. */
int dwrows_dw(const float *P, size_t qsize, int qw, int k, int s,
              const float *Y, int rows, int ow, float *dwc);

#endif
