/* cmd_eval.c - `nasview eval --weights FILE`: score a dataset part with
 * the weights of a trained child (or a checkpoint) and print its accuracy,
 * a per-class accuracy table and the confusion matrix.  The images are
 * normalised with the statistics stored in the weights file, so they are
 * scored as the network was trained. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
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

typedef struct {
    const char *file, *dataset;
    DatasetPart part;
    long batch, threads;
    OutputFormat format;
} EvalArgs;

/* set_part - --part test|train. */
static int set_part(const char *cmd, const CliArg *arg, const char *val,
                    void *opts)
{
    EvalArgs *a = opts;
    (void)arg;
    if (strcmp(val, "test") == 0)
        a->part = DATASET_TEST;
    else if (strcmp(val, "train") == 0)
        a->part = DATASET_TRAIN;
    else
        return cli_usage_error(cmd, "--part '%s': test or train", val);
    return 0;
}

static const CliArg args[] = {
    { .name = "weights", .kind = CLI_ARG_STRING,
      .offset = offsetof(EvalArgs, file) },
    { .name = "dataset", .kind = CLI_ARG_STRING,
      .offset = offsetof(EvalArgs, dataset) },
    { .name = "part", .kind = CLI_ARG_CUSTOM, .custom = set_part },
    { .name = "batch", .kind = CLI_ARG_LONG,
      .offset = offsetof(EvalArgs, batch), .lo = 1, .hi = 65536 },
    { .name = "threads", .kind = CLI_ARG_LONG,
      .offset = offsetof(EvalArgs, threads), .lo = 1,
      .hi = NET_MAX_THREADS },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(EvalArgs, format), .formats = 3 },
};

static const CliCommand command = { "eval", usage, args,
                                    sizeof args / sizeof args[0], 0 };

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
    EvalArgs a = { NULL, "fashion-mnist", DATASET_TEST, 100, 2,
                   FORMAT_TABLE };
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    const char *file = a.file, *dataset = a.dataset;
    const long batch = a.batch, threads = a.threads;
    const OutputFormat format = a.format;
    if (!file)
        return cli_usage_error("eval", "missing --weights FILE");

    NvError err;
    nv_error_clear(&err);
    WeightsFile wf;
    if (weights_load(file, &wf, &err) != NV_OK)
        return cli_fail("eval", &err);
    Dataset *d = NULL;
    if (dataset_load(dataset, a.part, &d, &err) != NV_OK) {
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
