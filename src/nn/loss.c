/* loss.c - the training loss: softmax cross-entropy over channel-major
 * logits, its gradient and the top-1 count.  Layers are in layers.c. */
#include "config.h"

#include <math.h>

#include "nn/loss.h"

float loss_softmax_xent(const float *logits, int k, int n,
                        const uint8_t *labels, float *dlogits, int *correct)
{
    double total = 0.0;
    int right = 0;
    for (int j = 0; j < n; j++) {
        float mx = logits[j];
        int arg = 0;
        for (int c = 1; c < k; c++)
            if (logits[c * n + j] > mx) {
                mx = logits[c * n + j];
                arg = c;
            }
        double z = 0.0;
        for (int c = 0; c < k; c++)
            z += exp((double)logits[c * n + j] - mx);
        const int y = labels[j];
        total += log(z) - ((double)logits[y * n + j] - mx);
        right += arg == y;
        if (dlogits)
            for (int c = 0; c < k; c++) {
                double p = exp((double)logits[c * n + j] - mx) / z;
                dlogits[c * n + j] += (float)((p - (c == y)) / n);
            }
    }
    if (correct)
        *correct += right;
    return (float)(total / n);
}

float loss_softmax_xent_smooth(const float *logits, int k, int n,
                               const uint8_t *labels, float eps,
                               float *dlogits, int *correct)
{
    if (eps <= 0.0f)
        return loss_softmax_xent(logits, k, n, labels, dlogits, correct);
    double total = 0.0;
    int right = 0;
    const double off = (double)eps / k, on = 1.0 - (double)eps + off;
    for (int j = 0; j < n; j++) {
        float mx = logits[j];
        int arg = 0;
        for (int c = 1; c < k; c++)
            if (logits[c * n + j] > mx) {
                mx = logits[c * n + j];
                arg = c;
            }
        double z = 0.0;
        for (int c = 0; c < k; c++)
            z += exp((double)logits[c * n + j] - mx);
        const double lz = log(z);
        const int y = labels[j];
        for (int c = 0; c < k; c++) {
            const double q = c == y ? on : off;
            total += q * (lz - ((double)logits[c * n + j] - mx));
            if (dlogits) {
                double p = exp((double)logits[c * n + j] - mx) / z;
                dlogits[c * n + j] += (float)((p - q) / n);
            }
        }
        right += arg == y;
    }
    if (correct)
        *correct += right;
    return (float)(total / n);
}
