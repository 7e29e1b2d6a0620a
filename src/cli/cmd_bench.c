/* cmd_bench.c - `nasview bench`: times training steps (forward, backward,
 * update) and inference passes of one child network on random input, and
 * says where the time goes per layer kind.  No dataset is read. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "base/clock.h"
#include "train/child.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "base/jsonw.h"
#include "nn/network.h"
#include "train/optim.h"
#include "base/rng.h"
#include "base/vecops.h"

static const char usage[] =
    "Usage: nasview bench [--genotype (TEXT | nasnet-a)] [--F n] [--N n]\n"
    "                     [--input CxHxW] [--classes n] [--batch n]\n"
    "                     [--threads n] [--blas-threads n] [--seconds s]\n"
    "                     [--format table|json]\n"
    "Time training steps (forward + backward + SGD update) and inference\n"
    "passes of one child network on random input, and show where the time\n"
    "goes per layer kind.  Defaults: NASNet-A, F=16, N=1, 1x28x28, 10\n"
    "classes, batch 64, 1 thread, about 2 s per measurement.\n"
    "--threads splits each batch between that many threads, each running\n"
    "every layer on its own images (as `nasview train --threads` does),\n"
    "with OpenBLAS single-threaded inside;\n"
    "--blas-threads gives OpenBLAS its own threads instead, for comparison.\n"
    "The large-sgemm reference runs with max(threads, blas-threads).\n"
    "GFLOP/s count 2 FLOPs per multiply-add: 3 passes (forward and two\n"
    "backward products) for training, 1 for inference.\n"
    "The roofline table puts each layer kind's time next to the least FLOPs\n"
    "and bytes a training step costs it, and to the time those would take at\n"
    "the measured sgemm speed and one thread's memory bandwidth (a triad\n"
    "over three 8 MiB arrays, as large as a layer's tensors); 'x bound' is\n"
    "how many times slower than that the kind runs.\n";

/* What the options ask for. */
typedef struct {
    const char *gtext;
    CliProxy proxy; /* --F --N --batch --threads */
    long F, N, batch, threads, classes, blas;
    int shape[3];   /* --input CxHxW */
    double seconds;
    OutputFormat format;
} BenchArgs;

static const CliArg args[] = {
    { .name = "genotype", .kind = CLI_ARG_STRING,
      .offset = offsetof(BenchArgs, gtext) },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(BenchArgs, proxy),
      .proxy = PROXY_F },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(BenchArgs, proxy),
      .proxy = PROXY_N },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(BenchArgs, proxy),
      .proxy = PROXY_BATCH },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(BenchArgs, proxy),
      .proxy = PROXY_THREADS },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(BenchArgs, format), .formats = 3 },
    { .name = "input", .kind = CLI_ARG_SHAPE,
      .offset = offsetof(BenchArgs, shape) },
    { .name = "classes", .kind = CLI_ARG_LONG,
      .offset = offsetof(BenchArgs, classes), .lo = 2, .hi = 256 },
    { .name = "seconds", .kind = CLI_ARG_REAL,
      .offset = offsetof(BenchArgs, seconds), .lo = 0.0, .hi = 3600 },
    { .name = "blas-threads", .kind = CLI_ARG_LONG,
      .offset = offsetof(BenchArgs, blas), .lo = 1, .hi = 256 },
};

static const CliCommand command = { "bench", usage, args,
                                    sizeof args / sizeof args[0], 0 };

/* OpenBLAS's own sgemm on 1024^3 with the current thread count, best of 3. */
static double bench_sgemm(void)
{
    const int n = 1024;
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n),
          *c = malloc(sizeof(float) * n * n);
    if (!a || !b || !c) {
        free(a);
        free(b);
        free(c);
        return 0.0;
    }
    for (int i = 0; i < n * n; i++) {
        a[i] = (float)(i % 7) * 0.1f;
        b[i] = (float)(i % 5) * 0.1f;
    }
    double best = 1e9;
    for (int r = 0; r < 4; r++) {
        double t = clock_now_s();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                    a, n, b, n, 0.0f, c, n);
        t = clock_now_s() - t;
        if (r > 0 && t < best)
            best = t;
    }
    free(a);
    free(b);
    free(c);
    return 2.0 * n * n * (double)n / best / 1e9;
}

/* One thread's memory bandwidth in GB/s: the triad a = b + k c over three
 * arrays of `floats` floats each (12 bytes a value, write-allocate not
 * counted), best of 4 timings after one that faults the pages in. */
static double bench_triad(size_t floats)
{
    floats = floats / VEC_W * VEC_W;
    float *a = malloc(sizeof(float) * floats), *b = malloc(sizeof(float) * floats),
          *c = malloc(sizeof(float) * floats);
    if (!a || !b || !c || floats == 0) {
        free(a);
        free(b);
        free(c);
        return 0.0;
    }
    for (size_t i = 0; i < floats; i++) {
        a[i] = 0.0f;
        b[i] = (float)(i % 7);
        c[i] = (float)(i % 5);
    }
    const VecF k = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };
    /* passes per timing: at least about 96 MiB moved */
    const int reps = (int)(8u * 1024 * 1024 / floats) + 1;
    double best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t = clock_now_s();
        for (int p = 0; p < reps; p++)
            for (size_t i = 0; i < floats; i += VEC_W) {
                VecF v = vec_load(b + i) + k * vec_load(c + i);
                memcpy(a + i, &v, sizeof v);
            }
        t = clock_now_s() - t;
        if (r > 0 && t < best)
            best = t;
    }
    volatile float sink = a[floats / 2];
    (void)sink;
    free(a);
    free(b);
    free(c);
    return 12.0 * (double)floats * reps / best / 1e9;
}

typedef struct {
    double train_ips, infer_ips, step_s, infer_s;
    double train_cpu_s; /* process CPU seconds per training step */
    double kind_s[LAYER_KINDS];
    int64_t kind_calls[LAYER_KINDS];
} BenchResult;

static void bench_run(Net *net, Tensor *logits, const uint8_t *labels,
                      int batch, double seconds, BenchResult *r)
{
    for (int i = 0; i < 2; i++) /* warm-up: caches, page faults */
        optim_train_step(net, logits, labels, batch, 1e-3f, 0.9f, 3e-4f, NULL);
    int steps = 0;
    double t0 = clock_now_s(), c0 = clock_cpu_s(), t;
    do {
        optim_train_step(net, logits, labels, batch, 1e-3f, 0.9f, 3e-4f, NULL);
        steps++;
        t = clock_now_s() - t0;
    } while (t < seconds || steps < 3);
    r->train_cpu_s = (clock_cpu_s() - c0) / steps;
    r->step_s = t / steps;
    r->train_ips = batch / r->step_s;

    net_forward(net, batch, 0);
    steps = 0;
    t0 = clock_now_s();
    do {
        net_forward(net, batch, 0);
        steps++;
        t = clock_now_s() - t0;
    } while (t < seconds / 2 || steps < 3);
    r->infer_s = t / steps;
    r->infer_ips = batch / r->infer_s;

    /* per-kind breakdown from a few profiled training steps */
    net_profile_reset(net);
    net_profile(net, 1);
    int psteps = (int)(seconds / 2 / r->step_s) + 2;
    for (int i = 0; i < psteps; i++)
        optim_train_step(net, logits, labels, batch, 1e-3f, 0.9f, 3e-4f, NULL);
    net_profile(net, 0);
    net_profile_read(net, r->kind_s, r->kind_calls);
    for (int k = 0; k < LAYER_KINDS; k++) {
        r->kind_s[k] /= psteps;
        r->kind_calls[k] /= psteps;
    }
}

/* bench_parse - the options into *a, defaults for those not given.
 * Returns 0, CLI_ARGS_HELP or a usage error's status. */
static int bench_parse(int argc, char **argv, BenchArgs *a)
{
    int first, rc;
    memset(a, 0, sizeof *a);
    a->gtext = "nasnet-a";
    a->classes = 10;
    a->blas = 1;
    a->shape[0] = 1;
    a->shape[1] = a->shape[2] = 28;
    a->seconds = 2.0;
    a->format = FORMAT_TABLE;
    if ((rc = cli_args_parse(&command, argc, argv, a, &first)))
        return rc;
    a->F = cli_proxy_long(&a->proxy, PROXY_F, 16);
    a->N = cli_proxy_long(&a->proxy, PROXY_N, 1);
    a->batch = cli_proxy_long(&a->proxy, PROXY_BATCH, 64);
    a->threads = cli_proxy_long(&a->proxy, PROXY_THREADS, 1);
    return 0;
}

/* What a run measured, for printing. */
typedef struct {
    BenchResult r;
    int64_t params, mult_adds;
    size_t memory_bytes;
    double train_gflops, infer_gflops, sgemm, mem_gbps, cache_gbps;
    double kinds_total, other; /* CPU seconds per step in and out of layers */
    double kflops[LAYER_KINDS], kbytes[LAYER_KINDS], kbound[LAYER_KINDS];
} BenchReport;

/* bench_roofline - the sgemm and memory references, and each layer kind's
 * least FLOPs, bytes and time bound for a step of net into rep. */
static void bench_roofline(const BenchArgs *a, const Net *net,
                           BenchReport *rep)
{
    openblas_set_num_threads((int)(a->threads > a->blas ? a->threads
                                                        : a->blas));
    rep->sgemm = bench_sgemm();
    /* 3 x 8 MiB, as large as a layer's tensors at batch 64 (past L2): the
     * bandwidth the layers stream at; 3 x 128 KiB: what the nearest caches
     * give */
    rep->mem_gbps = bench_triad((size_t)2 * 1024 * 1024);
    rep->cache_gbps = bench_triad((size_t)32 * 1024);
    net_kind_costs(net, rep->kflops, rep->kbytes);
    for (int k = 0; k < LAYER_KINDS; k++) {
        rep->kflops[k] *= (double)a->batch;
        rep->kbytes[k] *= (double)a->batch;
        const double tf = rep->sgemm > 0.0
                              ? rep->kflops[k] / (rep->sgemm * 1e9) : 0.0;
        const double tb = rep->mem_gbps > 0.0
                              ? rep->kbytes[k] / (rep->mem_gbps * 1e9) : 0.0;
        rep->kbound[k] = tf > tb ? tf : tb;
    }
    rep->mult_adds = net_mult_adds(net);
    rep->params = net_param_count(net);
    rep->memory_bytes = net_bytes(net);
    rep->train_gflops = rep->r.train_ips * 6.0 * (double)rep->mult_adds / 1e9;
    rep->infer_gflops = rep->r.infer_ips * 2.0 * (double)rep->mult_adds / 1e9;
    rep->kinds_total = 0.0;
    for (int k = 0; k < LAYER_KINDS; k++)
        rep->kinds_total += rep->r.kind_s[k];
    rep->other = rep->r.train_cpu_s > rep->kinds_total
                     ? rep->r.train_cpu_s - rep->kinds_total : 0.0;
}

/* bench_measure - build the child of g that a asks for, time it on random
 * input and fill *rep.  Fails when the child cannot be built. */
static NvStatus bench_measure(const BenchArgs *a, const Genotype *g,
                              BenchReport *rep, NvError *err)
{
    const int c = a->shape[0], h = a->shape[1], w = a->shape[2];
    ChildShape sh = { (int)a->F, (int)a->N, c, h, w, (int)a->classes };
    Net *net;
    Tensor *input, *logits;
    NvStatus st = child_build(g, &sh, (int)a->batch, &net, &input, &logits,
                              err);
    if (st != NV_OK)
        return st;
    if ((st = net_set_threads(net, (int)a->threads, err)) != NV_OK ||
        (st = net_finish(net, 1, err)) != NV_OK) {
        net_free(net);
        return st;
    }
    openblas_set_num_threads((int)a->blas);

    Rng rng;
    rng_seed(&rng, 1, 0);
    size_t nin = (size_t)a->batch * c * h * w;
    float *img = malloc(sizeof(float) * nin);
    uint8_t *labels = malloc((size_t)a->batch);
    if (!img || !labels) {
        free(img);
        free(labels);
        net_free(net);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nin; i++)
        img[i] = (float)rng_normal(&rng);
    for (long i = 0; i < a->batch; i++)
        labels[i] = (uint8_t)rng_below(&rng, (uint32_t)a->classes);
    net_set_input(net, input, img, (int)a->batch);

    memset(rep, 0, sizeof *rep);
    bench_run(net, logits, labels, (int)a->batch, a->seconds, &rep->r);
    bench_roofline(a, net, rep);
    free(img);
    free(labels);
    net_free(net);
    return NV_OK;
}

/* bench_print_json - the report as one JSON object on standard output. */
static void bench_print_json(const BenchArgs *a, const Genotype *g,
                             const BenchReport *rep)
{
    const BenchResult *r = &rep->r;
    char text[GENO_TEXT_MAX];
    geno_format(g, text, sizeof text);
    fputs("{\"genotype\":", stdout);
    json_string(stdout, text);
    printf(",\"F\":%ld,\"N\":%ld,\"input\":\"%dx%dx%d\",\"classes\":%ld,"
           "\"batch\":%ld,\"threads\":%ld,\"blas_threads\":%ld,"
           "\"params\":%lld,"
           "\"mult_adds\":%lld,\"memory_bytes\":%zu",
           a->F, a->N, a->shape[0], a->shape[1], a->shape[2], a->classes,
           a->batch, a->threads, a->blas, (long long)rep->params,
           (long long)rep->mult_adds, rep->memory_bytes);
    fputs(",\"train_images_per_s\":", stdout);
    json_number(stdout, r->train_ips);
    fputs(",\"train_gflops\":", stdout);
    json_number(stdout, rep->train_gflops);
    fputs(",\"train_step_ms\":", stdout);
    json_number(stdout, r->step_s * 1e3);
    fputs(",\"train_cpu_ms\":", stdout);
    json_number(stdout, r->train_cpu_s * 1e3);
    fputs(",\"infer_images_per_s\":", stdout);
    json_number(stdout, r->infer_ips);
    fputs(",\"infer_gflops\":", stdout);
    json_number(stdout, rep->infer_gflops);
    fputs(",\"sgemm_gflops\":", stdout);
    json_number(stdout, rep->sgemm);
    fputs(",\"layers_ms\":{", stdout);
    for (int k = 0; k < LAYER_KINDS; k++) {
        printf("%s\"%s\":", k ? "," : "", layer_kinds[k].name);
        json_number(stdout, r->kind_s[k] * 1e3);
    }
    fputs(",\"other\":", stdout);
    json_number(stdout, rep->other * 1e3);
    fputs("},\"memory_gbps\":", stdout);
    json_number(stdout, rep->mem_gbps);
    fputs(",\"cache_gbps\":", stdout);
    json_number(stdout, rep->cache_gbps);
    /* per kind: ms, least GFLOP and MB per step, the bound in ms */
    fputs(",\"roofline\":{", stdout);
    for (int k = 0; k < LAYER_KINDS; k++) {
        printf("%s\"%s\":{\"ms\":", k ? "," : "", layer_kinds[k].name);
        json_number(stdout, r->kind_s[k] * 1e3);
        fputs(",\"gflop\":", stdout);
        json_number(stdout, rep->kflops[k] / 1e9);
        fputs(",\"mbytes\":", stdout);
        json_number(stdout, rep->kbytes[k] / 1e6);
        fputs(",\"bound_ms\":", stdout);
        json_number(stdout, rep->kbound[k] * 1e3);
        fputs("}", stdout);
    }
    fputs("}}\n", stdout);
}

/* bench_print_table - the report as text on standard output. */
static void bench_print_table(const BenchArgs *a, const BenchReport *rep)
{
    const BenchResult *r = &rep->r;
    const long threads = a->threads, blas = a->blas;
    const double all = rep->kinds_total + rep->other;
    printf("child        %s F=%ld N=%ld input %dx%dx%d, %ld classes, "
           "batch %ld, %ld thread%s, OpenBLAS %ld\n",
           a->gtext, a->F, a->N, a->shape[0], a->shape[1], a->shape[2],
           a->classes, a->batch, threads, threads == 1 ? "" : "s", blas);
    printf("params       %lld\nmult-adds    %lld per image\n"
           "memory       %.1f MiB planned\n",
           (long long)rep->params, (long long)rep->mult_adds,
           (double)rep->memory_bytes / (1024.0 * 1024.0));
    printf("train        %.1f images/s  %.2f GFLOP/s  (%.1f ms per step, "
           "%.1f ms CPU)\n",
           r->train_ips, rep->train_gflops, r->step_s * 1e3,
           r->train_cpu_s * 1e3);
    printf("inference    %.1f images/s  %.2f GFLOP/s\n", r->infer_ips,
           rep->infer_gflops);
    printf("sgemm 1024^3 %.1f GFLOP/s (OpenBLAS, %ld thread%s)\n", rep->sgemm,
           threads > blas ? threads : blas,
           (threads > blas ? threads : blas) == 1 ? "" : "s");
    printf("\ntraining step by layer kind (forward + backward, CPU time of "
           "all threads)\n");
    printf("  %-10s %9s %6s %7s\n", "kind", "ms/step", "share", "layers");
    for (int k = 0; k < LAYER_KINDS; k++)
        if (r->kind_calls[k] > 0)
            printf("  %-10s %9.2f %5.1f%% %7lld\n", layer_kinds[k].name,
                   r->kind_s[k] * 1e3, 100.0 * r->kind_s[k] / all,
                   (long long)r->kind_calls[k]);
    printf("  %-10s %9.2f %5.1f%%\n", "other", rep->other * 1e3,
           100.0 * rep->other / all);
    printf("\nroofline: sgemm %.1f GFLOP/s, memory %.1f GB/s (triad 3 x 8 "
           "MiB, 1 thread; 3 x 128 KiB: %.1f GB/s)\n", rep->sgemm,
           rep->mem_gbps, rep->cache_gbps);
    printf("  %-10s %9s %8s %8s %8s %7s %9s %8s\n", "kind", "ms/step",
           "GFLOP", "MB", "GFLOP/s", "GB/s", "bound ms", "x bound");
    for (int k = 0; k < LAYER_KINDS; k++) {
        const double t = r->kind_s[k], bound = rep->kbound[k];
        if (r->kind_calls[k] <= 0 || t <= 0.0)
            continue;
        printf("  %-10s %9.2f %8.3f %8.1f %8.1f %7.1f %9.2f %8.1f\n",
               layer_kinds[k].name, t * 1e3, rep->kflops[k] / 1e9,
               rep->kbytes[k] / 1e6, rep->kflops[k] / t / 1e9,
               rep->kbytes[k] / t / 1e9, bound * 1e3,
               bound > 0.0 ? t / bound : 0.0);
    }
}

int cmd_bench(int argc, char **argv)
{
    BenchArgs a;
    int rc = bench_parse(argc, argv, &a);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    Genotype g;
    NvError err;
    nv_error_clear(&err);
    BenchReport rep;
    if (geno_resolve(a.gtext, &g, &err) != NV_OK ||
        bench_measure(&a, &g, &rep, &err) != NV_OK)
        return cli_fail("bench", &err);
    if (a.format == FORMAT_JSON)
        bench_print_json(&a, &g, &rep);
    else
        bench_print_table(&a, &rep);
    return CLI_EXIT_OK;
}
