/* cmd_eval.c - `nasview eval --weights FILE`: score a dataset part with
 * the weights of a trained child (or a checkpoint) and print its accuracy,
 * a per-class accuracy table and the confusion matrix.  The images are
 * normalised with the statistics stored in the weights file, so they are
 * scored as the network was trained. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "cli/cli.h"
#include "data/dataset.h"
#include "nn/network.h"
#include "train/train.h"
#include "train/weights.h"

static const char usage[] =
    "Usage: nasview eval --weights FILE [--dataset D] [--part test|train]\n"
    "                    [--batch n] [--threads n] [--format table|json]\n"
    "Score a dataset with trained weights (from nasview train --save or\n"
    "--checkpoint): accuracy, per-class accuracy and the confusion matrix.\n"
    "\n"
    "  --weights FILE   the weights file\n"
    "  --dataset D      fashion-mnist (default), cifar10:DIR or a directory\n"
    "                   of IDX files\n"
    "  --part P         test (default) or train: which images to score\n"
    "  --batch n        images per forward pass (100)\n"
    "  --threads n      threads (2)\n"
    "  --format F       table (default) or json\n";

enum { OPT_WEIGHTS = 1, OPT_DATASET, OPT_PART, OPT_BATCH, OPT_THREADS,
       OPT_FORMAT };

static const struct option opts[] = {
    { "weights", required_argument, NULL, OPT_WEIGHTS },
    { "dataset", required_argument, NULL, OPT_DATASET },
    { "part", required_argument, NULL, OPT_PART },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void eval_table(const WeightsFile *wf, const Dataset *d,
                       const char *file, float acc, const int64_t *conf)
{
    const int k = wf->classes;
    char text[GENO_TEXT_MAX];
    geno_format(&wf->geno, text, sizeof text);
    printf("weights      %s (F=%d N=%d, %dx%dx%d input, %d classes)\n", file,
           wf->F, wf->N, wf->c, wf->h, wf->w, k);
    printf("genotype     %s\n", text);
    printf("data         %s: %lld images\n", d->name, (long long)d->n);
    printf("accuracy     %.4f\n\n", acc);
    printf("class  images  correct  accuracy\n");
    for (int t = 0; t < k; t++) {
        int64_t row = 0;
        for (int p = 0; p < k; p++)
            row += conf[t * k + p];
        printf("%5d  %6lld  %7lld  ", t, (long long)row,
               (long long)conf[t * k + t]);
        if (row > 0)
            printf("%8.4f\n", (double)conf[t * k + t] / (double)row);
        else
            printf("%8s\n", "-");
    }
    printf("\nconfusion matrix (rows: true class, columns: predicted)\n");
    printf("%5s", "");
    for (int p = 0; p < k; p++)
        printf(" %6d", p);
    putchar('\n');
    for (int t = 0; t < k; t++) {
        printf("%5d", t);
        for (int p = 0; p < k; p++)
            printf(" %6lld", (long long)conf[t * k + p]);
        putchar('\n');
    }
}

static void eval_json(const WeightsFile *wf, const Dataset *d, float acc,
                      const int64_t *conf)
{
    const int k = wf->classes;
    char text[GENO_TEXT_MAX];
    geno_format(&wf->geno, text, sizeof text);
    fputs("{\"genotype\":", stdout);
    json_string(stdout, text);
    printf(",\"F\":%d,\"N\":%d,\"classes\":%d,\"images\":%lld,\"accuracy\":",
           wf->F, wf->N, k, (long long)d->n);
    json_number(stdout, acc);
    fputs(",\"class_accuracy\":[", stdout);
    for (int t = 0; t < k; t++) {
        int64_t row = 0;
        for (int p = 0; p < k; p++)
            row += conf[t * k + p];
        if (t)
            putchar(',');
        if (row > 0)
            json_number(stdout, (double)conf[t * k + t] / (double)row);
        else
            fputs("null", stdout);
    }
    fputs("],\"confusion\":[", stdout);
    for (int t = 0; t < k; t++) {
        printf("%s[", t ? "," : "");
        for (int p = 0; p < k; p++)
            printf("%s%lld", p ? "," : "", (long long)conf[t * k + p]);
        putchar(']');
    }
    fputs("]}\n", stdout);
}

/* cmd_eval - `nasview eval`; returns the exit status. */
int cmd_eval(int argc, char **argv)
{
    const char *file = NULL, *dataset = "fashion-mnist";
    DatasetPart part = DATASET_TEST;
    long batch = 100, threads = 2;
    OutputFormat format = FORMAT_TABLE;
    int c, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        case OPT_WEIGHTS:
            file = optarg;
            break;
        case OPT_DATASET:
            dataset = optarg;
            break;
        case OPT_PART:
            if (strcmp(optarg, "test") == 0)
                part = DATASET_TEST;
            else if (strcmp(optarg, "train") == 0)
                part = DATASET_TRAIN;
            else
                return cli_usage_error("eval", "--part '%s': test or train",
                                       optarg);
            break;
        case OPT_BATCH:
            if ((rc = cli_parse_long("eval", "--batch", optarg, 1, 65536,
                                     &batch)))
                return rc;
            break;
        case OPT_THREADS:
            if ((rc = cli_parse_long("eval", "--threads", optarg, 1,
                                     NET_MAX_THREADS, &threads)))
                return rc;
            break;
        case OPT_FORMAT:
            if ((rc = cli_parse_format("eval", optarg, 3, &format)))
                return rc;
            break;
        default:
            return cli_option_error("eval", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("eval", "unexpected argument '%s'",
                               argv[optind]);
    if (!file)
        return cli_usage_error("eval", "missing --weights FILE");

    NvError err;
    nv_error_clear(&err);
    WeightsFile wf;
    if (weights_load(file, &wf, &err) != NV_OK)
        return cli_fail("eval", &err);
    Dataset *d = NULL;
    if (dataset_load(dataset, part, &d, &err) != NV_OK) {
        weights_free(&wf);
        return cli_fail("eval", &err);
    }
    memcpy(d->mean, wf.mean, sizeof d->mean);
    memcpy(d->std, wf.std, sizeof d->std);
    int64_t *conf = calloc((size_t)wf.classes * (size_t)wf.classes,
                           sizeof *conf);
    float acc = 0.0f;
    NvStatus st = conf ? train_eval_weights(&wf, d, (int)batch, (int)threads,
                                            conf, &acc, &err)
                       : nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
    if (st == NV_OK) {
        if (format == FORMAT_JSON)
            eval_json(&wf, d, acc, conf);
        else
            eval_table(&wf, d, file, acc, conf);
    }
    free(conf);
    dataset_free(d);
    weights_free(&wf);
    if (st != NV_OK)
        return cli_fail("eval", &err);
    return CLI_EXIT_OK;
}
