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
