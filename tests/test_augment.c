/* test_augment.c - cutout and crop/flip (augment.h): the batch keeps its
 * shape, the same seed gives the same images, cutout zeroes one clipped
 * square per image and nothing else, and every cropped image is a shifted
 * (padded with the fill value), possibly mirrored copy of its original. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/augment.h"

enum { N = 6, C = 2, H = 9, W = 7 };
#define SZ ((size_t)N * C * H * W)

static void fill_batch(float *x)
{
    /* distinct non-zero values, so a copy is recognised */
    for (size_t i = 0; i < SZ; i++)
        x[i] = 1.0f + (float)i;
}

/* Whether image out is image in shifted by (dy, dx), mirrored when flip,
 * padded with fill. */
static int is_window(const float *in, const float *out, int dy, int dx,
                     int flip, const float *fill)
{
    for (int ch = 0; ch < C; ch++)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int sy = y + dy, sx = (flip ? W - 1 - x : x) + dx;
                float want = sy >= 0 && sy < H && sx >= 0 && sx < W
                                 ? in[(ch * H + sy) * W + sx]
                                 : fill[ch];
                if (out[(ch * H + y) * W + x] != want)
                    return 0;
            }
    return 1;
}

static void check_crop_flip(void)
{
    float *a = malloc(sizeof(float) * SZ), *b = malloc(sizeof(float) * SZ),
          *orig = malloc(sizeof(float) * SZ), scratch[C * H * W];
    const float fill[C] = { -0.5f, -2.0f };
    Rng r1, r2;
    fill_batch(orig);
    memcpy(a, orig, sizeof(float) * SZ);
    memcpy(b, orig, sizeof(float) * SZ);
    rng_seed(&r1, 3, 7);
    rng_seed(&r2, 3, 7);
    augment_crop_flip(a, N, C, H, W, 4, fill, scratch, &r1);
    augment_crop_flip(b, N, C, H, W, 4, fill, scratch, &r2);
    CHECK(memcmp(a, b, sizeof(float) * SZ) == 0, "same seed, same crops");
    int flips = 0, moved = 0;
    for (int i = 0; i < N; i++) {
        const float *in = orig + (size_t)i * C * H * W;
        const float *out = a + (size_t)i * C * H * W;
        int found = 0;
        for (int dy = -4; dy <= 4 && !found; dy++)
            for (int dx = -4; dx <= 4 && !found; dx++)
                for (int f = 0; f < 2 && !found; f++)
                    if (is_window(in, out, dy, dx, f, fill)) {
                        found = 1;
                        flips += f;
                        moved += dy != 0 || dx != 0;
                    }
        CHECK(found, "image %d is a padded, shifted, maybe mirrored copy", i);
    }
    CHECK(moved > 0, "some image was shifted");
    rng_seed(&r1, 4, 7);
    memcpy(b, orig, sizeof(float) * SZ);
    augment_crop_flip(b, N, C, H, W, 4, fill, scratch, &r1);
    CHECK(memcmp(a, b, sizeof(float) * SZ) != 0, "another seed, other crops");
    /* pad 0: each image is itself or its mirror */
    memcpy(b, orig, sizeof(float) * SZ);
    rng_seed(&r1, 5, 7);
    augment_crop_flip(b, N, C, H, W, 0, fill, scratch, &r1);
    for (int i = 0; i < N; i++) {
        const float *in = orig + (size_t)i * C * H * W;
        const float *out = b + (size_t)i * C * H * W;
        CHECK(is_window(in, out, 0, 0, 0, fill) ||
                  is_window(in, out, 0, 0, 1, fill),
              "pad 0: image %d is itself or mirrored", i);
    }
    (void)flips;
    free(a);
    free(b);
    free(orig);
}

static void check_cutout(void)
{
    float *a = malloc(sizeof(float) * SZ), *b = malloc(sizeof(float) * SZ),
          *orig = malloc(sizeof(float) * SZ);
    Rng r1, r2;
    fill_batch(orig);
    memcpy(a, orig, sizeof(float) * SZ);
    memcpy(b, orig, sizeof(float) * SZ);
    rng_seed(&r1, 11, 8);
    rng_seed(&r2, 11, 8);
    augment_cutout(a, N, C, H, W, 4, &r1);
    augment_cutout(b, N, C, H, W, 4, &r2);
    CHECK(memcmp(a, b, sizeof(float) * SZ) == 0, "same seed, same cutout");
    for (int i = 0; i < N; i++) {
        int y0 = H, y1 = -1, x0 = W, x1 = -1, zeros = 0;
        for (int ch = 0; ch < C; ch++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    size_t at = (((size_t)i * C + ch) * H + y) * W + x;
                    if (a[at] == 0.0f) {
                        zeros++;
                        y0 = y < y0 ? y : y0;
                        y1 = y > y1 ? y : y1;
                        x0 = x < x0 ? x : x0;
                        x1 = x > x1 ? x : x1;
                    } else
                        CHECK(a[at] == orig[at], "cutout left others alone");
                }
        CHECK(zeros > 0, "image %d has a cut", i);
        CHECK(y1 - y0 < 4 && x1 - x0 < 4, "square at most 4x4");
        CHECK(zeros == C * (y1 - y0 + 1) * (x1 - x0 + 1),
              "a full rectangle in every channel (%d zeros)", zeros);
    }
    memcpy(b, orig, sizeof(float) * SZ);
    augment_cutout(b, N, C, H, W, 0, &r1);
    CHECK(memcmp(b, orig, sizeof(float) * SZ) == 0, "size 0 does nothing");
    free(a);
    free(b);
    free(orig);
}

int main(void)
{
    check_crop_flip();
    check_cutout();
    return check_exit("test_augment");
}
