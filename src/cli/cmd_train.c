/* cmd_train.c - `nasview train`: train one architecture on a dataset's
 * seeded train/validation split and report its accuracy (and the test
 * accuracy with --test).  A live progress line goes to stderr when it is a
 * terminal; Ctrl-C stops training cleanly (exit status 130). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_args.h"
#include "data/dataset.h"
#include "space/genotype.h"
#include "base/jsonw.h"
#include "nn/network.h"
#include "train/train.h"
#include "train/weights.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview train (--genotype (TEXT | nasnet-a) | --from SEARCH[:SAMPLE])\n"
    "                     [--db FILE] [--F n] [--N n]\n"
    "                     [--epochs n] [--train-size n] [--val-size n]\n"
    "                     [--batch n] [--lr x] [--dataset D] [--seed S]\n"
    "                     [--threads n] [--bn-recalibrate on|off] [--test]\n"
    "                     [--checkpoint FILE] [--resume FILE] [--save FILE]\n"
    "                     [--epoch-scores on|off] [--drop-path p] [--cutout n]\n"
    "                     [--crop-flip on|off] [--clip x] [--label-smoothing x]\n"
    "                     [--aux-weight x]\n"
    "                     [--format table|json]\n"
    "Train one architecture and report its validation (and test) accuracy.\n"
    "\n"
    "  --genotype G     the architecture (text form, or nasnet-a)\n"
    "  --from S[:I]     the genotype of sample I of search S (its best sample\n"
    "                   without :I); the run is stored in the database,\n"
    "                   linked to that sample (nasview show S I); the\n"
    "                   dataset defaults to the search's\n"
    "  --db FILE        the database of --from\n"
    "  --F n --N n      filters of the first stack (8), normal cells per\n"
    "                   stack (1)\n"
    "  --epochs n       passes over the training subset (1)\n"
    "  --train-size n   images in the training subset (10000); `all`: every\n"
    "                   training image, and no validation subset (score\n"
    "                   the test images with --test instead)\n"
    "  --val-size n     images in the validation subset (5000; 0 for none)\n"
    "  --batch n        minibatch size (64)\n"
    "  --lr x           initial learning rate, cosine-annealed to 0 (0.05)\n"
    "  --dataset D      fashion-mnist (default), cifar10:DIR or a directory\n"
    "                   of IDX files\n"
    "  --seed S         split, weight initialisation and batch order (1)\n"
    "  --threads n      worker threads, each training on its part of every\n"
    "                   batch (2; results are reproducible for a given\n"
    "                   count)\n"
    "  --bn-recalibrate on|off  before scoring, set the batch-norm\n"
    "                   statistics to those of 2000 seeded training images\n"
    "                   (all of them when fewer) in training mode (on)\n"
    "  --test           also score the test images\n"
    "  --checkpoint F   write weights, optimiser state and position to F at\n"
    "                   every epoch end (atomically)\n"
    "  --resume F       continue the run that wrote checkpoint F (same\n"
    "                   command line); the result is bit-identical to a run\n"
    "                   never stopped\n"
    "  --save F         write the final weights to F (for nasview eval)\n"
    "  --drop-path p    ScheduledDropPath: drop each op's path with a\n"
    "                   probability rising linearly from 0 to p (0: off)\n"
    "  --cutout n       zero a random n x n square of every image (0: off)\n"
    "  --crop-flip on|off  random crop (padding 4) and horizontal flip (on\n"
    "                   for 3x32x32 images such as CIFAR-10, off otherwise)\n"
    "  --clip x         clip the gradients to L2 norm x (0: off)\n"
    "  --label-smoothing x  smooth the targets by x (0: off)\n"
    "  --aux-weight x   add an auxiliary classifier after the second\n"
    "                   reduction cell, its loss weighted by x (the paper:\n"
    "                   0.4; 0: none)\n"
    "  --epoch-scores on|off  score validation (and test) after every epoch\n"
    "                   and print a line per epoch (on); training is the same\n"
    "                   either way\n"
    "  --format F       table (default) or json (one object on the last line)\n";

/* What the options ask for. */
typedef struct {
    const char *gtext, *from, *db, *dataset, *resume, *checkpoint, *save;
    TrainConfig cfg;         /* --bn-recalibrate; then the proxy settings */
    CliProxy proxy;          /* --F --N --epochs --batch --lr --threads ... */
    int64_t train_n, val_n;  /* --train-size, --val-size */
    int train_all, val_given, dataset_given, epoch_scores, crop_flip;
    int want_test;
    double drop_path, clip, smooth, aux_weight;
    long cutout;
    uint64_t seed;
    OutputFormat format;
} TrainArgs;

/* set_train_size - --train-size n, or `all`: every training image. */
static int set_train_size(const char *cmd, const CliArg *arg, const char *val,
                          void *opts)
{
    TrainArgs *a = opts;
    (void)arg;
    a->train_all = strcmp(val, "all") == 0;
    if (a->train_all)
        return 0;
    return cli_parse_proxy(cmd, PROXY_TRAIN_SIZE, val, &a->cfg, &a->train_n,
                           NULL);
}

/* set_val_size - --val-size n, or 0: no validation subset. */
static int set_val_size(const char *cmd, const CliArg *arg, const char *val,
                        void *opts)
{
    TrainArgs *a = opts;
    (void)arg;
    if (strcmp(val, "0") == 0) {
        a->val_n = 0;
        return 0;
    }
    return cli_parse_proxy(cmd, PROXY_VAL_SIZE, val, &a->cfg, NULL,
                           &a->val_n);
}

#define AT(field) offsetof(TrainArgs, field)
static const CliArg args[] = {
    { .name = "genotype", .kind = CLI_ARG_STRING, .offset = AT(gtext) },
    { .kind = CLI_ARG_PROXY_ALL, .offset = AT(proxy) },
    { .name = "train-size", .kind = CLI_ARG_CUSTOM, .custom = set_train_size },
    { .name = "val-size", .kind = CLI_ARG_CUSTOM, .custom = set_val_size,
      .seen = CLI_SEEN(TrainArgs, val_given) },
    { .name = "dataset", .kind = CLI_ARG_STRING, .offset = AT(dataset),
      .seen = CLI_SEEN(TrainArgs, dataset_given) },
    { .name = "seed", .kind = CLI_ARG_U64, .offset = AT(seed) },
    { .name = "test", .kind = CLI_ARG_FLAG, .offset = AT(want_test) },
    { .name = "bn-recalibrate", .kind = CLI_ARG_ON_OFF,
      .offset = AT(cfg.bn_recalibrate) },
    { .name = "format", .kind = CLI_ARG_FORMAT, .offset = AT(format),
      .formats = 3 },
    { .name = "checkpoint", .kind = CLI_ARG_STRING, .offset = AT(checkpoint) },
    { .name = "resume", .kind = CLI_ARG_STRING, .offset = AT(resume) },
    { .name = "save", .kind = CLI_ARG_STRING, .offset = AT(save) },
    { .name = "epoch-scores", .kind = CLI_ARG_ON_OFF,
      .offset = AT(epoch_scores) },
    { .name = "from", .kind = CLI_ARG_STRING, .offset = AT(from) },
    { .name = "db", .kind = CLI_ARG_STRING, .offset = AT(db) },
    { .name = "drop-path", .kind = CLI_ARG_REAL, .offset = AT(drop_path),
      .lo = 0.0, .hi = 0.95 },
    { .name = "cutout", .kind = CLI_ARG_LONG, .offset = AT(cutout), .lo = 0,
      .hi = 4096 },
    { .name = "crop-flip", .kind = CLI_ARG_ON_OFF, .offset = AT(crop_flip) },
    { .name = "clip", .kind = CLI_ARG_REAL, .offset = AT(clip), .lo = 0.0,
      .hi = 1e9 },
    { .name = "label-smoothing", .kind = CLI_ARG_REAL, .offset = AT(smooth),
      .lo = 0.0, .hi = 0.99 },
    { .name = "aux-weight", .kind = CLI_ARG_REAL, .offset = AT(aux_weight),
      .lo = 0.0, .hi = 10.0 },
};
#undef AT

static const CliCommand command = { "train", usage, args,
                                    sizeof args / sizeof args[0], 0 };

/* The one piece of global state: a signal handler can only reach a
 * global.  Set by SIGINT/SIGTERM, polled by the progress callback. */
static volatile sig_atomic_t train_stop_signal;

static void train_on_signal(int sig)
{
    train_stop_signal = sig;
}

typedef struct {
    int tty;       /* draw the progress line */
    int64_t steps; /* per epoch, for the batch counter */
    FILE *lines;   /* where per-epoch lines go */
} ProgressCtx;

/* One line per finished epoch: its loss and scores (-1: not measured). */
static void train_epoch_line(int epoch, int epochs, const WeightsEpoch *e,
                             void *vctx)
{
    const ProgressCtx *ctx = vctx;
    if (ctx->tty)
        fputs("\r\033[K", stderr);
    fprintf(ctx->lines, "epoch %d/%d  train_loss %.4f", epoch + 1, epochs,
            e->train_loss);
    if (e->val_acc >= 0.0f)
        fprintf(ctx->lines, "  val_acc %.4f", e->val_acc);
    if (e->test_acc >= 0.0f)
        fprintf(ctx->lines, "  test_acc %.4f", e->test_acc);
    fprintf(ctx->lines, "  %.1f s\n", e->seconds);
    fflush(ctx->lines);
}

static int train_progress(const TrainProgress *p, void *vctx)
{
    const ProgressCtx *ctx = vctx;
    if (ctx->tty) {
        if (p->evaluating)
            fprintf(stderr, "\r\033[Kepoch %d/%d  evaluating...", p->epoch + 1,
                    p->epochs);
        else {
            int64_t per = p->steps / (p->epochs > 0 ? p->epochs : 1);
            int64_t in_epoch = per > 0 ? (p->step - 1) % per + 1 : p->step;
            fprintf(stderr,
                    "\r\033[Kepoch %d/%d  batch %lld/%lld  loss %.4f  acc %.3f"
                    "  %.0f images/s  ETA %.0fs",
                    p->epoch + 1, p->epochs, (long long)in_epoch,
                    (long long)per, p->loss, p->train_acc, p->images_per_s,
                    p->eta_s);
        }
        fflush(stderr);
    }
    return train_stop_signal != 0;
}

/* Every setting of a final run that the table's columns do not hold, as a
 * JSON object into buf (size n). */
static void train_settings_json(const TrainConfig *cfg,
                                const TrainOptions *topt, char *buf, size_t n)
{
    const TrainRegs *r = &topt->regs;
    snprintf(buf, n,
             "{\"momentum\":%g,\"weight_decay\":%g,\"bn_recalibrate\":%s,"
             "\"recal_images\":%d,\"epoch_scores\":%s,\"resumed\":%s,"
             "\"drop_path\":%g,\"cutout\":%d,\"crop_flip\":%s,"
             "\"clip\":%g,\"label_smoothing\":%g,\"aux_weight\":%g}",
             cfg->momentum, cfg->weight_decay,
             cfg->bn_recalibrate ? "true" : "false", cfg->recal_images,
             topt->epoch_scores ? "true" : "false",
             topt->resume ? "true" : "false", r->drop_path, r->cutout,
             r->crop_flip ? "true" : "false", r->clip, r->label_smooth,
             r->aux_weight);
}

static void print_json(const Genotype *g, const TrainConfig *cfg,
                       const TrainOptions *topt, const char *dataset,
                       long train_n, long val_n, const TrainResult *r)
{
    char settings[1024];
    char text[GENO_TEXT_MAX], hash[17];
    geno_format(g, text, sizeof text);
    geno_hash_hex(g, hash);
    fputs("{\"genotype\":", stdout);
    json_string(stdout, text);
    fputs(",\"hash\":", stdout);
    json_string(stdout, hash);
    fputs(",\"dataset\":", stdout);
    json_string(stdout, dataset);
    printf(",\"F\":%d,\"N\":%d,\"epochs\":%d,\"batch\":%d,\"train_size\":%ld,"
           "\"val_size\":%ld,\"seed\":%llu,\"threads\":%d,"
           "\"bn_recalibrate\":%s,\"lr\":",
           cfg->F, cfg->N, cfg->epochs, cfg->batch, train_n, val_n,
           (unsigned long long)cfg->seed, cfg->threads,
           cfg->bn_recalibrate ? "true" : "false");
    json_number(stdout, cfg->lr);
    printf(",\"params\":%lld,\"mult_adds\":%lld,\"val_acc\":",
           (long long)r->params, (long long)r->mult_adds);
    if (val_n > 0)
        json_number(stdout, r->val_acc);
    else
        fputs("null", stdout);
    fputs(",\"test_acc\":", stdout);
    if (r->test_acc < 0.0f)
        fputs("null", stdout);
    else
        json_number(stdout, r->test_acc);
    fputs(",\"train_loss\":", stdout);
    json_number(stdout, r->train_loss);
    fputs(",\"seconds\":", stdout);
    json_number(stdout, r->seconds);
    train_settings_json(cfg, topt, settings, sizeof settings);
    printf(",\"settings\":%s", settings);
    printf(",\"epochs_done\":%d,\"diverged\":%s,\"interrupted\":%s}\n",
           r->epochs_done, r->diverged ? "true" : "false",
           r->interrupted ? "true" : "false");
}

static void print_table(const Genotype *g, const TrainConfig *cfg,
                        const TrainRegs *rg, const char *dataset,
                        long train_n, long val_n, const Dataset *test,
                        const TrainResult *r)
{
    char text[GENO_TEXT_MAX];
    geno_format(g, text, sizeof text);
    printf("genotype     %s\n", text);
    printf("child        F=%d N=%d, %lld parameters, %.2fM mult-adds per image\n",
           cfg->F, cfg->N, (long long)r->params, (double)r->mult_adds / 1e6);
    printf("data         %s: %ld train, %ld validation", dataset, train_n,
           val_n);
    if (test)
        printf(", %lld test", (long long)test->n);
    printf(" (seed %llu)\n", (unsigned long long)cfg->seed);
    printf("training     %d epoch%s, batch %d, lr %g, %d thread%s, %.1f s\n",
           cfg->epochs, cfg->epochs == 1 ? "" : "s", cfg->batch, cfg->lr,
           cfg->threads, cfg->threads == 1 ? "" : "s", r->seconds);
    if (rg->drop_path > 0.0f || rg->cutout > 0 || rg->crop_flip ||
        rg->clip > 0.0f || rg->label_smooth > 0.0f || rg->aux_weight > 0.0f) {
        printf("regularisers");
        if (rg->drop_path > 0.0f)
            printf(" drop-path %g", rg->drop_path);
        if (rg->cutout > 0)
            printf(" cutout %d", rg->cutout);
        if (rg->crop_flip)
            printf(" crop+flip");
        if (rg->clip > 0.0f)
            printf(" clip %g", rg->clip);
        if (rg->label_smooth > 0.0f)
            printf(" label-smoothing %g", rg->label_smooth);
        if (rg->aux_weight > 0.0f)
            printf(" auxiliary head (weight %g)", rg->aux_weight);
        putchar('\n');
    }
    printf("batch norm   %s\n", cfg->bn_recalibrate
                                     ? "recalibrated before scoring"
                                     : "running statistics of training");
    if (r->diverged) {
        printf("diverged     the loss became NaN or infinite; reward 0\n");
        return;
    }
    if (r->interrupted) {
        printf("interrupted  training was stopped before it finished\n");
        return;
    }
    printf("train loss   %.4f (mean over the last epoch)\n", r->train_loss);
    if (val_n > 0)
        printf("val_acc      %.4f\n", r->val_acc);
    else
        printf("val_acc      none (no validation subset)\n");
    if (r->test_acc >= 0.0f)
        printf("test_acc     %.4f\n", r->test_acc);
}

/* Find SEARCH[:SAMPLE] in db: the whole text as a search first (a name
 * may hold ':'), else the part before the last ':' as the search and the
 * number after it as the sample; without a sample, the search's best. */
static NvStatus train_from_lookup(const char *db, const char *from,
                                  StoreSearch *s, StoreSample *x,
                                  NvError *err)
{
    Store *st = NULL;
    NvStatus rv = store_open(db, STORE_READ, &st, err);
    if (rv != NV_OK)
        return rv;
    long idx = -1;
    rv = store_search_find(st, from, s, err);
    const char *colon = strrchr(from, ':');
    if (rv == NV_ERR_NOT_FOUND && colon && colon > from && colon[1]) {
        char name[STORE_NAME_MAX];
        char *end;
        size_t len = (size_t)(colon - from);
        idx = strtol(colon + 1, &end, 10);
        if (*end != '\0' || idx < 0 || len >= sizeof name) {
            store_close(st);
            return nv_error_set(err, NV_ERR_USAGE,
                                "--from %s: SAMPLE after ':' must be a "
                                "sample number", from);
        }
        memcpy(name, from, len);
        name[len] = '\0';
        nv_error_clear(err);
        rv = store_search_find(st, name, s, err);
    }
    if (rv == NV_OK && idx < 0) {
        if (s->best_idx < 0)
            rv = nv_error_set(err, NV_ERR_NOT_FOUND,
                              "search '%s' has no sample with a reward yet: "
                              "name one with --from %s:SAMPLE",
                              s->name, s->name);
        else
            idx = s->best_idx;
    }
    if (rv == NV_OK)
        rv = store_sample_get(st, s->id, (int)idx, x, NULL, NULL, err);
    store_close(st);
    return rv;
}

/* Store the finished (or diverged, interrupted) run of --from. */
static NvStatus train_from_store(const char *db, const StoreSearch *s,
                                 const StoreSample *x, const TrainConfig *cfg,
                                 const char *dataset, long train_n, long val_n,
                                 const TrainOptions *topt,
                                 const TrainResult *r,
                                 const WeightsEpoch *curve, int64_t *run_id,
                                 NvError *err)
{
    StoreFinalRun fr;
    memset(&fr, 0, sizeof fr);
    fr.search_id = s->id;
    fr.sample_idx = x->idx;
    snprintf(fr.genotype, sizeof fr.genotype, "%s", x->genotype);
    snprintf(fr.hash, sizeof fr.hash, "%s", x->hash);
    snprintf(fr.dataset, sizeof fr.dataset, "%s", dataset);
    fr.F = cfg->F;
    fr.N = cfg->N;
    fr.epochs = cfg->epochs;
    fr.batch = cfg->batch;
    fr.threads = cfg->threads;
    fr.lr = cfg->lr;
    fr.seed = cfg->seed;
    fr.train_size = train_n;
    fr.val_size = val_n;
    train_settings_json(cfg, topt, fr.settings, sizeof fr.settings);
    snprintf(fr.status, sizeof fr.status, "%s",
             r->diverged ? "diverged" : r->interrupted ? "interrupted"
                                                       : "done");
    fr.epochs_done = r->epochs_done;
    fr.val_acc = val_n > 0 && !r->interrupted ? r->val_acc : NAN;
    fr.test_acc = r->test_acc >= 0.0f ? r->test_acc : NAN;
    fr.train_loss = r->epochs_done > 0 ? r->train_loss : NAN;
    fr.params = r->params;
    fr.seconds = r->seconds;
    /* absolute paths, so the row still names the files from elsewhere */
    char abs[PATH_MAX];
    if (topt->save && !r->interrupted && !r->diverged)
        snprintf(fr.weights, sizeof fr.weights, "%.*s",
                 (int)sizeof fr.weights - 1,
                 realpath(topt->save, abs) ? abs : topt->save);
    if (topt->checkpoint)
        snprintf(fr.checkpoint, sizeof fr.checkpoint, "%.*s",
                 (int)sizeof fr.checkpoint - 1,
                 realpath(topt->checkpoint, abs) ? abs : topt->checkpoint);
    StoreRunEpoch *ep = calloc((size_t)(r->epochs_done + 1), sizeof *ep);
    if (!ep)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    for (int i = 0; i < r->epochs_done; i++) {
        ep[i].epoch = i + 1;
        ep[i].train_loss = curve[i].train_loss;
        ep[i].val_acc = curve[i].val_acc >= 0.0f ? curve[i].val_acc : NAN;
        ep[i].test_acc = curve[i].test_acc >= 0.0f ? curve[i].test_acc : NAN;
        ep[i].seconds = curve[i].seconds;
    }
    Store *st = NULL;
    NvStatus rv = store_open(db, STORE_WRITE, &st, err);
    if (rv == NV_OK)
        rv = store_final_run_add(st, &fr, ep, (size_t)r->epochs_done, run_id,
                                 err);
    store_close(st);
    free(ep);
    return rv;
}

/* train_parse - the options into *a, defaults for those not given, and
 * the checks among them that need nothing loaded.  Returns 0,
 * CLI_ARGS_HELP or a usage error's status. */
static int train_parse(int argc, char **argv, TrainArgs *a)
{
    int first, rc;
    memset(a, 0, sizeof *a);
    a->cfg = train_config_default();
    a->dataset = "fashion-mnist";
    a->train_n = TRAIN_DEFAULT_TRAIN_SIZE;
    a->val_n = TRAIN_DEFAULT_VAL_SIZE;
    a->epoch_scores = 1;
    a->crop_flip = -1;
    a->seed = a->cfg.seed;
    a->format = FORMAT_TABLE;
    if ((rc = cli_args_parse(&command, argc, argv, a, &first)))
        return rc;
    cli_proxy_apply(&a->proxy, &a->cfg, &a->train_n, &a->val_n);
    if (a->gtext && a->from)
        return cli_usage_error("train", "--genotype and --from both name the "
                               "architecture: give one");
    if (!a->gtext && !a->from)
        return cli_usage_error("train",
                               "missing --genotype (TEXT or nasnet-a) or "
                               "--from SEARCH[:SAMPLE]");
    if (a->db && !a->from)
        return cli_usage_error("train", "--db is for --from");
    return 0;
}

/* A run made ready: the architecture, the data and the options. */
typedef struct {
    Genotype g;
    TrainConfig cfg;
    TrainOptions topt;
    WeightsFile ck;          /* the checkpoint of --resume */
    const char *dataset, *db;
    long train_n, val_n;
    Dataset *train, *val, *test;
    StoreSearch from_search; /* with --from */
    StoreSample from_sample;
    char dbbuf[4096];
} TrainJob;

/* train_job_free - what train_prepare loaded into j. */
static void train_job_free(TrainJob *j)
{
    dataset_free(j->train);
    dataset_free(j->val);
    dataset_free(j->test);
    weights_free(&j->ck);
    j->train = j->val = j->test = NULL;
}

/* train_prepare - the genotype (of --from's sample), the checkpoint and
 * the split that *a asks for, into *j.  Returns 0, or the exit status
 * after saying why on stderr (nothing is left to free then). */
static int train_prepare(const TrainArgs *a, TrainJob *j, NvError *err)
{
    int64_t train_n = a->train_n, val_n = a->val_n;
    memset(j, 0, sizeof *j);
    j->cfg = a->cfg;
    j->dataset = a->dataset;
    j->db = a->db;
    if (a->from) {
        if (!j->db) {
            if (cli_default_db(j->dbbuf, sizeof j->dbbuf, 0, err))
                return cli_fail("train", err);
            j->db = j->dbbuf;
        }
        if (train_from_lookup(j->db, a->from, &j->from_search,
                              &j->from_sample, err) != NV_OK ||
            geno_parse(j->from_sample.genotype, &j->g, err) != NV_OK)
            return cli_fail("train", err);
        if (!a->dataset_given)
            j->dataset = j->from_search.dataset;
    } else if (geno_resolve(a->gtext, &j->g, err) != NV_OK)
        return cli_fail("train", err);
    j->cfg.seed = a->seed;

    if (a->train_all && a->val_given && val_n > 0)
        return cli_usage_error("train",
                               "--train-size all leaves no image for "
                               "--val-size %ld: give --val-size 0 or a "
                               "number for --train-size", (long)val_n);
    if (a->train_all)
        val_n = 0;
    if (a->checkpoint && a->save && strcmp(a->checkpoint, a->save) == 0)
        return cli_usage_error("train", "--checkpoint and --save name the "
                               "same file '%s'", a->save);
    j->topt.checkpoint = a->checkpoint;
    j->topt.save = a->save;
    if (a->resume) {
        if (weights_load(a->resume, &j->ck, err) != NV_OK)
            return cli_fail("train", err);
        j->topt.resume = &j->ck;
        j->topt.resume_name = a->resume;
    }

    Dataset *full = NULL;
    if (dataset_load(j->dataset, DATASET_TRAIN, &full, err) == NV_OK &&
        a->train_all)
        train_n = (long)full->n;
    if (!full || (dataset_split(full, train_n, val_n, a->seed, &j->train,
                                &j->val, err) != NV_OK) ||
        (a->want_test && dataset_load(j->dataset, DATASET_TEST, &j->test,
                                      err) != NV_OK)) {
        dataset_free(full);
        train_job_free(j);
        return cli_fail("train", err);
    }
    dataset_free(full);
    j->train_n = (long)j->train->n;
    j->val_n = (long)j->val->n;
    TrainRegs *rg = &j->topt.regs;
    rg->drop_path = (float)a->drop_path;
    rg->cutout = (int)a->cutout;
    rg->crop_flip = a->crop_flip >= 0 ? a->crop_flip
                    : j->train->c == 3 && j->train->h == 32 &&
                          j->train->w == 32;
    rg->clip = (float)a->clip;
    rg->label_smooth = (float)a->smooth;
    rg->aux_weight = (float)a->aux_weight;
    j->topt.epoch_scores = a->epoch_scores;
    return 0;
}

/* train_execute - train j with a progress line on a terminal and a line
 * per epoch (to stderr under --format json), Ctrl-C stopping it; the
 * curve into curve (cfg.epochs entries), the outcome into *r. */
static NvStatus train_execute(TrainJob *j, OutputFormat format,
                              WeightsEpoch *curve, TrainResult *r,
                              NvError *err)
{
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = train_on_signal;
    sigemptyset(&sa.sa_mask);
    train_stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    ProgressCtx pctx = { isatty(STDERR_FILENO), 0,
                         format == FORMAT_JSON ? stderr : stdout };
    j->topt.epoch_fn = j->topt.epoch_scores ? train_epoch_line : NULL;
    j->topt.epoch_ctx = &pctx;
    j->topt.curve_out = curve;
    NvStatus st = train_run(&j->g, &j->cfg, &j->topt, j->train, j->val,
                            j->test, train_progress, &pctx, r, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (pctx.tty)
        fputs("\r\033[K", stderr);
    return st;
}

/* train_store - with --from, the run into the database, and the line that
 * says so (not under --format json).  Returns the exit status. */
static int train_store(const TrainJob *j, OutputFormat format,
                       const TrainResult *r, const WeightsEpoch *curve,
                       NvError *err)
{
    int64_t run_id = 0;
    if (train_from_store(j->db, &j->from_search, &j->from_sample, &j->cfg,
                         j->dataset, j->train_n, j->val_n, &j->topt, r,
                         curve, &run_id, err) != NV_OK)
        return cli_fail("train", err);
    if (format != FORMAT_JSON)
        printf("stored       final run %lld of search %lld sample %d "
               "(nasview show %lld %d)\n", (long long)run_id,
               (long long)j->from_search.id, j->from_sample.idx,
               (long long)j->from_search.id, j->from_sample.idx);
    return CLI_EXIT_OK;
}

int cmd_train(int argc, char **argv)
{
    TrainArgs a;
    TrainJob j;
    NvError err;
    int rc = train_parse(argc, argv, &a);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    nv_error_clear(&err);
    if ((rc = train_prepare(&a, &j, &err)))
        return rc;

    TrainResult r;
    WeightsEpoch *curve = calloc((size_t)j.cfg.epochs, sizeof *curve);
    if (!curve) {
        train_job_free(&j);
        nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
        return cli_fail("train", &err);
    }
    NvStatus st = train_execute(&j, a.format, curve, &r, &err);
    if (st == NV_OK) {
        if (a.format == FORMAT_JSON)
            print_json(&j.g, &j.cfg, &j.topt, j.dataset, j.train_n, j.val_n,
                       &r);
        else
            print_table(&j.g, &j.cfg, &j.topt.regs, j.dataset, j.train_n,
                        j.val_n, j.test, &r);
    }
    train_job_free(&j);
    fflush(stdout);
    rc = st != NV_OK ? cli_fail("train", &err)
         : a.from    ? train_store(&j, a.format, &r, curve, &err)
                     : CLI_EXIT_OK;
    free(curve);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (r.interrupted && train_stop_signal) {
        if (j.topt.checkpoint && r.epochs_done > 0)
            fprintf(stderr, "nasview train: stopped by signal after %d "
                    "epoch%s; continue with --resume %s\n", r.epochs_done,
                    r.epochs_done == 1 ? "" : "s", j.topt.checkpoint);
        else
            fprintf(stderr, "nasview train: stopped by signal\n");
        return 128 + (int)train_stop_signal;
    }
    return CLI_EXIT_OK;
}
