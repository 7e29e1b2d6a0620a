/* augment.c - cutout, random crop with padding and horizontal flip on a
 * batch already normalised (augment.h). */
#include "config.h"

#include <string.h>

#include "data/augment.h"

void augment_cutout(float *x, int n, int c, int h, int w, int size, Rng *rng)
{
    if (size <= 0)
        return;
    for (int i = 0; i < n; i++) {
        const int cy = (int)rng_below(rng, (uint32_t)h);
        const int cx = (int)rng_below(rng, (uint32_t)w);
        int y0 = cy - size / 2, x0 = cx - size / 2;
        int y1 = y0 + size, x1 = x0 + size;
        if (y0 < 0)
            y0 = 0;
        if (x0 < 0)
            x0 = 0;
        if (y1 > h)
            y1 = h;
        if (x1 > w)
            x1 = w;
        for (int ch = 0; ch < c; ch++) {
            float *p = x + ((size_t)i * c + ch) * (size_t)h * w;
            for (int y = y0; y < y1; y++)
                for (int xx = x0; xx < x1; xx++)
                    p[y * w + xx] = 0.0f;
        }
    }
}

void augment_crop_flip(float *x, int n, int c, int h, int w, int pad,
                       const float *fill, float *scratch, Rng *rng)
{
    const size_t plane = (size_t)h * w;
    for (int i = 0; i < n; i++) {
        /* window origin in padded coordinates, 0 .. 2 pad */
        const int dy = pad > 0 ? (int)rng_below(rng, (uint32_t)(2 * pad + 1)) - pad : 0;
        const int dx = pad > 0 ? (int)rng_below(rng, (uint32_t)(2 * pad + 1)) - pad : 0;
        const int flip = (int)rng_below(rng, 2);
        float *img = x + (size_t)i * c * plane;
        memcpy(scratch, img, sizeof(float) * c * plane);
        for (int ch = 0; ch < c; ch++) {
            const float *src = scratch + ch * plane;
            float *dst = img + ch * plane;
            for (int y = 0; y < h; y++) {
                const int sy = y + dy;
                for (int xx = 0; xx < w; xx++) {
                    const int sx = (flip ? w - 1 - xx : xx) + dx;
                    dst[y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w
                                          ? src[sy * w + sx]
                                          : fill[ch];
                }
            }
        }
    }
}
