/* cmd_search.c - `nasview search`: run a search headless, or resume one.
 * Turns SIGINT/SIGTERM into a stop and SIGUSR1/SIGUSR2 into pause/resume
 * for the loop (search_batch.c), and dies by the stopping signal at the
 * end so the exit status is 130/143. */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
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
    "                      --resume SEARCH [--ws-panel k]\n"
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
    "                    the rank correlation shown by 'nasview show';\n"
    "                    with --resume, a panel of that size for a\n"
    "                    weight-sharing search, done or not (members\n"
    "                    already trained are kept)\n"
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

#define MAX_SETS 64 /* --set and --NAME settings per search */

/* What the options ask for. */
typedef struct {
    const char *db, *resume, *strategy, *name, *dataset, *streams, *reward;
    uint64_t seed;
    int workers, mpi; /* --workers (0: not given) */
    int budget, ws_steps, ws_samples, ws_panel;
    int retrain, weight_sharing, bn_recal; /* bn_recal -1: not given */
    CliProxy proxy;
    /* what was given: --budget, --seed, a --ws-* option, any setting */
    int have_budget, have_seed, ws_given, settings_given;
    int panel_given; /* --ws-panel, which a resume may take too */
    /* strategy settings in the order given, as strategy_config_set takes
     * them (names in set_buf for --set, else the table's) */
    const char *set_names[MAX_SETS], *sets[MAX_SETS];
    char set_buf[MAX_SETS][64];
    int nsets;
} SearchArgs;

/* add_set - --set NAME=VALUE. */
static int add_set(const char *cmd, const CliArg *arg, const char *val,
                   void *opts)
{
    SearchArgs *a = opts;
    const char *eq = strchr(val, '=');
    size_t len = eq ? (size_t)(eq - val) : 0;
    (void)arg;
    if (a->nsets == MAX_SETS)
        return cli_usage_error(cmd, "too many settings");
    if (!eq || len == 0 || len >= sizeof a->set_buf[0])
        return cli_usage_error(cmd, "--set wants NAME=VALUE, not '%s'", val);
    memcpy(a->set_buf[a->nsets], val, len);
    a->set_buf[a->nsets][len] = '\0';
    a->set_names[a->nsets] = a->set_buf[a->nsets];
    a->sets[a->nsets++] = eq + 1;
    return 0;
}

/* add_param - --NAME VALUE for the strategy setting NAME (arg->name, a
 * name of strategy_params, static). */
static int add_param(const char *cmd, const CliArg *arg, const char *val,
                     void *opts)
{
    SearchArgs *a = opts;
    if (a->nsets == MAX_SETS)
        return cli_usage_error(cmd, "too many settings");
    a->set_names[a->nsets] = arg->name;
    a->sets[a->nsets++] = val;
    return 0;
}

#define AT(field) offsetof(SearchArgs, field)
#define SETTING CLI_SEEN(SearchArgs, settings_given)
static const CliArg fixed_args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = AT(db) },
    { .name = "resume", .kind = CLI_ARG_STRING, .offset = AT(resume) },
    { .name = "workers", .kind = CLI_ARG_INT, .offset = AT(workers), .lo = 1,
      .hi = EVAL_MAX_WORKERS },
    { .name = "mpi", .kind = CLI_ARG_FLAG, .offset = AT(mpi) },
    { .name = "strategy", .kind = CLI_ARG_STRING, .offset = AT(strategy),
      .seen = SETTING },
    { .name = "seed", .kind = CLI_ARG_U64, .offset = AT(seed),
      .seen = CLI_SEEN(SearchArgs, have_seed) },
    { .name = "budget", .kind = CLI_ARG_INT, .offset = AT(budget), .lo = 1,
      .hi = STORE_MAX_SAMPLES, .seen = CLI_SEEN(SearchArgs, have_budget) },
    { .name = "set", .kind = CLI_ARG_CUSTOM, .custom = add_set },
    { .name = "name", .kind = CLI_ARG_STRING, .offset = AT(name),
      .seen = SETTING },
    { .name = "dataset", .kind = CLI_ARG_STRING, .offset = AT(dataset),
      .seen = SETTING },
    { .kind = CLI_ARG_PROXY_ALL, .offset = AT(proxy), .seen = SETTING },
    { .name = "retrain-duplicates", .kind = CLI_ARG_FLAG, .offset = AT(retrain),
      .seen = SETTING },
    { .name = "bn-recalibrate", .kind = CLI_ARG_ON_OFF, .offset = AT(bn_recal),
      .seen = SETTING },
    { .name = "weight-sharing", .kind = CLI_ARG_FLAG,
      .offset = AT(weight_sharing), .seen = SETTING },
    { .name = "ws-steps", .kind = CLI_ARG_INT, .offset = AT(ws_steps),
      .lo = 1, .hi = 1000000, .seen = CLI_SEEN(SearchArgs, ws_given) },
    { .name = "ws-samples", .kind = CLI_ARG_INT, .offset = AT(ws_samples),
      .lo = 1, .hi = 1000000, .seen = CLI_SEEN(SearchArgs, ws_given) },
    { .name = "ws-panel", .kind = CLI_ARG_INT, .offset = AT(ws_panel),
      .lo = 0, .hi = 10000, .seen = CLI_SEEN(SearchArgs, panel_given) },
    { .name = "streams", .kind = CLI_ARG_STRING, .offset = AT(streams),
      .seen = SETTING },
    { .name = "reward", .kind = CLI_ARG_STRING, .offset = AT(reward),
      .seen = SETTING },
};
#undef SETTING
#undef AT

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

/* search_parse - the options into *a: the fixed ones, then every
 * strategy setting as --NAME VALUE (--lr stays the child's learning rate;
 * the controller's is --set lr=X).  Returns 0, CLI_ARGS_HELP or a usage
 * error's status. */
static int search_parse(int argc, char **argv, SearchArgs *a)
{
    enum { NFIXED = sizeof fixed_args / sizeof fixed_args[0] };
    CliArg rows[CLI_ARGS_MAX];
    int np = 0, first, rc;
    const StrategyParam *params = strategy_params(&np);
    size_t n = NFIXED;
    memcpy(rows, fixed_args, sizeof fixed_args);
    for (int i = 0; i < np && n < CLI_ARGS_MAX; i++)
        if (strcmp(params[i].name, "lr") != 0)
            rows[n++] = (CliArg){ .name = params[i].name,
                                  .kind = CLI_ARG_CUSTOM,
                                  .custom = add_param };
    const CliCommand command = { "search", usage, rows, n, 0 };

    memset(a, 0, sizeof *a);
    a->bn_recal = -1;
    a->ws_panel = -1;
    if ((rc = cli_args_parse(&command, argc, argv, a, &first)))
        return rc;
    a->settings_given |= a->have_budget || a->have_seed || a->ws_given ||
                         a->nsets > 0;
    if (a->resume && a->settings_given)
        return cli_usage_error("search",
                               "--resume takes no settings: a search resumes "
                               "with the settings it was started with");
    return 0;
}

/* search_named - the text settings of a (--name, --dataset, --streams,
 * --reward) into *cfg.  Returns 0 or a usage error's status. */
static int search_named(const SearchArgs *a, SearchConfig *cfg, NvError *err)
{
    if (a->name && store_name_check(a->name, err))
        return cli_usage_error("search", "--name: %s", err->msg);
    if (a->name)
        snprintf(cfg->name, sizeof cfg->name, "%s", a->name);
    if (a->dataset && strlen(a->dataset) >= sizeof cfg->dataset)
        return cli_usage_error("search", "--dataset is too long");
    if (a->dataset)
        snprintf(cfg->dataset, sizeof cfg->dataset, "%s", a->dataset);
    if (a->streams &&
        strategy_streams_parse(a->streams, &cfg->strategy.streams, err))
        return cli_usage_error("search", "--%s", err->msg);
    if (a->reward && !reward_metric_valid(a->reward))
        return cli_usage_error("search", "--reward is accuracy, naswot, "
                               "synflow, params or mult_adds, not '%s'",
                               a->reward);
    if (a->reward)
        snprintf(cfg->reward, sizeof cfg->reward, "%s", a->reward);
    return 0;
}

/* search_config - the configuration of a new search from *a: the
 * strategy's defaults, then what the options change, checked.  Returns 0
 * or the exit status after saying why on stderr. */
static int search_config(const SearchArgs *a, SearchConfig *cfg,
                         NvError *err)
{
    StrategyKind kind = STRATEGY_RANDOM;
    int rc;
    if (!a->strategy)
        return cli_usage_error("search", "missing --strategy (rl, random "
                                         "or evolution)");
    if (!a->have_budget)
        return cli_usage_error("search", "missing --budget N");
    if (!a->have_seed)
        return cli_usage_error("search", "missing --seed S");
    if (strategy_kind_parse(a->strategy, &kind, err))
        return cli_fail("search", err);
    *cfg = search_config_default(kind, a->seed);
    if ((rc = search_named(a, cfg, err)))
        return rc;
    cli_proxy_apply(&a->proxy, &cfg->train, &cfg->train_size,
                    &cfg->val_size);
    cfg->budget = a->budget;
    if (a->bn_recal >= 0)
        cfg->train.bn_recalibrate = a->bn_recal;
    cfg->retrain_duplicates |= a->retrain;
    cfg->weight_sharing |= a->weight_sharing;
    if (a->ws_steps)
        cfg->ws_steps = a->ws_steps;
    if (a->ws_samples)
        cfg->ws_samples = a->ws_samples;
    if (a->ws_panel >= 0)
        cfg->ws_panel = a->ws_panel;
    /* In the order given: a preset first, then what it changes. */
    for (int i = 0; i < a->nsets; i++) {
        if (strategy_config_set(&cfg->strategy, a->set_names[i], a->sets[i],
                                err))
            return cli_fail("search", err);
        /* one set of flags serves every strategy (assets/experiment.sh
         * passes its extra flags to all): another's setting is kept
         * out of the way, with a word */
        if (strategy_param_applies(kind, a->set_names[i], err))
            fprintf(stderr, "nasview search: warning: %s; ignored\n",
                    err->msg);
    }
    if (!cfg->weight_sharing && (a->ws_given || a->panel_given))
        return cli_usage_error("search", "--ws-steps, --ws-samples and "
                                         "--ws-panel need --weight-sharing");
    if (search_config_check(cfg, err))
        return cli_usage_error("search", "%s", err->msg);
    /* a weight-sharing search scores one sample at a time in this
     * process (search_batch.c): more workers would sit idle */
    if (cfg->weight_sharing && a->workers > 1)
        return cli_usage_error("search", "--weight-sharing trains in this "
                                         "process: --workers %d does not "
                                         "apply (leave it out or give "
                                         "--workers 1)",
                               a->workers);
    if (cfg->weight_sharing && a->mpi)
        return cli_usage_error("search", "--weight-sharing trains in this "
                                         "process: --mpi does not apply");
    /* evolution's first `population` samples are random founders */
    if (cfg->strategy.kind == STRATEGY_EVOLUTION &&
        cfg->budget <= cfg->strategy.population)
        fprintf(stderr,
                "nasview search: warning: a budget of %d is within "
                "evolution's %d random founders, so nothing evolves "
                "(a smaller --set population=P lets it)\n",
                cfg->budget, cfg->strategy.population);
    return 0;
}
/* search_workers - how many children train at once (*workers): --workers,
 * the MPI ranks but one with --mpi (MPI is then initialised: *rank), or
 * the online cores.  A rank other than 0 trains for rank 0 here until
 * the search ends and sets *served: the command then returns at once.
 * Returns 0 or the exit status after saying why on stderr. */
static int search_workers(const SearchArgs *a, const SearchConfig *cfg,
                          int *workers, int *rank, int *served, NvError *err)
{
    const int threads = cli_proxy_given(&a->proxy, PROXY_THREADS) &&
                        cfg->train.threads > 1;
    int size = 1;
    *workers = a->workers;
    *rank = 0;
    *served = 0;
    if (a->mpi && a->workers)
        return cli_usage_error("search",
                               "--workers with --mpi: the MPI ranks are the "
                               "workers (mpirun -np K+1 for K)");
    if (a->mpi && !a->resume && threads)
        return cli_usage_error("search",
                               "--threads %d with --mpi: each rank trains "
                               "its child with one thread",
                               cfg->train.threads);
    if (a->mpi) {
        /* Every rank parsed the same arguments; from here rank 0 is the
         * search and the others train (evaluator_mpi.h). */
        NvStatus ir = eval_mpi_init(rank, &size, err);
        if (ir) {
            eval_mpi_finish(*rank);
            return cli_fail("search", err);
        }
        if (*rank != 0) {
            signal(SIGINT, SIG_IGN); /* rank 0 decides what a stop is */
            signal(SIGUSR1, SIG_IGN);
            signal(SIGUSR2, SIG_IGN);
            ir = eval_mpi_serve(err);
            eval_mpi_finish(*rank);
            *served = 1;
            return ir ? cli_fail("search", err) : CLI_EXIT_OK;
        }
        *workers = size - 1;
    }
    if (*workers == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        *workers = online < 1 ? 1
                   : online > EVAL_MAX_WORKERS ? EVAL_MAX_WORKERS
                                               : (int)online;
    }
    if (!a->resume && threads && (*workers > 1 || a->mpi) &&
        !cfg->weight_sharing)
        return cli_usage_error("search",
                               "--threads %d needs --workers 1: each of "
                               "%d workers trains its child with one thread",
                               cfg->train.threads, *workers);
    return 0;
}

/* search_say_resuming - where a resumed search goes on from, said once:
 * the file was checked on opening (store.h), and a log whose last frames
 * were lost would show here as fewer samples than expected. */
static void search_say_resuming(Store *st, const char *key)
{
    StoreSearch was;
    NvError err;
    char name[4 * STORE_NAME_MAX];
    if (store_search_find(st, key, &was, &err) == NV_OK)
        fprintf(stderr, "nasview search: resuming '%s' with %d of %d "
                        "samples done in the file\n",
                text_clean(was.name, name, sizeof name), was.samples_done,
                was.budget);
}

/* search_report - after the run: the weight-sharing panel and the line
 * that says how it went on a terminal, or, stopped by a signal, how to
 * resume before dying by that signal.  Closes st and leaves MPI (rank 0
 * of an --mpi search).  Returns the exit status. */
static int search_report(Store *st, NvStatus r, int64_t id,
                         const SearchHooks *hooks, NvError *err)
{
    StoreSearch row;
    NvError e2;
    char name[4 * STORE_NAME_MAX];
    int have_row = id > 0 && store_search_get(st, id, &row, &e2) == NV_OK;
    StoreWsPanel *pan = NULL;
    size_t npan = 0;
    if (r == NV_OK && hooks->human && have_row &&
        strcmp(row.reward_kind, "shared") == 0 &&
        store_ws_panel_list(st, id, &pan, &npan, &e2) != NV_OK)
        npan = 0;
    store_close(st);
    if (npan)
        report_ws_panel_table(stderr, pan, npan);
    free(pan);
    if (hooks->mpi)
        eval_mpi_finish(0); /* every rank leaves, whatever happened */
    if (r == NV_OK) {
        if (hooks->human && have_row &&
            !reward_metric_is_accuracy(row.reward_metric))
            fprintf(stderr, "search '%s' done: %d samples, best %.6g "
                            "(sample %d; %s)\n",
                    text_clean(row.name, name, sizeof name), row.samples_done,
                    row.best_reward, row.best_idx,
                    reward_metric_label(row.reward_metric));
        else if (hooks->human && have_row)
            fprintf(stderr, "search '%s' done: %d samples, best reward %.4f "
                            "(sample %d)\n",
                    text_clean(row.name, name, sizeof name), row.samples_done,
                    row.best_reward, row.best_idx);
        return CLI_EXIT_OK;
    }
    if (r == NV_ERR_INTERRUPTED && stop_signal) {
        int sig = stop_signal;
        fputs("nasview search: ", stderr);
        text_put(stderr, err->msg);
        fprintf(stderr, "; resume with 'nasview search --resume %s'\n",
                have_row ? text_clean(row.name, name, sizeof name) : "NAME");
        fflush(NULL);
        signal(sig, SIG_DFL);
        raise(sig);
        return 128 + sig;
    }
    return cli_fail("search", err);
}

/* search_execute - open the database (created where it is missing), run
 * or resume the search with `workers` children at once, and report. */
static int search_execute(const SearchArgs *a, const SearchConfig *cfg,
                          int workers, NvError *err)
{
    char dbbuf[4096];
    const char *db = a->db;
    Store *st = NULL;
    if (!db) {
        if (cli_default_db(dbbuf, sizeof dbbuf, 1, err)) {
            if (a->mpi)
                eval_mpi_finish(0);
            return cli_fail("search", err);
        }
        db = dbbuf;
    }
    if (store_open(db, STORE_WRITE, &st, err)) {
        if (a->mpi)
            eval_mpi_finish(0);
        return cli_fail("search", err);
    }
    install_handlers();
    SearchHooks hooks = { &stop_signal, &pause_wanted,
                          isatty(STDERR_FILENO) ? stderr : NULL, workers,
                          a->mpi };
    int64_t id = 0;
    if (a->resume)
        search_say_resuming(st, a->resume);
    NvStatus r = a->resume ? search_resume(st, a->resume, &hooks,
                                           a->panel_given ? a->ws_panel : -1,
                                           &id, err)
                           : search_run(st, cfg, &hooks, &id, err);
    return search_report(st, r, id, &hooks, err);
}

int cmd_search(int argc, char **argv)
{
    SearchArgs a;
    SearchConfig cfg;
    NvError err;
    int workers = 0, rank = 0, served = 0;
    int rc = search_parse(argc, argv, &a);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    memset(&cfg, 0, sizeof cfg);
    nv_error_clear(&err);
    if (!a.resume && (rc = search_config(&a, &cfg, &err)))
        return rc;
    rc = search_workers(&a, &cfg, &workers, &rank, &served, &err);
    if (rc || served)
        return rc;
    return search_execute(&a, &cfg, workers, &err);
}
