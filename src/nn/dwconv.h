/* dwconv.h - depthwise k x k convolution (stride 1 or 2, padding k/2,
 * dilation 1) and average pooling built on the same plane kernels, for
 * channel-major activations x[c][n][h][w].  Direct vectorised loops, no
 * im2col; naive references next to them for the tests.
 *
 * Backward functions ACCUMULATE into dx and dw (either may be NULL).  With
 * relu_in the kernels read relu(x) and mask the gradient by x > 0. */
#ifndef NASVIEW_DWCONV_H
#define NASVIEW_DWCONV_H

#include <stddef.h>

/* Largest kernel the plane kernels take (7x7 is the largest the search
 * space uses). */
#define DWCONV_MAX_K 11

typedef struct {
    int c, k, s, p, h, w, oh, ow;
} DwShape;

/* dwconv_shape_make - k x k (odd, <= DWCONV_MAX_K), stride 1 or 2,
 * padding k/2 on c channels of h x w. */
DwShape dwconv_shape_make(int c, int k, int stride, int h, int w);

/* dwconv_workspace - floats of scratch any function here needs. */
size_t dwconv_workspace(const DwShape *s);

/* y [c][n][oh][ow] (overwritten) = depthwise w [c][k][k] * x. */
void dwconv_forward(const DwShape *s, int n, int relu_in, const float *x,
                    const float *w, float *y, float *ws);
void dwconv_backward(const DwShape *s, int n, int relu_in, const float *x,
                     const float *w, const float *dy, float *dx, float *dw,
                     float *ws);
void dwconv_forward_naive(const DwShape *s, int n, int relu_in,
                          const float *x, const float *w, float *y);
void dwconv_backward_naive(const DwShape *s, int n, int relu_in,
                           const float *x, const float *w, const float *dy,
                           float *dx, float *dw);

/* dwconv_forward_part / _backward_part - the two above on images [b0, b1)
 * of the n only (every channel): the parts of a batch split between
 * threads write disjoint planes, and each part passes its own ws and (for
 * the weight gradient) its own dw.  With dx_set backward stores dx
 * instead of adding to it: every value of these images' planes is
 * written, whatever dx held. */
void dwconv_forward_part(const DwShape *s, int n, int b0, int b1,
                         int relu_in, const float *x, const float *w, float *y,
                         float *ws);
void dwconv_backward_part(const DwShape *s, int n, int b0, int b1,
                          int relu_in, const float *x, const float *w,
                          const float *dy, float *dx, int dx_set, float *dw,
                          float *ws);

/* dwconv_avg_forward_part / _backward_part - k x k average pooling of
 * images [b0, b1), padding k/2 not counted in the mean (SPEC.md
 * avg_pool_3x3), as a box filter; dx_set as for dwconv_backward_part.
 * pool.c wraps these. */
void dwconv_avg_forward_part(const DwShape *s, int n, int b0, int b1,
                             const float *x, float *y, float *ws);
void dwconv_avg_backward_part(const DwShape *s, int n, int b0, int b1,
                              const float *dy, float *dx, int dx_set,
                              float *ws);
/* dwconv_max_forward_part / _backward_part - k x k max pooling of images
 * [b0, b1), padding k/2 (pads never win), as whole-stack vector loops.
 * The first largest value of a window in row order takes the gradient; a
 * window holding NaN gives its first NaN.  Backward adds into dx (stores
 * it with dx_set) and recomputes the maxima from x. */
void dwconv_max_forward_part(const DwShape *s, int n, int b0, int b1,
                             const float *x, float *y, float *ws);
void dwconv_max_backward_part(const DwShape *s, int n, int b0, int b1,
                              const float *x, const float *dy, float *dx,
                              int dx_set, float *ws);

#endif
