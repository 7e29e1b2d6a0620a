/* child.h - the child network of SPEC.md section 2 for a genotype: stem,
 * three stacks of N normal cells separated by two reduction cells, head.
 * It only builds the layer graph (network.h); training is train.c's. */
#ifndef NASVIEW_CHILD_H
#define NASVIEW_CHILD_H

#include "space/genotype.h"
#include "nn/network.h"
#include "base/nv_error.h"

typedef struct {
    int F, N;          /* filters of the first stack, normal cells per stack */
    int c, h, w;       /* input image shape */
    int classes;
} ChildShape;

/* child_build - build (but do not finish) the child network of g into a new
 * network for batches of up to max_batch images.  *input receives the
 * image tensor, *logits the [classes] output.  Returns NV_OK and *out (the
 * caller owns it: net_free), or NV_ERR_USAGE for impossible shapes (F, N,
 * classes below 1, an image too small for two reductions), NV_ERR_NOMEM. */
NvStatus child_build(const Genotype *g, const ChildShape *shape,
                     int max_batch, Net **out, Tensor **input,
                     Tensor **logits, NvError *err);

/* child_build_opts - child_build, with drop_path 1 adding a drop-path
 * layer (network.h, net_droppath_draw) after every operation of every
 * cell whose output is not its input (all but a plain identity).  The
 * parameters are the same as without. */
NvStatus child_build_opts(const Genotype *g, const ChildShape *shape,
                          int max_batch, int drop_path, Net **out,
                          Tensor **input, Tensor **logits, NvError *err);

#endif
