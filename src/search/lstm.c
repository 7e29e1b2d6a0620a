/* lstm.c - LSTM step forward/backward (see lstm.h).  Gates by one sgemm per
 * step; the element-wise part in plain loops. */
#include "config.h"

#include <math.h>

#include <cblas.h>

#include "search/lstm.h"

static float sigmoidf(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

void lstm_step_forward(LstmShape s, int nb, const float *W, const float *b,
                       const float *xh, const float *c_prev, float *gates,
                       float *c, float *tc, float *h)
{
    const int H = s.hidden, K = s.in + s.hidden, G = 4 * H;
    for (int r = 0; r < nb; r++)
        for (int j = 0; j < G; j++)
            gates[(size_t)r * G + j] = b[j];
    /* gates[nb x 4H] += xh[nb x K] * W^T[K x 4H] */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, G, K, 1.0f, xh,
                K, W, K, 1.0f, gates, G);
    for (int r = 0; r < nb; r++) {
        float *gt = gates + (size_t)r * G;
        const float *cp = c_prev + (size_t)r * H;
        float *cr = c + (size_t)r * H, *tr = tc + (size_t)r * H,
              *hr = h + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            float i = sigmoidf(gt[j]);
            float f = sigmoidf(gt[H + j]);
            float g = tanhf(gt[2 * H + j]);
            float o = sigmoidf(gt[3 * H + j]);
            gt[j] = i, gt[H + j] = f, gt[2 * H + j] = g, gt[3 * H + j] = o;
            cr[j] = f * cp[j] + i * g;
            tr[j] = tanhf(cr[j]);
            hr[j] = o * tr[j];
        }
    }
}

void lstm_step_backward(LstmShape s, int nb, const float *W, const float *xh,
                        const float *c_prev, const float *gates,
                        const float *tc, const float *dh, float *dc,
                        float *da, float *dW, float *db, float *dxh,
                        float *dc_prev)
{
    const int H = s.hidden, K = s.in + s.hidden, G = 4 * H;
    for (int r = 0; r < nb; r++) {
        const float *gt = gates + (size_t)r * G;
        const float *cp = c_prev + (size_t)r * H, *tr = tc + (size_t)r * H,
                    *dhr = dh + (size_t)r * H;
        float *dcr = dc + (size_t)r * H, *dar = da + (size_t)r * G,
              *dpr = dc_prev + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            float i = gt[j], f = gt[H + j], g = gt[2 * H + j],
                  o = gt[3 * H + j];
            float dcj = dcr[j] + dhr[j] * o * (1.0f - tr[j] * tr[j]);
            dar[j] = dcj * g * i * (1.0f - i);
            dar[H + j] = dcj * cp[j] * f * (1.0f - f);
            dar[2 * H + j] = dcj * i * (1.0f - g * g);
            dar[3 * H + j] = dhr[j] * tr[j] * o * (1.0f - o);
            dpr[j] = dcj * f;
        }
    }
    for (int r = 0; r < nb; r++)
        for (int j = 0; j < G; j++)
            db[j] += da[(size_t)r * G + j];
    /* dW[4H x K] += da^T[4H x nb] * xh[nb x K] */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, K, nb, 1.0f, da, G,
                xh, K, 1.0f, dW, K);
    /* dxh[nb x K] = da[nb x 4H] * W[4H x K] */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, K, G, 1.0f, da,
                G, W, K, 0.0f, dxh, K);
}
