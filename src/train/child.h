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

/* child_build_with - child_build_opts and child_build_shared at once (the
 * two others are this with lend NULL, or drop_path 0). */
NvStatus child_build_with(const Genotype *g, const ChildShape *shape,
                          int max_batch, int drop_path, NetLendFn lend,
                          void *lend_ctx, Net **out, Tensor **input,
                          Tensor **logits, NvError *err);

/* child_build_aux - child_build_opts plus the auxiliary classifier of the
 * paper's final training, on the output of the second reduction cell:
 * ReLU, two 5x5 average pools of stride 2 (padding 2, not counted), 1x1
 * conv to 4F channels, BN, ReLU, a conv over the whole pooled plane to
 * 24F, BN, ReLU, linear to the classes; *aux receives its [classes] logits.  Its
 * layers are built after the rest, so the network's own parameters, their
 * initial values and the batch-norm statistics come first in build order
 * and equal child_build_opts's.  Same returns. */
NvStatus child_build_aux(const Genotype *g, const ChildShape *shape,
                         int max_batch, int drop_path, Net **out,
                         Tensor **input, Tensor **logits, Tensor **aux,
                         NvError *err);

/* child_build_no_bn - child_build with every batch-norm layer left out
 * (each is the identity: network.h, net_skip_bn), as synflow scores a
 * network (zerocost.h).  Same returns. */
NvStatus child_build_no_bn(const Genotype *g, const ChildShape *shape,
                           int max_batch, Net **out, Tensor **input,
                           Tensor **logits, NvError *err);

/* child_build_shared - child_build, but every parameter is borrowed from
 * lend(lend_ctx, ...) (network.h): the op applied to input j of block b of
 * the cell at position p (0-based, stem side first) on C_in channels, the
 * stem, and the preprocessing convs of each state a cell leaves unused
 * (the output concat is split into its states, each with a conv of its
 * own, added: the same function) borrow the tensors of their own key, so
 * two children that share such a choice share its tensors.  One layer
 * differs from child_build's network, as in ENAS: the last cell's unused
 * states go through such convs and a batch norm to C channels before the
 * head, so the head's linear layer is one tensor for every architecture.
 * lend NULL is child_build.  lend_ctx must outlive the network.  Same
 * returns. */
NvStatus child_build_shared(const Genotype *g, const ChildShape *shape,
                            int max_batch, NetLendFn lend, void *lend_ctx,
                            Net **out, Tensor **input, Tensor **logits,
                            NvError *err);

#endif
