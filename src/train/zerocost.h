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
#include "nn/network.h"
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

/* Synflow (Tanaka, Kunin, Yamins, Ganguli, "Pruning neural networks
 * without any data by iteratively conserving synaptic flow", NeurIPS
 * 2020), as zero-cost proxies score architectures (Abdelfattah et al.,
 * ICLR 2021): every weight w is replaced by |w|, batch norm is the
 * identity, the input is one image of all ones, R is the sum of the
 * outputs, and the score is the sum over every parameter of |w dR/dw|.
 * With positive weights every ReLU passes everything, so R is the sum
 * over all input-to-output paths of the product of their weights: it
 * grows geometrically with depth and overflows float (and, for big
 * children, would reach 1e60 and more).  So the score is returned as its
 * natural logarithm, and the pass is run scaled: the output's gradient is
 * 2^-k instead of 1 (backward is linear in it), and when R itself
 * overflows float the input is 2^-j instead of 1 (every dR/dw of a
 * weight is linear in it when no bias comes before the last layer, as in
 * a child), with k and j chosen from a first forward pass so that
 * activations and gradients stay within float's range; the products are
 * summed in double and the scales added back in log space.  The last
 * layer's bias terms do not scale with the input, so with j > 0 (only
 * when R > 2^127) they count 2^j too much: |b| 2^(log2 R / 2) against a
 * score of at least R, below double's precision of the result. */

/* zc_synflow_net - ln(synflow) of a finished network with one input
 * tensor in and one output out, whose batch-norm layers have been left
 * out (net_skip_bn) and whose parameters it owns.  Overwrites its
 * parameters with their absolute values and its gradients.  Fails with
 * NV_ERR_RUNTIME when R is beyond what a scaled float pass can hold
 * (2^240 or so) or is zero. */
NvStatus zc_synflow_net(Net *net, Tensor *in, Tensor *out, double *score,
                        NvError *err);

/* zc_synflow - ln(synflow) of g's child network (F filters, N cells per
 * stack) on images of c x h x w with the given classes, its weights
 * initialised from seed and batch norm left out.  Errors of child_build
 * and zc_synflow_net. */
NvStatus zc_synflow(const Genotype *g, int F, int N, int c, int h, int w,
                    int classes, uint64_t seed, double *score, NvError *err);

#endif
