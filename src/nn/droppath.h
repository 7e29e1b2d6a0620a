/* droppath.h - the drop-path layer's passes, for layers.c's kind table
 * (private to the nn module; the constructor and the mask are declared in
 * layers.h). */
#ifndef NASVIEW_DROPPATH_H
#define NASVIEW_DROPPATH_H

#include "nn/layers.h"

/* droppath_layer_forward / droppath_layer_backward - this part's images:
 * y = x * scale[j] in training with a mask set, y = x otherwise; backward
 * adds dy * scale[j] (or dy) into dx. */
void droppath_layer_forward(Layer *l, const LayerCtx *cx);
void droppath_layer_backward(Layer *l, const LayerCtx *cx);
/* droppath_layer_cost - its training-step cost for the roofline (LayerCost). */
LayerCost droppath_layer_cost(const Layer *l);

#endif
