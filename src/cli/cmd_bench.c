/* cmd_bench.c - `nasview bench`: times training steps (forward, backward,
 * update) and inference passes of one child network on random input, and
 * says where the time goes per layer kind.  No dataset is read. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "base/clock.h"
#include "train/child.h"
#include "cli/cli.h"
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

enum { OPT_GENOTYPE = 1, OPT_F, OPT_N, OPT_BATCH, OPT_THREADS, OPT_FORMAT,
       OPT_INPUT, OPT_CLASSES, OPT_SECONDS, OPT_BLAS_THREADS };

static const struct option opts[] = {
    { "genotype", required_argument, NULL, OPT_GENOTYPE },
    { "F", required_argument, NULL, OPT_F },
    { "N", required_argument, NULL, OPT_N },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "input", required_argument, NULL, OPT_INPUT },
    { "classes", required_argument, NULL, OPT_CLASSES },
    { "seconds", required_argument, NULL, OPT_SECONDS },
    { "blas-threads", required_argument, NULL, OPT_BLAS_THREADS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

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

static int parse_input(const char *val, int *c, int *h, int *w)
{
    char tail;
    return sscanf(val, "%dx%dx%d%c", c, h, w, &tail) == 3 && *c >= 1 &&
           *c <= 4096 && *h >= 1 && *h <= 4096 && *w >= 1 && *w <= 4096;
}

int cmd_bench(int argc, char **argv)
{
    const char *gtext = "nasnet-a";
    long F = 16, N = 1, batch = 64, threads = 1, classes = 10, blas = 1;
    int c = 1, h = 28, w = 28, opt, rc;
    double seconds = 2.0;
    OutputFormat format = FORMAT_TABLE;

    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        case OPT_GENOTYPE:
            gtext = optarg;
            break;
        case OPT_F:
            if ((rc = cli_parse_proxy_long("bench", PROXY_F, optarg, &F)))
                return rc;
            break;
        case OPT_N:
            if ((rc = cli_parse_proxy_long("bench", PROXY_N, optarg, &N)))
                return rc;
            break;
        case OPT_BATCH:
            if ((rc = cli_parse_proxy_long("bench", PROXY_BATCH, optarg,
                                           &batch)))
                return rc;
            break;
        case OPT_THREADS:
            if ((rc = cli_parse_proxy_long("bench", PROXY_THREADS, optarg,
                                           &threads)))
                return rc;
            break;
        case OPT_BLAS_THREADS:
            if ((rc = cli_parse_long("bench", "--blas-threads", optarg, 1, 256,
                                     &blas)))
                return rc;
            break;
        case OPT_CLASSES:
            if ((rc = cli_parse_long("bench", "--classes", optarg, 2, 256,
                                     &classes)))
                return rc;
            break;
        case OPT_SECONDS:
            if ((rc = cli_parse_double("bench", "--seconds", optarg, 0.0, 3600,
                                       &seconds)))
                return rc;
            break;
        case OPT_INPUT:
            if (!parse_input(optarg, &c, &h, &w))
                return cli_usage_error("bench",
                                       "--input '%s' is not CxHxW (e.g. 3x32x32)",
                                       optarg);
            break;
        case OPT_FORMAT:
            if ((rc = cli_parse_format("bench", optarg, 3, &format)))
                return rc;
            break;
        default:
            return cli_option_error("bench", opt, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("bench", "unexpected argument '%s'",
                               argv[optind]);

    Genotype g;
    NvError err;
    nv_error_clear(&err);
    if (geno_resolve(gtext, &g, &err) != NV_OK)
        return cli_fail("bench", &err);
    ChildShape sh = { (int)F, (int)N, c, h, w, (int)classes };
    Net *net;
    Tensor *input, *logits;
    if (child_build(&g, &sh, (int)batch, &net, &input, &logits, &err) != NV_OK)
        return cli_fail("bench", &err);
    if (net_set_threads(net, (int)threads, &err) != NV_OK ||
        net_finish(net, 1, &err) != NV_OK) {
        net_free(net);
        return cli_fail("bench", &err);
    }
    openblas_set_num_threads((int)blas);

    Rng rng;
    rng_seed(&rng, 1, 0);
    size_t nin = (size_t)batch * c * h * w;
    float *img = malloc(sizeof(float) * nin);
    uint8_t *labels = malloc((size_t)batch);
    if (!img || !labels) {
        free(img);
        free(labels);
        net_free(net);
        nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
        return cli_fail("bench", &err);
    }
    for (size_t i = 0; i < nin; i++)
        img[i] = (float)rng_normal(&rng);
    for (long i = 0; i < batch; i++)
        labels[i] = (uint8_t)rng_below(&rng, (uint32_t)classes);
    net_set_input(net, input, img, (int)batch);

    BenchResult r;
    memset(&r, 0, sizeof r);
    bench_run(net, logits, labels, (int)batch, seconds, &r);
    openblas_set_num_threads((int)(threads > blas ? threads : blas));
    double sgemm = bench_sgemm();
    /* 3 x 8 MiB, as large as a layer's tensors at batch 64 (past L2): the
     * bandwidth the layers stream at; 3 x 128 KiB: what the nearest caches
     * give */
    const double mem_gbps = bench_triad((size_t)2 * 1024 * 1024);
    const double cache_gbps = bench_triad((size_t)32 * 1024);
    double kflops[LAYER_KINDS], kbytes[LAYER_KINDS], kbound[LAYER_KINDS];
    net_kind_costs(net, kflops, kbytes);
    for (int k = 0; k < LAYER_KINDS; k++) {
        kflops[k] *= (double)batch;
        kbytes[k] *= (double)batch;
        const double tf = sgemm > 0.0 ? kflops[k] / (sgemm * 1e9) : 0.0;
        const double tb = mem_gbps > 0.0 ? kbytes[k] / (mem_gbps * 1e9) : 0.0;
        kbound[k] = tf > tb ? tf : tb;
    }
    const int64_t ma = net_mult_adds(net), params = net_param_count(net);
    const double train_gflops = r.train_ips * 6.0 * (double)ma / 1e9;
    const double infer_gflops = r.infer_ips * 2.0 * (double)ma / 1e9;
    double kinds_total = 0.0;
    for (int k = 0; k < LAYER_KINDS; k++)
        kinds_total += r.kind_s[k];
    const double other = r.train_cpu_s > kinds_total
                             ? r.train_cpu_s - kinds_total : 0.0;

    if (format == FORMAT_JSON) {
        char text[GENO_TEXT_MAX];
        geno_format(&g, text, sizeof text);
        fputs("{\"genotype\":", stdout);
        json_string(stdout, text);
        printf(",\"F\":%ld,\"N\":%ld,\"input\":\"%dx%dx%d\",\"classes\":%ld,"
               "\"batch\":%ld,\"threads\":%ld,\"blas_threads\":%ld,"
               "\"params\":%lld,"
               "\"mult_adds\":%lld,\"memory_bytes\":%zu",
               F, N, c, h, w, classes, batch, threads, blas, (long long)params,
               (long long)ma, net_bytes(net));
        fputs(",\"train_images_per_s\":", stdout);
        json_number(stdout, r.train_ips);
        fputs(",\"train_gflops\":", stdout);
        json_number(stdout, train_gflops);
        fputs(",\"train_step_ms\":", stdout);
        json_number(stdout, r.step_s * 1e3);
        fputs(",\"train_cpu_ms\":", stdout);
        json_number(stdout, r.train_cpu_s * 1e3);
        fputs(",\"infer_images_per_s\":", stdout);
        json_number(stdout, r.infer_ips);
        fputs(",\"infer_gflops\":", stdout);
        json_number(stdout, infer_gflops);
        fputs(",\"sgemm_gflops\":", stdout);
        json_number(stdout, sgemm);
        fputs(",\"layers_ms\":{", stdout);
        for (int k = 0; k < LAYER_KINDS; k++) {
            printf("%s\"%s\":", k ? "," : "", layer_kinds[k].name);
            json_number(stdout, r.kind_s[k] * 1e3);
        }
        fputs(",\"other\":", stdout);
        json_number(stdout, other * 1e3);
        fputs("},\"memory_gbps\":", stdout);
        json_number(stdout, mem_gbps);
        fputs(",\"cache_gbps\":", stdout);
        json_number(stdout, cache_gbps);
        /* per kind: ms, least GFLOP and MB per step, the bound in ms */
        fputs(",\"roofline\":{", stdout);
        for (int k = 0; k < LAYER_KINDS; k++) {
            printf("%s\"%s\":{\"ms\":", k ? "," : "", layer_kinds[k].name);
            json_number(stdout, r.kind_s[k] * 1e3);
            fputs(",\"gflop\":", stdout);
            json_number(stdout, kflops[k] / 1e9);
            fputs(",\"mbytes\":", stdout);
            json_number(stdout, kbytes[k] / 1e6);
            fputs(",\"bound_ms\":", stdout);
            json_number(stdout, kbound[k] * 1e3);
            fputs("}", stdout);
        }
        fputs("}}\n", stdout);
    } else {
        printf("child        %s F=%ld N=%ld input %dx%dx%d, %ld classes, "
               "batch %ld, %ld thread%s, OpenBLAS %ld\n",
               gtext, F, N, c, h, w, classes, batch, threads,
               threads == 1 ? "" : "s", blas);
        printf("params       %lld\nmult-adds    %lld per image\n"
               "memory       %.1f MiB planned\n",
               (long long)params, (long long)ma,
               (double)net_bytes(net) / (1024.0 * 1024.0));
        printf("train        %.1f images/s  %.2f GFLOP/s  (%.1f ms per step, "
               "%.1f ms CPU)\n",
               r.train_ips, train_gflops, r.step_s * 1e3, r.train_cpu_s * 1e3);
        printf("inference    %.1f images/s  %.2f GFLOP/s\n", r.infer_ips,
               infer_gflops);
        printf("sgemm 1024^3 %.1f GFLOP/s (OpenBLAS, %ld thread%s)\n", sgemm,
               threads > blas ? threads : blas,
               (threads > blas ? threads : blas) == 1 ? "" : "s");
        printf("\ntraining step by layer kind (forward + backward, CPU time of "
               "all threads)\n");
        printf("  %-10s %9s %6s %7s\n", "kind", "ms/step", "share", "layers");
        for (int k = 0; k < LAYER_KINDS; k++)
            if (r.kind_calls[k] > 0)
                printf("  %-10s %9.2f %5.1f%% %7lld\n", layer_kinds[k].name,
                       r.kind_s[k] * 1e3,
                       100.0 * r.kind_s[k] / (kinds_total + other),
                       (long long)r.kind_calls[k]);
        printf("  %-10s %9.2f %5.1f%%\n", "other", other * 1e3,
               100.0 * other / (kinds_total + other));
        printf("\nroofline: sgemm %.1f GFLOP/s, memory %.1f GB/s (triad 3 x 8 "
               "MiB, 1 thread; 3 x 128 KiB: %.1f GB/s)\n", sgemm, mem_gbps,
               cache_gbps);
        printf("  %-10s %9s %8s %8s %8s %7s %9s %8s\n", "kind", "ms/step",
               "GFLOP", "MB", "GFLOP/s", "GB/s", "bound ms", "x bound");
        for (int k = 0; k < LAYER_KINDS; k++) {
            const double t = r.kind_s[k];
            if (r.kind_calls[k] <= 0 || t <= 0.0)
                continue;
            printf("  %-10s %9.2f %8.3f %8.1f %8.1f %7.1f %9.2f %8.1f\n",
                   layer_kinds[k].name, t * 1e3, kflops[k] / 1e9,
                   kbytes[k] / 1e6, kflops[k] / t / 1e9, kbytes[k] / t / 1e9,
                   kbound[k] * 1e3, kbound[k] > 0.0 ? t / kbound[k] : 0.0);
        }
    }
    free(img);
    free(labels);
    net_free(net);
    return CLI_EXIT_OK;
}
