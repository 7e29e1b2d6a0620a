/* head.h - the classifier head's layer passes (global average pool,
 * linear), for layers.c's kind table (private to the nn module; the
 * constructors are declared in layers.h). */
#ifndef NASVIEW_HEAD_H
#define NASVIEW_HEAD_H

#include <stdint.h>

#include "nn/layers.h"

/* head_gap_forward / _backward - y[c][j] = the mean of relu?(x)'s plane
 * (c, j) for this part's images j; backward adds dy / (h w) (masked by
 * x > 0 with the input ReLU) into dx. */
void head_gap_forward(Layer *l, const LayerCtx *cx);
void head_gap_backward(Layer *l, const LayerCtx *cx);
/* head_gap_cost - its training-step cost for the roofline. */
LayerCost head_gap_cost(const Layer *l);
/* head_gap_relu_input - the input it applies ReLU to, or NULL. */
const Tensor *head_gap_relu_input(const Layer *l);

/* head_linear_forward / _backward - y = W x + b on this part's columns;
 * backward adds into dW and db (this part's copies) and into dx. */
void head_linear_forward(Layer *l, const LayerCtx *cx);
void head_linear_backward(Layer *l, const LayerCtx *cx);
/* head_linear_mult_adds / _cost - one image's multiply-adds, and its
 * training-step cost for the roofline. */
int64_t head_linear_mult_adds(const Layer *l);
LayerCost head_linear_cost(const Layer *l);

#endif
