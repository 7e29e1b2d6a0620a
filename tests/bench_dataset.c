/* bench_dataset.c - how long loading, splitting and batching take.
 * Usage: bench_dataset [SPEC]   (default fashion-mnist)
 * Prints wall-clock figures; not a test (tests never time anything). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "data/dataset.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* cpu - this process's CPU seconds: on a shared machine the honest figure
 * next to wall-clock time */
static double cpu(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

int main(int argc, char **argv)
{
    const char *spec = argc > 1 ? argv[1] : "fashion-mnist";
    Dataset *tr = NULL, *te = NULL, *a = NULL, *v = NULL;
    NvError err;
    double t, c;

    t = now();
    c = cpu();
    if (dataset_load(spec, DATASET_TRAIN, &tr, &err) != NV_OK) {
        fprintf(stderr, "bench_dataset: %s\n", err.msg);
        return 1;
    }
    printf("load train: %lld images %dx%dx%d in %.3f s (%.3f s CPU)\n",
           (long long)tr->n, tr->c, tr->h, tr->w, now() - t, cpu() - c);
    t = now();
    c = cpu();
    if (dataset_load(spec, DATASET_TEST, &te, &err) != NV_OK) {
        fprintf(stderr, "bench_dataset: %s\n", err.msg);
        dataset_free(tr);
        return 1;
    }
    printf("load test:  %lld images in %.3f s (%.3f s CPU; reads the "
           "training part too, for its statistics)\n", (long long)te->n,
           now() - t, cpu() - c);
    int64_t tn = tr->n >= 15000 ? 10000 : tr->n / 2, vn = tr->n / 4;
    t = now();
    c = cpu();
    if (dataset_split(tr, tn, vn, 1, &a, &v, &err) != NV_OK) {
        fprintf(stderr, "bench_dataset: %s\n", err.msg);
        return 1;
    }
    printf("split %lld + %lld: %.4f s (%.4f s CPU)\n", (long long)tn,
           (long long)vn, now() - t, cpu() - c);

    enum { B = 64 };
    size_t img = (size_t)tr->c * (size_t)tr->h * (size_t)tr->w;
    float *out = malloc(B * img * sizeof *out);
    int32_t idx[B];
    uint8_t labels[B];
    long batches = 0;
    double sink = 0;
    t = now();
    c = cpu();
    while (cpu() - c < 1.0)
        for (int rep = 0; rep < 100; rep++, batches++) {
            for (int i = 0; i < B; i++)
                idx[i] = (int32_t)((batches * 7919 + i * 104729) % a->n);
            dataset_batch(a, idx, B, out, labels);
            sink += out[batches % (B * img)];
        }
    double dt = cpu() - c, wall = now() - t;
    printf("dataset_batch (%d random images, per CPU second; %.2f s wall): "
           "%.1f us per batch, %.2f M images/s, %.2f GB/s of floats written "
           "(checksum %g)\n", B, wall,
           dt / (double)batches * 1e6, (double)batches * B / dt * 1e-6,
           (double)batches * B * (double)img * 4 / dt * 1e-9, sink);
    free(out);
    dataset_free(a);
    dataset_free(v);
    dataset_free(tr);
    dataset_free(te);
    return 0;
}
