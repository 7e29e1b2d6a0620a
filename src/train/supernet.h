/* supernet.h - the shared weights of weight-sharing search (ENAS, Pham et
 * al. 2018): one set of parameter tensors, with their optimiser state, for
 * every choice of the NASNet space at one child shape (F, N, input,
 * classes), and children built as views on them.
 *
 * A tensor is keyed by what it computes (child_build_shared): the op
 * applied to input j of block b of the cell at position p on C_in
 * channels, a cell's preprocessing of an input of C_in channels, the stem,
 * the head.  Tensors are made the first time a child asks for them and
 * initialised from the supernet's seed and their key alone, so their
 * values do not depend on which children came first: the supernet holds
 * the same numbers as if every tensor had been made up front, without the
 * memory for the choices no child ever used.  A training step on a child
 * (optim_train_step) updates exactly the tensors that child uses.
 *
 * Not thread-safe; the children of a supernet must not outlive it. */
#ifndef NASVIEW_SUPERNET_H
#define NASVIEW_SUPERNET_H

#include <stddef.h>
#include <stdint.h>

#include "train/child.h"

typedef struct Supernet Supernet;

/* supernet_new - an empty supernet for children of shape sh, whose tensors
 * are initialised from seed.  NULL when out of memory or sh is invalid
 * (F, N, classes or channels below 1).  The caller owns it
 * (supernet_free). */
Supernet *supernet_new(const ChildShape *sh, uint64_t seed);

/* supernet_free - release sn and all its tensors; NULL is a no-op.  Its
 * children must have been freed first. */
void supernet_free(Supernet *sn);

/* supernet_child - build and finish the child network of g for batches
 * of up to max_batch images, its parameters borrowed from sn (made here
 * when new), on `threads` threads.  The child is that of g's canonical
 * form (geno_canonicalize): the same network written either way is the
 * same function of the shared weights.  *out is the caller's (net_free, before
 * supernet_free); *input and *logits are tensors of it.  Errors as
 * child_build's, and net_finish's. */
NvStatus supernet_child(Supernet *sn, const Genotype *g, int max_batch,
                        int threads, Net **out, Tensor **input,
                        Tensor **logits, NvError *err);

/* supernet_tensors / supernet_floats - how many tensors sn holds now and
 * their floats of values (the optimiser state is as many again). */
int supernet_tensors(const Supernet *sn);
int64_t supernet_floats(const Supernet *sn);

/* supernet_find - the values of the tensor of key, or NULL when sn has
 * none (for tests); *n receives its size. */
float *supernet_find(Supernet *sn, uint64_t key, size_t *n);

/* supernet_key - the key of the i-th tensor (0-based, in the order they
 * were made), or 0 past the end. */
uint64_t supernet_key(const Supernet *sn, int i);

/* supernet_save - every tensor's key, values and optimiser state, with
 * the shape and seed, in the order they were made, into a new buffer *buf
 * (malloc'ed, the caller's) of *len bytes.  NV_ERR_NOMEM. */
NvStatus supernet_save(const Supernet *sn, uint8_t **buf, size_t *len,
                       NvError *err);

/* supernet_load - restore what supernet_save wrote into sn, a supernet of
 * the same shape and seed that holds no tensors yet: afterwards it holds
 * exactly the saved ones, in the same order, bit for bit.  NV_ERR_PARSE on
 * foreign, truncated or mismatched bytes (sn then holds what was read so
 * far; free it), NV_ERR_USAGE when sn is not empty, NV_ERR_NOMEM. */
NvStatus supernet_load(Supernet *sn, const uint8_t *buf, size_t len,
                       NvError *err);

#endif
