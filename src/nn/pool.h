/* pool.h - average and max pooling (k x k, padding k/2, stride s) on
 * channel-major activations x[c][n][h][w].
 * Average pooling does not count padding.  Max pooling's backward finds the
 * (first) maximum of each window again instead of storing indices.
 * Backward functions ACCUMULATE into dx. */
#ifndef NASVIEW_POOL_H
#define NASVIEW_POOL_H

#include <stddef.h>

typedef struct {
    int c, k, s, p, h, w, oh, ow;
} PoolShape;

/* pool_shape_make - a k x k pool, padding k/2, the given stride. */
PoolShape pool_shape_make(int c, int k, int stride, int h, int w);

/* pool_workspace - floats of scratch avgpool_forward/_backward need. */
size_t pool_workspace(const PoolShape *s);

/* y [c][n][oh][ow] (overwritten) from x [c][n][h][w]. */
void avgpool_forward(const PoolShape *s, int n, const float *x, float *y,
                     float *ws);
void avgpool_backward(const PoolShape *s, int n, const float *dy, float *dx,
                      float *ws);
/* Naive references of the two above (direct window loops). */
void avgpool_forward_naive(const PoolShape *s, int n, const float *x,
                           float *y);
void avgpool_backward_naive(const PoolShape *s, int n, const float *dy,
                            float *dx);
/* Max pooling: y [c][n][oh][ow] (overwritten) from x; backward adds into
 * dx the gradient of the first largest value of each window (row order),
 * recomputed from x.  ws: pool_workspace floats. */
void maxpool_forward(const PoolShape *s, int n, const float *x, float *y,
                     float *ws);
void maxpool_backward(const PoolShape *s, int n, const float *x,
                      const float *dy, float *dx, float *ws);
/* Naive references of the two above (a scan of each clipped window; the
 * same results on data without NaN). */
void maxpool_forward_naive(const PoolShape *s, int n, const float *x,
                           float *y);
void maxpool_backward_naive(const PoolShape *s, int n, const float *x,
                            const float *dy, float *dx);

/* The four above on images [b0, b1) of the n only (every channel): parts
 * of a batch split between threads write disjoint planes; each passes its
 * own ws.  With dx_set backward stores dx instead of adding to it: every
 * value of these images' planes is written, whatever dx held. */
void avgpool_forward_part(const PoolShape *s, int n, int b0, int b1,
                          const float *x, float *y, float *ws);
void avgpool_backward_part(const PoolShape *s, int n, int b0, int b1,
                           const float *dy, float *dx, int dx_set, float *ws);
void maxpool_forward_part(const PoolShape *s, int n, int b0, int b1,
                          const float *x, float *y, float *ws);
void maxpool_backward_part(const PoolShape *s, int n, int b0, int b1,
                           const float *x, const float *dy, float *dx,
                           int dx_set, float *ws);

#endif
