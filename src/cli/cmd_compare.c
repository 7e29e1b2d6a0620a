/* cmd_compare.c - `nasview compare`: read the rewards of a set of searches
 * through the store (read-only), compare them grouped by strategy
 * (compare.h) and print a table, JSON or CSV, and optionally an SVG plot.
 * Never writes to the database. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cli/cli.h"
#include "compare/compare.h"
#include "compare/compare_report.h"
#include "compare/compare_svg.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview compare [--db FILE] (SEARCH... | --all) [--group strategy]\n"
    "                       [--budget K] [--metric best|top5|top25]\n"
    "                       [--format table|json|csv] [--svg FILE]\n"
    "Compare searches grouped by strategy, on equal budgets: best-so-far and\n"
    "top-5/top-25 mean reward vs samples, mean across seeds with a 95% t\n"
    "interval, area under the best-so-far curve, Mann-Whitney U with the\n"
    "Vargha-Delaney A12 effect size between strategies, and a verdict.\n"
    "\n"
    "  SEARCH          a search name or id (several: one per seed)\n"
    "  --all           every search with at least one finished sample\n"
    "  --group strategy  group searches by strategy (the default)\n"
    "  --budget K      compare the first K samples of every search (default:\n"
    "                  the smallest number of finished samples among them)\n"
    "  --metric M      what the tests and verdict use: best (default), top5\n"
    "                  or top25 at the budget\n"
    "  --format F      table (default), json, or csv (the curves)\n"
    "  --svg FILE      also plot the curves with bands as SVG ('-': stdout,\n"
    "                  then nothing else is printed)\n"
    "  --db FILE       the database (default $XDG_DATA_HOME/nasview/nasview.db)\n"
    "\n"
    "Every sample counts toward the budget; a duplicate architecture carries\n"
    "the reward of its first training.  See nasview(1), COMPARING STRATEGIES.\n";

enum { OPT_DB = 1, OPT_ALL, OPT_GROUP, OPT_BUDGET, OPT_METRIC, OPT_FORMAT,
       OPT_SVG };

static const struct option opts[] = {
    { "db", required_argument, NULL, OPT_DB },
    { "all", no_argument, NULL, OPT_ALL },
    { "group", required_argument, NULL, OPT_GROUP },
    { "budget", required_argument, NULL, OPT_BUDGET },
    { "metric", required_argument, NULL, OPT_METRIC },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "svg", required_argument, NULL, OPT_SVG },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* The rewards of one search, as read from the store. */
typedef struct {
    StoreSearch info;
    double *reward;
    uint64_t *key;
    size_t n;
} Loaded;

static void loaded_free(Loaded *l, size_t n)
{
    for (size_t i = 0; l && i < n; i++) {
        free(l[i].reward);
        free(l[i].key);
    }
    free(l);
}

/* Samples that count: those with a reward (done, diverged with reward 0,
 * duplicate).  Running, interrupted and failed ones are left out. */
static int sample_counts(const StoreSample *s)
{
    return (s->status == SAMPLE_DONE || s->status == SAMPLE_DIVERGED ||
            s->status == SAMPLE_DUPLICATE);
}

/* Read the rewards and hashes of search l->info.id in sample order, a page
 * at a time so memory stays bounded by the rewards themselves. */
static NvStatus load_rewards(Store *st, Loaded *l, NvError *err)
{
    enum { PAGE = 1024 };
    StoreSample last;
    size_t cap = 0;
    int have_last = 0;
    for (;;) {
        StoreSampleQuery q = { STORE_ORDER_IDX, 0, PAGE,
                               have_last ? &last : NULL };
        StoreSample *rows = NULL;
        size_t n = 0;
        NvStatus s = store_samples(st, l->info.id, &q, &rows, &n, err);
        if (s != NV_OK)
            return s;
        for (size_t i = 0; i < n; i++) {
            double r = rows[i].reward;
            if (!sample_counts(&rows[i]))
                continue;
            if (l->n == cap) {
                size_t nc = cap ? 2 * cap : 256;
                double *nr = realloc(l->reward, nc * sizeof *nr);
                uint64_t *nk;
                if (nr)
                    l->reward = nr;
                nk = nr ? realloc(l->key, nc * sizeof *nk) : NULL;
                if (!nk) {
                    free(rows);
                    return nv_error_set(err, NV_ERR_NOMEM,
                                        "out of memory reading search '%s'",
                                        l->info.name);
                }
                l->key = nk;
                cap = nc;
            }
            /* A diverged child is recorded with reward 0 (SPEC 3); an
             * unknown reward on a counted sample is read the same way. */
            l->reward[l->n] = isfinite(r) ? r : 0.0;
            l->key[l->n] = strtoull(rows[i].hash, NULL, 16);
            l->n++;
        }
        if (n > 0) {
            last = rows[n - 1];
            have_last = 1;
        }
        free(rows);
        if (n < PAGE)
            return NV_OK;
    }
}

/* Say on stderr when the searches were not run on the same proxy task:
 * the comparison is then of more than the strategies. */
static void warn_settings(const Loaded *l, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        const StoreSearch *a = &l[0].info, *b = &l[i].info;
        char an[4 * STORE_NAME_MAX], bn[4 * STORE_NAME_MAX];
        if (strcmp(a->reward_kind, b->reward_kind) != 0) {
            fprintf(stderr,
                    "nasview compare: warning: '%s' has %s rewards and '%s' "
                    "%s ones; they measure different things and are not "
                    "comparable\n",
                    text_clean(a->name, an, sizeof an),
                    a->reward_kind[0] ? a->reward_kind : "standalone",
                    text_clean(b->name, bn, sizeof bn),
                    b->reward_kind[0] ? b->reward_kind : "standalone");
            return;
        }
        if (strcmp(a->dataset, b->dataset) != 0 || a->F != b->F ||
            a->N != b->N || a->epochs != b->epochs ||
            a->train_size != b->train_size || a->val_size != b->val_size ||
            a->batch != b->batch || a->lr != b->lr ||
            a->bn_recalibrate != b->bn_recalibrate) {
            fprintf(stderr,
                    "nasview compare: warning: searches '%s' and '%s' differ "
                    "in dataset or proxy settings; the comparison is not of "
                    "strategies alone\n",
                    text_clean(a->name, an, sizeof an),
                    text_clean(b->name, bn, sizeof bn));
            return;
        }
    }
}

/* same_reward_metric - searches whose rewards measure different things
 * (an accuracy against a zero-cost score, or two scores: reward_metric)
 * are not compared at all: NV_ERR_USAGE naming the first two that
 * differ and why. */
static NvStatus same_reward_metric(const Loaded *l, size_t n, NvError *err)
{
    for (size_t i = 1; i < n; i++) {
        const StoreSearch *a = &l[0].info, *b = &l[i].info;
        const char *ma = a->reward_metric[0] ? a->reward_metric : "accuracy";
        const char *mb = b->reward_metric[0] ? b->reward_metric : "accuracy";
        if (strcmp(ma, mb) == 0)
            continue;
        char an[4 * STORE_NAME_MAX], bn[4 * STORE_NAME_MAX];
        return nv_error_set(err, NV_ERR_USAGE,
                            "'%s' is rewarded by %s and '%s' by %s: rewards "
                            "of different kinds measure different things "
                            "(a zero-cost score is not an accuracy), so "
                            "the strategies cannot be compared on them; "
                            "compare searches made with one --reward",
                            text_clean(a->name, an, sizeof an), ma,
                            text_clean(b->name, bn, sizeof bn), mb);
    }
    return NV_OK;
}

static int run_compare(const char *db, char **names, int nnames, int all,
                       long budget, CompareMetric metric, OutputFormat format,
                       const char *svg)
{
    char dbbuf[4096];
    Store *st = NULL;
    Loaded *l = NULL;
    size_t nl = 0;
    CompareInput *in = NULL;
    Comparison *c = NULL;
    NvError err;
    int rc = CLI_EXIT_FAIL;

    nv_error_clear(&err);
    if (!db) {
        if (cli_default_db(dbbuf, sizeof dbbuf, 0, &err) != NV_OK)
            return cli_fail("compare", &err);
        db = dbbuf;
    }
    if (store_open(db, STORE_READ, &st, &err) != NV_OK)
        return cli_fail("compare", &err);

    if (all) {
        StoreSearch *list = NULL;
        size_t n = 0;
        if (store_search_list(st, &list, &n, &err) != NV_OK)
            goto fail;
        l = calloc(n ? n : 1, sizeof *l);
        if (!l) {
            free(list);
            nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++)
            if (list[i].samples_done > 0)
                l[nl++].info = list[i];
        free(list);
        if (nl == 0) {
            nv_error_set(&err, NV_ERR_NOT_FOUND,
                         "%s holds no search with a finished sample", db);
            goto fail;
        }
    } else {
        l = calloc((size_t)nnames, sizeof *l);
        if (!l) {
            nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (int i = 0; i < nnames; i++) {
            int seen = 0;
            StoreSearch info;
            if (store_search_find(st, names[i], &info, &err) != NV_OK)
                goto fail;
            for (size_t j = 0; j < nl; j++)
                seen |= l[j].info.id == info.id;
            if (!seen) /* naming a search twice does not make two seeds */
                l[nl++].info = info;
        }
    }
    if (same_reward_metric(l, nl, &err) != NV_OK)
        goto fail;
    for (size_t i = 0; i < nl; i++)
        if (load_rewards(st, &l[i], &err) != NV_OK)
            goto fail;
    store_close(st);
    st = NULL;
    warn_settings(l, nl);

    in = calloc(nl, sizeof *in);
    if (!in) {
        nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nl; i++) {
        in[i].name = l[i].info.name;
        in[i].strategy = l[i].info.strategy;
        in[i].reward = l[i].reward;
        in[i].key = l[i].key;
        in[i].n = l[i].n;
    }
    if (compare_build(in, nl, (size_t)budget, metric, &c, &err) != NV_OK)
        goto fail;

    if (svg && compare_svg_save(svg, c, &err) != NV_OK)
        goto fail;
    if (!(svg && strcmp(svg, "-") == 0)) {
        if (format == FORMAT_JSON)
            compare_report_json(stdout, c);
        else if (format == FORMAT_CSV)
            compare_report_csv(stdout, c);
        else
            compare_report_table(stdout, c);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            nv_error_set(&err, NV_ERR_IO, "cannot write to standard output");
            goto fail;
        }
    }
    rc = CLI_EXIT_OK;
    goto done;

fail:
    rc = cli_fail("compare", &err);
done:
    compare_free(c);
    free(in);
    loaded_free(l, nl);
    store_close(st);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    const char *db = NULL, *svg = NULL;
    OutputFormat format = FORMAT_TABLE;
    CompareMetric metric = COMPARE_BEST;
    long budget = 0;
    int all = 0, c, rc;

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
        case OPT_ALL:
            all = 1;
            break;
        case OPT_GROUP:
            if (strcmp(optarg, "strategy") != 0)
                return cli_usage_error("compare",
                                       "--group '%s': only 'strategy' is "
                                       "supported",
                                       optarg);
            break;
        case OPT_BUDGET:
            if ((rc = cli_parse_long("compare", "--budget", optarg, 1,
                                     1000000000L, &budget)))
                return rc;
            break;
        case OPT_METRIC:
            if (compare_metric_parse(optarg, &metric) != 0)
                return cli_usage_error("compare",
                                       "--metric '%s': use best, top5 or "
                                       "top25",
                                       optarg);
            break;
        case OPT_FORMAT:
            if ((rc = cli_parse_format("compare", optarg, 7, &format)))
                return rc;
            break;
        case OPT_SVG:
            svg = optarg;
            break;
        default:
            return cli_option_error("compare", c, argv);
        }
    }
    if (all && optind < argc)
        return cli_usage_error("compare",
                               "give search names or --all, not both");
    if (!all && optind >= argc)
        return cli_usage_error("compare", "name the searches to compare, or "
                                          "give --all");
    return run_compare(db, argv + optind, argc - optind, all, budget, metric,
                       format, svg);
}
