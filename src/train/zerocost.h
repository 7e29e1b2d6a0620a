/* zerocost.h - scores of an architecture that need no training: computed
 * on the child network at initialisation from one batch of training
 * images.  They are not accuracies and are labelled as what they are
 * wherever they appear; `nasview fidelity` measures how well they rank
 * architectures against a trained reference.
 *
 * NASWOT (Mellor, Turner, Storkey, Crowley, "Neural Architecture Search
 * without Training", ICML 2021): for a batch of n images, each ReLU the
 * network applies gives every image a binary code (which of its units are
 * positive).  Over all ReLUs, K[i][j] counts the units where images i and
 * j agree (both on or both off): K = C C^T + (1 - C)(1 - C)^T with C the
 * n x units matrix of codes.  The score is log|det K|: higher when the
 * untrained network already tells the images apart. */
#ifndef NASVIEW_ZEROCOST_H
#define NASVIEW_ZEROCOST_H

#include <stdint.h>

#include "data/dataset.h"
#include "space/genotype.h"
#include "base/nv_error.h"

/* zc_kernel_add - add the agreement counts of one ReLU input to K:
 * x holds c x n x hw values laid out [c][n][hw] (a network activation),
 * unit (ch, p) of image i is "on" when x[(ch*n + i)*hw + p] > 0, and
 * K[i*n + j] += the units where images i and j agree, for i, j < n.
 * scratch holds at least n * c * hw floats.  No allocation. */
void zc_kernel_add(double *K, const float *x, int c, int n, int hw,
                   float *scratch);

/* zc_logdet - log |det a| of the n x n matrix a (row-major, overwritten
 * by its LU factors; partial pivoting).  -INFINITY when a is singular
 * (two images with the same codes everywhere), 0 for n = 0. */
double zc_logdet(double *a, int n);

/* zc_naswot - the NASWOT score of g's child network (F filters, N cells
 * per stack) initialised from seed, on one batch of min(batch, train->n)
 * training images drawn in a seeded order (the forward pass in training
 * mode: batch statistics, as at the first step of training).  *score may
 * be -INFINITY (see zc_logdet).  Fails with NV_ERR_USAGE for impossible
 * shapes or a batch below 2, NV_ERR_NOMEM. */
NvStatus zc_naswot(const Genotype *g, int F, int N, const Dataset *train,
                   int batch, uint64_t seed, double *score, NvError *err);

#endif
