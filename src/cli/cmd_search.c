/* cmd_search.c - `nasview search`: run a search headless, or resume one.
 * Turns SIGINT/SIGTERM into a stop and SIGUSR1/SIGUSR2 into pause/resume
 * for the loop (search_batch.c), and dies by the stopping signal at the
 * end so the exit status is 130/143. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/cli.h"
#include "nn/network.h"
#include "report/report.h"
#include "search/evaluator.h"
#include "search/evaluator_mpi.h"
#include "search/search.h"
#include "store/store.h"
#include "train/reward_metric.h"

static const char usage[] =
    "Usage: nasview search [--db FILE] --strategy rl|random|evolution\n"
    "                      --budget N --seed S [--name NAME]\n"
    "                      [--F n] [--N n] [--epochs n] [--batch n] [--lr x]\n"
    "                      [--train-size n] [--val-size n] [--dataset D]\n"
    "                      [--threads n] [--retrain-duplicates]\n"
    "                      [--bn-recalibrate on|off] [--workers K | --mpi]\n"
    "                      [--streams independent|common]\n"
    "                      [--weight-sharing [--ws-steps n] [--ws-samples n]\n"
    "                       [--ws-panel k]]\n"
    "                      [--reward accuracy|naswot|synflow|params|mult_adds]\n"
    "                      [--set NAME=VALUE]...\n"
    "       nasview search [--db FILE] [--workers K | --mpi]\n"
    "                      --resume SEARCH\n"
    "Run a search headless and store every sample in the database.\n"
    "\n"
    "  --strategy S      rl (LSTM controller), random, or evolution\n"
    "  --budget N        children to train\n"
    "  --seed S          the one seed of everything (proposals, data split,\n"
    "                    weights, batch order)\n"
    "  --streams S       independent (default): every random stream comes\n"
    "                    from a seed derived from --seed and the strategy,\n"
    "                    so searches of different strategies share nothing\n"
    "                    and compare tests them unpaired (Mann-Whitney);\n"
    "                    common: from --seed alone, as before (common random\n"
    "                    numbers: one split and one first proposal stream\n"
    "                    per seed), and compare pairs them by seed (Wilcoxon\n"
    "                    signed-rank)\n"
    "  --name NAME       unique name (default STRATEGY-SEED)\n"
    "  --F n --N n       child network: filters of the first stack (8) and\n"
    "                    normal cells per stack (1)\n"
    "  --epochs n        epochs per child (1)\n"
    "  --batch n --lr x  minibatch (64) and initial learning rate (0.05)\n"
    "  --train-size n    images in the train subset (10000)\n"
    "  --val-size n      images in the validation subset (5000)\n"
    "  --dataset D       fashion-mnist (default), cifar10:DIR, or an IDX DIR\n"
    "  --threads n       threads per child with --workers 1 (2); same seed\n"
    "                    and count, same rewards\n"
    "  --workers K       children trained at once, each by its own worker\n"
    "                    process with one thread (default: the online\n"
    "                    cores); 1 trains in this process.  Results do not\n"
    "                    depend on K: strategies propose in batches (rl: its\n"
    "                    ppo-batch, from one controller state; evolution: a\n"
    "                    generation, --set generation=G; random: K at a\n"
    "                    time) and observe them in proposal order\n"
    "  --mpi             train on MPI ranks: mpirun -np K+1 nasview search\n"
    "                    --mpi ...; rank 0 searches and writes the database,\n"
    "                    ranks 1..K train (each host reads the dataset at\n"
    "                    the same path; see nasview(1), MPI)\n"
    "  --retrain-duplicates  train an architecture again instead of reusing\n"
    "                    the reward of an equal one from the same search\n"
    "  --bn-recalibrate on|off  before scoring a child, set its batch-norm\n"
    "                    statistics to those of 2000 seeded training images\n"
    "                    (on; searches from before it resume without)\n"
    "  --weight-sharing  ENAS: with rl or random, children share one set of\n"
    "                    weights; rounds of --ws-steps steps (50) training\n"
    "                    them on drawn architectures, then --ws-samples (20)\n"
    "                    samples each scored on one validation batch with\n"
    "                    them (rewards stored as shared-weight); --budget\n"
    "                    counts samples; at the end the --ws-panel (5) best\n"
    "                    and as many random ones are trained stand-alone and\n"
    "                    the rank correlation shown by 'nasview show'\n"
    "                    (scored one at a time in this process: no\n"
    "                    --workers above 1)\n"
    "  --reward R        what a sample's reward is: accuracy (default: the\n"
    "                    child trained and scored), or a zero-cost score at\n"
    "                    initialisation that trains nothing: naswot,\n"
    "                    synflow (natural log), params, mult_adds; not an\n"
    "                    accuracy, and labelled so wherever shown (the\n"
    "                    strategy observes ln of params and mult_adds)\n"
    "  --set NAME=VALUE  a strategy setting (see nasview(1), STRATEGIES);\n"
    "  --NAME VALUE      the same (but --lr is the child's learning rate)\n"
    "  --resume SEARCH   continue a stopped search (name or id) exactly\n"
    "\n"
    "Ctrl-C, SIGTERM or SIGHUP stops (exit 130, 143, 129; resume later),\n"
    "workers too, and marks the children in flight interrupted; SIGUSR1\n"
    "pauses training where it is and SIGUSR2 resumes.\n";

/* Strategy settings are options too (--update, --ppo-batch, ...), with
 * values OPT_PARAM + their index in strategy_params(); --lr stays the
 * child's learning rate (the controller's is --set lr=X). */
#define OPT_PARAM 1000

enum {
    OPT_DB = 1, OPT_STRATEGY, OPT_BUDGET, OPT_SEED, OPT_NAME, OPT_F, OPT_N,
    OPT_EPOCHS, OPT_TRAIN_SIZE, OPT_VAL_SIZE, OPT_DATASET, OPT_THREADS,
    OPT_RESUME, OPT_BATCH, OPT_LR, OPT_RETRAIN, OPT_SET, OPT_BN_RECAL,
    OPT_WORKERS, OPT_MPI, OPT_WS, OPT_WS_STEPS, OPT_WS_SAMPLES, OPT_WS_PANEL,
    OPT_STREAMS,
    OPT_REWARD
};

static const struct option fixed_opts[] = {
    { "db", required_argument, NULL, OPT_DB },
    { "strategy", required_argument, NULL, OPT_STRATEGY },
    { "budget", required_argument, NULL, OPT_BUDGET },
    { "seed", required_argument, NULL, OPT_SEED },
    { "name", required_argument, NULL, OPT_NAME },
    { "F", required_argument, NULL, OPT_F },
    { "N", required_argument, NULL, OPT_N },
    { "epochs", required_argument, NULL, OPT_EPOCHS },
    { "train-size", required_argument, NULL, OPT_TRAIN_SIZE },
    { "val-size", required_argument, NULL, OPT_VAL_SIZE },
    { "dataset", required_argument, NULL, OPT_DATASET },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "resume", required_argument, NULL, OPT_RESUME },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "lr", required_argument, NULL, OPT_LR },
    { "retrain-duplicates", no_argument, NULL, OPT_RETRAIN },
    { "set", required_argument, NULL, OPT_SET },
    { "bn-recalibrate", required_argument, NULL, OPT_BN_RECAL },
    { "workers", required_argument, NULL, OPT_WORKERS },
    { "mpi", no_argument, NULL, OPT_MPI },
    { "weight-sharing", no_argument, NULL, OPT_WS },
    { "ws-steps", required_argument, NULL, OPT_WS_STEPS },
    { "ws-samples", required_argument, NULL, OPT_WS_SAMPLES },
    { "ws-panel", required_argument, NULL, OPT_WS_PANEL },
    { "streams", required_argument, NULL, OPT_STREAMS },
    { "reward", required_argument, NULL, OPT_REWARD },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* Signal flags: the only state a handler may touch. */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t pause_wanted;

static void on_stop(int sig)
{
    if (stop_signal) {
        /* A second Ctrl-C: leave at once (the file stays consistent). */
        static const char msg[] =
            "\nnasview search: second signal: stopped at once. Finished "
            "samples are kept; the child in training is lost and the search "
            "is marked interrupted when next opened ('nasview search "
            "--resume NAME' goes on).\n";
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
            /* nothing more can be done in a handler */
        }
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_signal = sig;
}

static void on_pause(int sig)
{
    pause_wanted = sig == SIGUSR1;
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* file I/O carries on; the loop polls flags */
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* the terminal closed: stop the same way */
    sa.sa_handler = on_pause;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
}

/* build_options - the fixed options plus one per strategy setting; the
 * result is malloc'ed, owned by the caller (free). */
static struct option *build_options(void)
{
    int np = 0, nf = (int)(sizeof fixed_opts / sizeof fixed_opts[0]) - 1, k;
    const StrategyParam *params = strategy_params(&np);
    struct option *o = calloc((size_t)(nf + np + 1), sizeof *o);
    if (!o)
        return NULL;
    memcpy(o, fixed_opts, (size_t)nf * sizeof *o);
    k = nf;
    for (int i = 0; i < np; i++) {
        if (strcmp(params[i].name, "lr") == 0)
            continue;
        o[k].name = params[i].name;
        o[k].has_arg = required_argument;
        o[k].val = OPT_PARAM + i;
        k++;
    }
    return o;
}

static int run_search(int argc, char **argv, const struct option *opts);

int cmd_search(int argc, char **argv)
{
    struct option *opts = build_options();
    int rc;
    if (!opts) {
        fprintf(stderr, "nasview search: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    rc = run_search(argc, argv, opts);
    free(opts);
    return rc;
}

static int run_search(int argc, char **argv, const struct option *opts)
{
    const char *db = NULL, *resume = NULL, *strategy = NULL;
    char dbbuf[4096];
    const char *set_names[64], *sets[64];
    char set_buf[64][64];
    int nsets = 0, have_budget = 0, have_seed = 0, settings_given = 0;
    int workers = 0, threads_given = 0, mpi = 0, rank = 0, size = 1;
    long v;
    uint64_t seed = 0;
    SearchConfig cfg;
    StrategyKind kind = STRATEGY_RANDOM;
    NvError err;
    int c, rc;

    memset(&cfg, 0, sizeof cfg);
    /* Proxy flags are collected first, applied once the kind is known. */
    struct { int opt; const char *val; } later[32];
    int nlater = 0;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        case OPT_DB:
            db = optarg;
            break;
        case OPT_RESUME:
            resume = optarg;
            break;
        case OPT_WORKERS:
            if ((rc = cli_parse_long("search", "--workers", optarg, 1,
                                     EVAL_MAX_WORKERS, &v)))
                return rc;
            workers = (int)v;
            break;
        case OPT_MPI:
            mpi = 1;
            break;
        case OPT_STRATEGY:
            strategy = optarg;
            settings_given = 1;
            break;
        case OPT_SEED:
            if ((rc = cli_parse_u64("search", "--seed", optarg, &seed)))
                return rc;
            have_seed = 1;
            settings_given = 1;
            break;
        case OPT_SET: {
            const char *eq = strchr(optarg, '=');
            size_t len = eq ? (size_t)(eq - optarg) : 0;
            if (nsets == 64)
                return cli_usage_error("search", "too many settings");
            if (!eq || len == 0 || len >= sizeof set_buf[0])
                return cli_usage_error("search", "--set wants NAME=VALUE, not "
                                                 "'%s'",
                                       optarg);
            memcpy(set_buf[nsets], optarg, len);
            set_buf[nsets][len] = '\0';
            set_names[nsets] = set_buf[nsets];
            sets[nsets++] = eq + 1;
            settings_given = 1;
            break;
        }
        case OPT_BUDGET:
            have_budget = 1;
            /* fall through */
        case OPT_NAME: case OPT_F: case OPT_N: case OPT_EPOCHS:
        case OPT_TRAIN_SIZE: case OPT_VAL_SIZE: case OPT_DATASET:
        case OPT_THREADS: case OPT_BATCH: case OPT_LR: case OPT_RETRAIN:
        case OPT_BN_RECAL: case OPT_WS: case OPT_WS_STEPS:
        case OPT_WS_SAMPLES: case OPT_WS_PANEL: case OPT_STREAMS:
        case OPT_REWARD:
            if (nlater == 32)
                return cli_usage_error("search", "too many options");
            later[nlater].opt = c;
            later[nlater++].val = optarg;
            settings_given = 1;
            break;
        case ':':
            return cli_option_error("search", c, argv);
        default:
            if (c >= OPT_PARAM) {
                int np = 0;
                const StrategyParam *params = strategy_params(&np);
                if (nsets == 64 || c - OPT_PARAM >= np)
                    return cli_usage_error("search", "too many settings");
                set_names[nsets] = params[c - OPT_PARAM].name;
                sets[nsets++] = optarg;
                settings_given = 1;
                break;
            }
            return cli_usage_error("search", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("search", "unexpected argument '%s'",
                               argv[optind]);
    if (resume && settings_given)
        return cli_usage_error("search",
                               "--resume takes no settings: a search resumes "
                               "with the settings it was started with");
    nv_error_clear(&err);
    if (!resume) {
        if (!strategy)
            return cli_usage_error("search", "missing --strategy (rl, random "
                                             "or evolution)");
        if (!have_budget)
            return cli_usage_error("search", "missing --budget N");
        if (!have_seed)
            return cli_usage_error("search", "missing --seed S");
        if (strategy_kind_parse(strategy, &kind, &err))
            return cli_fail("search", &err);
        cfg = search_config_default(kind, seed);
        for (int i = 0; i < nlater; i++) {
            const char *val = later[i].val;
            switch (later[i].opt) {
            case OPT_NAME:
                if (store_name_check(val, &err))
                    return cli_usage_error("search", "--name: %s", err.msg);
                snprintf(cfg.name, sizeof cfg.name, "%s", val);
                break;
            case OPT_DATASET:
                if (strlen(val) >= sizeof cfg.dataset)
                    return cli_usage_error("search", "--dataset is too long");
                snprintf(cfg.dataset, sizeof cfg.dataset, "%s", val);
                break;
            case OPT_RETRAIN:
                cfg.retrain_duplicates = 1;
                break;
            case OPT_WS:
                cfg.weight_sharing = 1;
                break;
            case OPT_STREAMS:
                if (strategy_streams_parse(val, &cfg.strategy.streams, &err))
                    return cli_usage_error("search", "--%s", err.msg);
                break;
            case OPT_REWARD:
                if (!reward_metric_valid(val))
                    return cli_usage_error("search", "--reward is accuracy, "
                                           "naswot, synflow, params or "
                                           "mult_adds, not '%s'", val);
                snprintf(cfg.reward, sizeof cfg.reward, "%s", val);
                break;
            case OPT_BN_RECAL:
                if ((rc = cli_parse_on_off("search", "--bn-recalibrate", val,
                                           &cfg.train.bn_recalibrate)))
                    return rc;
                break;
            case OPT_LR:
            case OPT_F:
            case OPT_N:
            case OPT_EPOCHS:
            case OPT_TRAIN_SIZE:
            case OPT_VAL_SIZE:
            case OPT_THREADS:
            case OPT_BATCH: {
                static const struct { int opt; ProxyId id; } proxy[] = {
                    { OPT_LR, PROXY_LR },
                    { OPT_F, PROXY_F },
                    { OPT_N, PROXY_N },
                    { OPT_EPOCHS, PROXY_EPOCHS },
                    { OPT_TRAIN_SIZE, PROXY_TRAIN_SIZE },
                    { OPT_VAL_SIZE, PROXY_VAL_SIZE },
                    { OPT_THREADS, PROXY_THREADS },
                    { OPT_BATCH, PROXY_BATCH },
                };
                for (size_t k = 0; k < sizeof proxy / sizeof proxy[0]; k++)
                    if (proxy[k].opt == later[i].opt &&
                        (rc = cli_parse_proxy("search", proxy[k].id, val,
                                              &cfg.train, &cfg.train_size,
                                              &cfg.val_size)))
                        return rc;
                threads_given |= later[i].opt == OPT_THREADS;
                break;
            }
            default: {
                static const struct { int opt; const char *name; long lo, hi; }
                    ints[] = {
                        { OPT_BUDGET, "--budget", 1, STORE_MAX_SAMPLES },
                        { OPT_WS_STEPS, "--ws-steps", 1, 1000000 },
                        { OPT_WS_SAMPLES, "--ws-samples", 1, 1000000 },
                        { OPT_WS_PANEL, "--ws-panel", 0, 10000 },
                    };
                for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
                    if (ints[k].opt != later[i].opt)
                        continue;
                    if ((rc = cli_parse_long("search", ints[k].name, val,
                                             ints[k].lo, ints[k].hi, &v)))
                        return rc;
                    switch (ints[k].opt) {
                    case OPT_BUDGET: cfg.budget = (int)v; break;
                    case OPT_WS_STEPS: cfg.ws_steps = (int)v; break;
                    case OPT_WS_SAMPLES: cfg.ws_samples = (int)v; break;
                    case OPT_WS_PANEL: cfg.ws_panel = (int)v; break;
                    default: break;
                    }
                }
            }
            }
        }
        /* In the order given: a preset first, then what it changes. */
        for (int i = 0; i < nsets; i++) {
            if (strategy_config_set(&cfg.strategy, set_names[i], sets[i], &err))
                return cli_fail("search", &err);
            /* one set of flags serves every strategy (assets/experiment.sh
             * passes its extra flags to all): another's setting is kept
             * out of the way, with a word */
            if (strategy_param_applies(kind, set_names[i], &err))
                fprintf(stderr, "nasview search: warning: %s; ignored\n",
                        err.msg);
        }
        for (int i = 0; i < nlater; i++)
            if (!cfg.weight_sharing && (later[i].opt == OPT_WS_STEPS ||
                                        later[i].opt == OPT_WS_SAMPLES ||
                                        later[i].opt == OPT_WS_PANEL))
                return cli_usage_error("search", "--ws-steps, --ws-samples "
                                                 "and --ws-panel need "
                                                 "--weight-sharing");
        if (search_config_check(&cfg, &err))
            return cli_usage_error("search", "%s", err.msg);
        /* a weight-sharing search scores one sample at a time in this
         * process (search_batch.c): more workers would sit idle */
        if (cfg.weight_sharing && workers > 1)
            return cli_usage_error("search", "--weight-sharing trains in "
                                             "this process: --workers %d "
                                             "does not apply (leave it out "
                                             "or give --workers 1)",
                                   workers);
        if (cfg.weight_sharing && mpi)
            return cli_usage_error("search", "--weight-sharing trains in "
                                             "this process: --mpi does not "
                                             "apply");
        /* evolution's first `population` samples are random founders */
        if (cfg.strategy.kind == STRATEGY_EVOLUTION &&
            cfg.budget <= cfg.strategy.population)
            fprintf(stderr,
                    "nasview search: warning: a budget of %d is within "
                    "evolution's %d random founders, so nothing evolves "
                    "(a smaller --set population=P lets it)\n",
                    cfg.budget, cfg.strategy.population);
    }

    if (mpi && workers)
        return cli_usage_error("search",
                               "--workers with --mpi: the MPI ranks are the "
                               "workers (mpirun -np K+1 for K)");
    if (mpi && !resume && threads_given && cfg.train.threads > 1)
        return cli_usage_error("search",
                               "--threads %d with --mpi: each rank trains "
                               "its child with one thread",
                               cfg.train.threads);
    if (mpi) {
        /* Every rank parsed the same arguments; from here rank 0 is the
         * search and the others train (evaluator_mpi.h). */
        NvStatus ir = eval_mpi_init(&rank, &size, &err);
        if (ir) {
            eval_mpi_finish(rank);
            return cli_fail("search", &err);
        }
        if (rank != 0) {
            signal(SIGINT, SIG_IGN); /* rank 0 decides what a stop is */
            signal(SIGUSR1, SIG_IGN);
            signal(SIGUSR2, SIG_IGN);
            ir = eval_mpi_serve(&err);
            eval_mpi_finish(rank);
            return ir ? cli_fail("search", &err) : CLI_EXIT_OK;
        }
        workers = size - 1;
    }
    if (workers == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        workers = online < 1 ? 1
                  : online > EVAL_MAX_WORKERS ? EVAL_MAX_WORKERS
                                              : (int)online;
    }
    if (!resume && threads_given && cfg.train.threads > 1 &&
        (workers > 1 || mpi) && !cfg.weight_sharing)
        return cli_usage_error("search",
                               "--threads %d needs --workers 1: each of "
                               "%d workers trains its child with one thread",
                               cfg.train.threads, workers);

    if (!db) {
        if (cli_default_db(dbbuf, sizeof dbbuf, 1, &err)) {
            if (mpi)
                eval_mpi_finish(rank);
            return cli_fail("search", &err);
        }
        db = dbbuf;
    }
    Store *st = NULL;
    if (store_open(db, STORE_WRITE, &st, &err)) {
        if (mpi)
            eval_mpi_finish(rank);
        return cli_fail("search", &err);
    }

    install_handlers();
    SearchHooks hooks = { &stop_signal, &pause_wanted,
                          isatty(STDERR_FILENO) ? stderr : NULL, workers,
                          mpi };
    int64_t id = 0;
    if (resume) {
        /* Where it goes on from, said once: the file was checked on
         * opening (store.h), and a log whose last frames were lost would
         * show here as fewer samples than expected. */
        StoreSearch was;
        char name[4 * STORE_NAME_MAX];
        if (store_search_find(st, resume, &was, &err) == NV_OK)
            fprintf(stderr, "nasview search: resuming '%s' with %d of %d "
                            "samples done in the file\n",
                    text_clean(was.name, name, sizeof name), was.samples_done,
                    was.budget);
        nv_error_clear(&err);
    }
    NvStatus r = resume ? search_resume(st, resume, &hooks, &id, &err)
                        : search_run(st, &cfg, &hooks, &id, &err);
    StoreSearch row;
    NvError e2;
    char name[4 * STORE_NAME_MAX];
    int have_row = id > 0 && store_search_get(st, id, &row, &e2) == NV_OK;
    StoreWsPanel *pan = NULL;
    size_t npan = 0;
    if (r == NV_OK && hooks.human && have_row &&
        strcmp(row.reward_kind, "shared") == 0 &&
        store_ws_panel_list(st, id, &pan, &npan, &e2) != NV_OK)
        npan = 0;
    store_close(st);
    if (npan)
        report_ws_panel_table(stderr, pan, npan);
    free(pan);
    if (mpi)
        eval_mpi_finish(rank); /* every rank leaves, whatever happened */
    if (r == NV_OK) {
        if (hooks.human && have_row &&
            !reward_metric_is_accuracy(row.reward_metric))
            fprintf(stderr, "search '%s' done: %d samples, best %.6g "
                            "(sample %d; %s)\n",
                    text_clean(row.name, name, sizeof name), row.samples_done,
                    row.best_reward, row.best_idx,
                    reward_metric_label(row.reward_metric));
        else if (hooks.human && have_row)
            fprintf(stderr, "search '%s' done: %d samples, best reward %.4f "
                            "(sample %d)\n",
                    text_clean(row.name, name, sizeof name), row.samples_done,
                    row.best_reward, row.best_idx);
        return CLI_EXIT_OK;
    }
    if (r == NV_ERR_INTERRUPTED && stop_signal) {
        int sig = stop_signal;
        fputs("nasview search: ", stderr);
        text_put(stderr, err.msg);
        fprintf(stderr, "; resume with 'nasview search --resume %s'\n",
                have_row ? text_clean(row.name, name, sizeof name) : "NAME");
        fflush(NULL);
        signal(sig, SIG_DFL);
        raise(sig);
        return 128 + sig;
    }
    return cli_fail("search", &err);
}
