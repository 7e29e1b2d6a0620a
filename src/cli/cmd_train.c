/* cmd_train.c - `nasview train`: train one architecture on a dataset's
 * seeded train/validation split and report its accuracy (and the test
 * accuracy with --test).  A live progress line goes to stderr when it is a
 * terminal; Ctrl-C stops training cleanly (exit status 130). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
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

enum { OPT_GENOTYPE = 1, OPT_F, OPT_N, OPT_EPOCHS, OPT_TRAIN_SIZE,
       OPT_VAL_SIZE, OPT_BATCH, OPT_LR, OPT_DATASET, OPT_SEED, OPT_THREADS,
       OPT_TEST, OPT_FORMAT, OPT_BN_RECAL, OPT_CHECKPOINT, OPT_RESUME,
       OPT_SAVE, OPT_EPOCH_SCORES, OPT_FROM, OPT_DB, OPT_DROP_PATH,
       OPT_CUTOUT, OPT_CROP_FLIP, OPT_CLIP, OPT_LABEL_SMOOTH, OPT_AUX };

static const struct option opts[] = {
    { "genotype", required_argument, NULL, OPT_GENOTYPE },
    { "F", required_argument, NULL, OPT_F },
    { "N", required_argument, NULL, OPT_N },
    { "epochs", required_argument, NULL, OPT_EPOCHS },
    { "train-size", required_argument, NULL, OPT_TRAIN_SIZE },
    { "val-size", required_argument, NULL, OPT_VAL_SIZE },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "lr", required_argument, NULL, OPT_LR },
    { "dataset", required_argument, NULL, OPT_DATASET },
    { "seed", required_argument, NULL, OPT_SEED },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "test", no_argument, NULL, OPT_TEST },
    { "bn-recalibrate", required_argument, NULL, OPT_BN_RECAL },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
    { "resume", required_argument, NULL, OPT_RESUME },
    { "save", required_argument, NULL, OPT_SAVE },
    { "epoch-scores", required_argument, NULL, OPT_EPOCH_SCORES },
    { "from", required_argument, NULL, OPT_FROM },
    { "db", required_argument, NULL, OPT_DB },
    { "drop-path", required_argument, NULL, OPT_DROP_PATH },
    { "cutout", required_argument, NULL, OPT_CUTOUT },
    { "crop-flip", required_argument, NULL, OPT_CROP_FLIP },
    { "clip", required_argument, NULL, OPT_CLIP },
    { "label-smoothing", required_argument, NULL, OPT_LABEL_SMOOTH },
    { "aux-weight", required_argument, NULL, OPT_AUX },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

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

int cmd_train(int argc, char **argv)
{
    TrainConfig cfg = train_config_default();
    const char *gtext = NULL, *dataset = "fashion-mnist";
    int64_t train_n = TRAIN_DEFAULT_TRAIN_SIZE, val_n = TRAIN_DEFAULT_VAL_SIZE;
    int train_all = 0, val_given = 0, epoch_scores = 1;
    TrainOptions topt;
    memset(&topt, 0, sizeof topt);
    const char *resume = NULL, *from = NULL, *db = NULL;
    int dataset_given = 0, crop_flip = -1;
    double drop_path = 0.0, clip = 0.0, smooth = 0.0, aux_weight = 0.0;
    long cutout = 0;
    uint64_t seed = cfg.seed;
    int want_test = 0, c, rc;
    OutputFormat format = FORMAT_TABLE;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        case OPT_GENOTYPE:
            gtext = optarg;
            break;
        case OPT_F:
            if ((rc = cli_parse_proxy("train", PROXY_F, optarg, &cfg, NULL,
                                      NULL)))
                return rc;
            break;
        case OPT_N:
            if ((rc = cli_parse_proxy("train", PROXY_N, optarg, &cfg, NULL,
                                      NULL)))
                return rc;
            break;
        case OPT_EPOCHS:
            if ((rc = cli_parse_proxy("train", PROXY_EPOCHS, optarg, &cfg,
                                      NULL, NULL)))
                return rc;
            break;
        case OPT_TRAIN_SIZE:
            if (strcmp(optarg, "all") == 0) {
                train_all = 1;
                break;
            }
            train_all = 0;
            if ((rc = cli_parse_proxy("train", PROXY_TRAIN_SIZE, optarg, &cfg,
                                      &train_n, NULL)))
                return rc;
            break;
        case OPT_VAL_SIZE:
            /* 0: no validation subset (train alone takes it) */
            if (strcmp(optarg, "0") == 0)
                val_n = 0;
            else if ((rc = cli_parse_proxy("train", PROXY_VAL_SIZE, optarg,
                                           &cfg, NULL, &val_n)))
                return rc;
            val_given = 1;
            break;
        case OPT_CHECKPOINT:
            topt.checkpoint = optarg;
            break;
        case OPT_RESUME:
            resume = optarg;
            break;
        case OPT_SAVE:
            topt.save = optarg;
            break;
        case OPT_EPOCH_SCORES:
            if ((rc = cli_parse_on_off("train", "--epoch-scores", optarg,
                                       &epoch_scores)))
                return rc;
            break;
        case OPT_BATCH:
            if ((rc = cli_parse_proxy("train", PROXY_BATCH, optarg, &cfg, NULL,
                                      NULL)))
                return rc;
            break;
        case OPT_LR:
            if ((rc = cli_parse_proxy("train", PROXY_LR, optarg, &cfg, NULL,
                                      NULL)))
                return rc;
            break;
        case OPT_DATASET:
            dataset = optarg;
            dataset_given = 1;
            break;
        case OPT_FROM:
            from = optarg;
            break;
        case OPT_DROP_PATH:
            if ((rc = cli_parse_double("train", "--drop-path", optarg, 0.0,
                                       0.95, &drop_path)))
                return rc;
            break;
        case OPT_CUTOUT:
            if ((rc = cli_parse_long("train", "--cutout", optarg, 0, 4096,
                                     &cutout)))
                return rc;
            break;
        case OPT_CROP_FLIP:
            if ((rc = cli_parse_on_off("train", "--crop-flip", optarg,
                                       &crop_flip)))
                return rc;
            break;
        case OPT_CLIP:
            if ((rc = cli_parse_double("train", "--clip", optarg, 0.0, 1e9,
                                       &clip)))
                return rc;
            break;
        case OPT_AUX:
            if ((rc = cli_parse_double("train", "--aux-weight", optarg, 0.0,
                                       10.0, &aux_weight)))
                return rc;
            break;
        case OPT_LABEL_SMOOTH:
            if ((rc = cli_parse_double("train", "--label-smoothing", optarg,
                                       0.0, 0.99, &smooth)))
                return rc;
            break;
        case OPT_DB:
            db = optarg;
            break;
        case OPT_SEED:
            if ((rc = cli_parse_u64("train", "--seed", optarg, &seed)))
                return rc;
            break;
        case OPT_THREADS:
            if ((rc = cli_parse_proxy("train", PROXY_THREADS, optarg, &cfg,
                                      NULL, NULL)))
                return rc;
            break;
        case OPT_TEST:
            want_test = 1;
            break;
        case OPT_BN_RECAL:
            if ((rc = cli_parse_on_off("train", "--bn-recalibrate", optarg,
                                       &cfg.bn_recalibrate)))
                return rc;
            break;
        case OPT_FORMAT:
            if ((rc = cli_parse_format("train", optarg, 3, &format)))
                return rc;
            break;
        default:
            return cli_option_error("train", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("train", "unexpected argument '%s'",
                               argv[optind]);
    if (gtext && from)
        return cli_usage_error("train", "--genotype and --from both name the "
                               "architecture: give one");
    if (!gtext && !from)
        return cli_usage_error("train",
                               "missing --genotype (TEXT or nasnet-a) or "
                               "--from SEARCH[:SAMPLE]");
    if (db && !from)
        return cli_usage_error("train", "--db is for --from");

    Genotype g;
    NvError err;
    nv_error_clear(&err);
    char dbbuf[4096];
    StoreSearch from_search;
    StoreSample from_sample;
    if (from) {
        if (!db) {
            if (cli_default_db(dbbuf, sizeof dbbuf, 0, &err))
                return cli_fail("train", &err);
            db = dbbuf;
        }
        if (train_from_lookup(db, from, &from_search, &from_sample, &err) !=
                NV_OK ||
            geno_parse(from_sample.genotype, &g, &err) != NV_OK)
            return cli_fail("train", &err);
        if (!dataset_given)
            dataset = from_search.dataset;
    } else if (geno_resolve(gtext, &g, &err) != NV_OK)
        return cli_fail("train", &err);
    cfg.seed = seed;

    if (train_all && val_given && val_n > 0)
        return cli_usage_error("train",
                               "--train-size all leaves no image for "
                               "--val-size %ld: give --val-size 0 or a "
                               "number for --train-size", val_n);
    if (train_all)
        val_n = 0;
    if (topt.checkpoint && topt.save && strcmp(topt.checkpoint, topt.save) == 0)
        return cli_usage_error("train", "--checkpoint and --save name the "
                               "same file '%s'", topt.save);

    WeightsFile ck;
    memset(&ck, 0, sizeof ck);
    if (resume) {
        if (weights_load(resume, &ck, &err) != NV_OK)
            return cli_fail("train", &err);
        topt.resume = &ck;
        topt.resume_name = resume;
    }

    Dataset *full = NULL, *train = NULL, *val = NULL, *test = NULL;
    if (dataset_load(dataset, DATASET_TRAIN, &full, &err) == NV_OK && train_all)
        train_n = (long)full->n;
    if (!full || (dataset_split(full, train_n, val_n, seed, &train, &val,
                                &err) != NV_OK) ||
        (want_test && dataset_load(dataset, DATASET_TEST, &test, &err) !=
                          NV_OK)) {
        dataset_free(full);
        dataset_free(train);
        dataset_free(val);
        weights_free(&ck);
        return cli_fail("train", &err);
    }
    dataset_free(full);
    train_n = (long)train->n;
    val_n = (long)val->n;
    topt.regs.drop_path = (float)drop_path;
    topt.regs.cutout = (int)cutout;
    topt.regs.crop_flip = crop_flip >= 0 ? crop_flip
                          : train->c == 3 && train->h == 32 && train->w == 32;
    topt.regs.clip = (float)clip;
    topt.regs.label_smooth = (float)smooth;
    topt.regs.aux_weight = (float)aux_weight;

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
    topt.epoch_scores = epoch_scores;
    topt.epoch_fn = epoch_scores ? train_epoch_line : NULL;
    topt.epoch_ctx = &pctx;
    TrainResult r;
    WeightsEpoch *curve = calloc((size_t)cfg.epochs, sizeof *curve);
    if (!curve) {
        nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
        return cli_fail("train", &err);
    }
    topt.curve_out = curve;
    NvStatus st = train_run(&g, &cfg, &topt, train, val, test,
                            train_progress, &pctx, &r, &err);
    weights_free(&ck);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (pctx.tty)
        fputs("\r\033[K", stderr);
    if (st == NV_OK) {
        if (format == FORMAT_JSON)
            print_json(&g, &cfg, &topt, dataset, train_n, val_n, &r);
        else
            print_table(&g, &cfg, &topt.regs, dataset, train_n, val_n, test,
                        &r);
    }
    dataset_free(train);
    dataset_free(val);
    dataset_free(test);
    fflush(stdout);
    if (st != NV_OK) {
        free(curve);
        return cli_fail("train", &err);
    }
    if (from) {
        int64_t run_id = 0;
        if (train_from_store(db, &from_search, &from_sample, &cfg, dataset,
                             train_n, val_n, &topt, &r, curve, &run_id,
                             &err) != NV_OK)
            rc = cli_fail("train", &err);
        else
            rc = CLI_EXIT_OK;
        free(curve);
        if (rc != CLI_EXIT_OK)
            return rc;
        if (format != FORMAT_JSON)
            printf("stored       final run %lld of search %lld sample %d "
                   "(nasview show %lld %d)\n", (long long)run_id,
                   (long long)from_search.id, from_sample.idx,
                   (long long)from_search.id, from_sample.idx);
    } else
        free(curve);
    if (r.interrupted && train_stop_signal) {
        if (topt.checkpoint && r.epochs_done > 0)
            fprintf(stderr, "nasview train: stopped by signal after %d "
                    "epoch%s; continue with --resume %s\n", r.epochs_done,
                    r.epochs_done == 1 ? "" : "s", topt.checkpoint);
        else
            fprintf(stderr, "nasview train: stopped by signal\n");
        return 128 + (int)train_stop_signal;
    }
    return CLI_EXIT_OK;
}
