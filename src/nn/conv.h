/* conv.h - general convolution of the training engine (any kernel,
 * stride, padding, dilation) through im2col + OpenBLAS sgemm, with a naive
 * reference next to it (the *_naive functions) that tests compare against.
 * Depthwise convolution is in dwconv.h.
 *
 * Layout: every activation is channel-major with the batch kept together,
 * x[c][n][h][w] ("CNHW"), so a whole batch is one sgemm.  Weights are
 * w[cout][cin][kh][kw].
 * Backward functions ACCUMULATE into dx and dw (dx or dw may be NULL when not
 * wanted).  When relu_in is set the kernel reads relu(x) instead of x, and
 * the gradient it adds to dx is masked by x > 0 (ReLU fused into the input).
 * ReLU keeps NaN as NaN everywhere, so a diverging network shows it in the
 * loss.
 * Shapes are checked when the network is built; kernels return void. */
#ifndef NASVIEW_CONV_H
#define NASVIEW_CONV_H

#include <stddef.h>

typedef struct {
    int cin, cout;     /* channels */
    int kh, kw;        /* kernel */
    int sh, sw;        /* stride */
    int ph, pw;        /* padding before (may be negative: a shifted input) */
    int dh, dw;        /* dilation */
    int h, w;          /* input spatial size */
    int oh, ow;        /* output spatial size */
} ConvShape;

/* conv_shape_make - fill s; the output size is the usual
 * (h + 2p - d(k-1) - 1) / s + 1 for symmetric padding. */
ConvShape conv_shape_make(int cin, int cout, int kh, int kw, int sh, int sw,
                          int ph, int pw, int dh, int dw, int h, int w);

/* conv_workspace - floats of scratch conv_forward/conv_backward need for a
 * batch of n images. */
size_t conv_workspace(const ConvShape *s, int n);

/* conv_forward - y[cout][n][oh][ow] = w * x (overwrites y).
 * x: [cin][n][h][w]; ws: conv_workspace floats. */
void conv_forward(const ConvShape *s, int n, int relu_in, const float *x,
                  const float *w, float *y, float *ws);

/* conv_backward - dw += dL/dw, dx += dL/dx from dy [cout][n][oh][ow]. */
void conv_backward(const ConvShape *s, int n, int relu_in, const float *x,
                   const float *w, const float *dy, float *dx, float *dw,
                   float *ws);

/* conv_forward_part / conv_backward_part - the same restricted to images
 * [b0, b1) of the batch of n, so threads can split a batch: outputs and dx
 * of other images are not touched; col is this part's own scratch of
 * conv_workspace(s, b1 - b0) floats; dw is accumulated with this part's
 * contribution only.  With dx_set (allowed only where conv_sets_dx holds)
 * dx is stored instead of added to: every value of these images' planes
 * is written, whatever dx held. */
void conv_forward_part(const ConvShape *s, int n, int b0, int b1,
                       int relu_in, const float *x, const float *w, float *y,
                       float *col);
void conv_backward_part(const ConvShape *s, int n, int b0, int b1,
                        int relu_in, const float *x, const float *w,
                        const float *dy, float *dx, int dx_set, float *dw,
                        float *col);

/* conv_sets_dx - whether conv_backward_part can store dx (dx_set) for this
 * shape: a 1x1 convolution reading x itself (stride 1, no shift) whose
 * input gradient is one product, not a scatter. */
int conv_sets_dx(const ConvShape *s, int relu_in);

/* Naive references: same contracts, no workspace, plain loops. */
void conv_forward_naive(const ConvShape *s, int n, int relu_in,
                        const float *x, const float *w, float *y);
void conv_backward_naive(const ConvShape *s, int n, int relu_in,
                         const float *x, const float *w, const float *dy,
                         float *dx, float *dw);

#endif
