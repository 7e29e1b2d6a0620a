/* lstm.h - one step of a single-layer LSTM over a batch, forward and
 * backward, on OpenBLAS.
 *
 * Gate layout (rows of W and b, each H long): input i, forget f, cell g,
 * output o.  The step reads xh = [x ; h_prev] (B x (I+H), one row per
 * sequence), so one sgemm computes all four gates of the whole batch.
 * This module owns no memory: the caller (the controller) allocates
 * parameters, gradients and the per-step activation cache once and hands
 * views in.  It does not know about embeddings, classifiers or sampling. */
#ifndef NASVIEW_LSTM_H
#define NASVIEW_LSTM_H

typedef struct {
    int in;     /* I: input size */
    int hidden; /* H: hidden size */
} LstmShape;

/* lstm_step_forward - one step for a batch of nb sequences.
 *   W      [4H x (I+H)] row-major, b [4H]
 *   xh     [nb x (I+H)]  input then previous hidden state, per row
 *   c_prev [nb x H]      previous cell state
 *   gates  [nb x 4H]     out: activated gates (i, f, g, o)
 *   c      [nb x H]      out: new cell state
 *   tc     [nb x H]      out: tanh(c)
 *   h      [nb x H]      out: new hidden state (may alias nothing above) */
void lstm_step_forward(LstmShape s, int nb, const float *W, const float *b,
                       const float *xh, const float *c_prev, float *gates,
                       float *c, float *tc, float *h);

/* lstm_step_backward - the gradient of one step.  Inputs are the step's
 * cached forward values plus
 *   dh     [nb x H]  dL/dh of this step (classifier and next step together)
 *   dc     [nb x H]  in: dL/dc from the next step; clobbered
 *   da     [nb x 4H] workspace
 * Outputs: dW [4H x (I+H)] and db [4H] are ACCUMULATED into;
 *   dxh    [nb x (I+H)] is overwritten with dL/d[x ; h_prev];
 *   dc_prev[nb x H]  is overwritten with dL/dc_prev (may alias dc). */
void lstm_step_backward(LstmShape s, int nb, const float *W, const float *xh,
                        const float *c_prev, const float *gates,
                        const float *tc, const float *dh, float *dc,
                        float *da, float *dW, float *db, float *dxh,
                        float *dc_prev);

#endif
