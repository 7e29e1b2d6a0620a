/* cmd_compare.c - `nasview compare`: read the rewards of a set of searches
 * through the store (read-only), compare them grouped by strategy
 * (compare.h) and print a table, JSON or CSV, and optionally an SVG plot.
 * Never writes to the database. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "compare/compare.h"
#include "compare/compare_like.h"
#include "compare/compare_load.h"
#include "compare/compare_report.h"
#include "compare/compare_svg.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview compare [--db FILE] (SEARCH... | --all) [--group strategy]\n"
    "                       [--budget K] [--metric best|top5|top25]\n"
    "                       [--format table|json|csv] [--svg FILE] [--force]\n"
    "Compare searches grouped by strategy, on equal budgets: best-so-far and\n"
    "top-5/top-25 mean reward vs samples, mean across seeds with a 95% t\n"
    "interval cut to [0,1], area under the best-so-far curve, a rank test\n"
    "between strategies with the Vargha-Delaney A12 effect size, and a\n"
    "verdict (with a note when a large A12 meets too few seeds for p).\n"
    "The test follows how the searches were drawn (nasview search --streams):\n"
    "Mann-Whitney U for independent runs, Wilcoxon signed-rank over seeds for\n"
    "searches with common random numbers whose seeds pair up; both exact for\n"
    "small counts, ties included.\n"
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
    "  --force         compare searches that differ in search space version,\n"
    "                  dataset, reward kind, proxy settings or batch-norm\n"
    "                  recalibration (refused otherwise; each difference is\n"
    "                  named)\n"
    "  --db FILE       the database (default $XDG_DATA_HOME/nasview/nasview.db)\n"
    "\n"
    "Every sample counts toward the budget; a duplicate architecture carries\n"
    "the reward of its first training.  See nasview(1), COMPARING STRATEGIES.\n";

typedef struct {
    const char *db, *svg;
    OutputFormat format;
    CompareMetric metric;
    long budget;
    int all, force;
} CompareArgs;

/* set_group - --group strategy, the one grouping there is. */
static int set_group(const char *cmd, const CliArg *arg, const char *val,
                     void *opts)
{
    (void)arg;
    (void)opts;
    if (strcmp(val, "strategy") != 0)
        return cli_usage_error(cmd, "--group '%s': only 'strategy' is "
                                    "supported",
                               val);
    return 0;
}

/* set_metric - --metric best|top5|top25. */
static int set_metric(const char *cmd, const CliArg *arg, const char *val,
                      void *opts)
{
    CompareArgs *a = opts;
    (void)arg;
    if (compare_metric_parse(val, &a->metric) != 0)
        return cli_usage_error(cmd, "--metric '%s': use best, top5 or top25",
                               val);
    return 0;
}

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING,
      .offset = offsetof(CompareArgs, db) },
    { .name = "all", .kind = CLI_ARG_FLAG,
      .offset = offsetof(CompareArgs, all) },
    { .name = "group", .kind = CLI_ARG_CUSTOM, .custom = set_group },
    { .name = "budget", .kind = CLI_ARG_LONG,
      .offset = offsetof(CompareArgs, budget), .lo = 1, .hi = 1000000000L },
    { .name = "metric", .kind = CLI_ARG_CUSTOM, .custom = set_metric },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(CompareArgs, format), .formats = 7 },
    { .name = "svg", .kind = CLI_ARG_STRING,
      .offset = offsetof(CompareArgs, svg) },
    { .name = "force", .kind = CLI_ARG_FLAG,
      .offset = offsetof(CompareArgs, force) },
};

static const CliCommand command = { "compare", usage, args,
                                    sizeof args / sizeof args[0], -1 };

/* One search as read from the store. */
typedef struct {
    StoreSearch info;
    CompareRewards r;
    StoreEnv env;  /* recorded environment, when have_env */
    int have_env;
} Loaded;

static void loaded_free(Loaded *l, size_t n)
{
    for (size_t i = 0; l && i < n; i++)
        compare_rewards_free(&l[i].r);
    free(l);
}

/* check_like - the searches must have been run on the same task
 * (compare_check_like): otherwise every difference is named on stderr,
 * and the comparison refused (NV_ERR_USAGE) unless force is set, when
 * they are warnings. */
static NvStatus check_like(const Loaded *l, size_t n, int force, NvError *err)
{
    enum { MAXD = 16 };
    CompareProtocol *p = calloc(n ? n : 1, sizeof *p);
    CompareDiff d[MAXD];
    size_t nd;
    char line[600];
    if (!p)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        compare_protocol_of(&l[i].info, &p[i]);
    nd = compare_check_like(p, n, d, MAXD);
    for (size_t i = 0; i < nd && i < MAXD; i++)
        if (d[i].hard) {
            compare_diff_text(p, &d[i], line, sizeof line);
            free(p);
            return nv_error_set(err, NV_ERR_USAGE,
                                "%s: rewards of different kinds measure "
                                "different things (a zero-cost score is not "
                                "an accuracy), so the strategies cannot be "
                                "compared on them, not even with --force; "
                                "compare searches made with one --reward",
                                line);
        }
    for (size_t i = 0; i < nd && i < MAXD; i++) {
        compare_diff_text(p, &d[i], line, sizeof line);
        fprintf(stderr, "nasview compare: %s%s\n", force ? "warning: " : "",
                line);
    }
    if (nd && !force) {
        compare_diff_text(p, &d[0], line, sizeof line);
        free(p);
        return nv_error_set(err, NV_ERR_USAGE,
                            "not like with like: %s%s; the comparison would "
                            "not be of strategies alone (--force compares "
                            "them anyway)",
                            line, nd > 1 ? ", and more above" : "");
    }
    free(p);
    return NV_OK;
}

/* env_field - field k of e as text into buf (k < ENV_FIELDS), its name
 * returned. */
enum { ENV_FIELDS = 7 };
static const char *env_field(const StoreEnv *e, int k, char *buf, size_t n)
{
    switch (k) {
    case 0: snprintf(buf, n, "%s (%s)", e->version, e->revision);
            return "nasview";
    case 1: snprintf(buf, n, "%s", e->compiler); return "compiler";
    case 2: snprintf(buf, n, "%s", e->blas); return "blas";
    case 3: snprintf(buf, n, "%s", e->cpu); return "cpu";
    case 4: snprintf(buf, n, "%d", e->cores); return "cores";
    case 5: snprintf(buf, n, "%d", e->workers); return "workers";
    default: snprintf(buf, n, "%d", e->threads); return "threads";
    }
}

/* print_env_differences - when the searches' recorded environments differ
 * (or some have none), one line per differing field with every search's
 * value, on f.  Load averages are not compared (they always differ) but
 * printed with the rest. */
static void print_env_differences(FILE *f, const Loaded *l, size_t n)
{
    int header = 0;
    for (int k = 0; k < ENV_FIELDS; k++) {
        char first[320], v[320], name[4 * STORE_NAME_MAX], clean[1300];
        int differs = 0, have0 = l[0].have_env;
        const char *field = "";
        if (have0)
            field = env_field(&l[0].env, k, first, sizeof first);
        for (size_t i = 1; i < n; i++) {
            if (l[i].have_env != have0)
                differs = 1;
            else if (have0) {
                env_field(&l[i].env, k, v, sizeof v);
                differs |= strcmp(v, first) != 0;
            }
        }
        if (!differs)
            continue;
        if (!header) {
            fprintf(f, "\nEnvironment: the searches ran on different "
                       "builds or machines (costs and times are not "
                       "comparable as they stand):\n");
            header = 1;
        }
        if (!field[0]) {
            StoreEnv dummy;
            memset(&dummy, 0, sizeof dummy);
            field = env_field(&dummy, k, v, sizeof v);
        }
        fprintf(f, "  %s:\n", field);
        for (size_t i = 0; i < n; i++) {
            if (l[i].have_env)
                env_field(&l[i].env, k, v, sizeof v);
            else
                snprintf(v, sizeof v, "not recorded");
            fprintf(f, "    %-24s %s", text_clean(l[i].info.name, name,
                                                  sizeof name),
                    text_clean(v, clean, sizeof clean));
            if (l[i].have_env && k == 5 && isfinite(l[i].env.load[0]))
                fprintf(f, "  (load %.2f at the start)", l[i].env.load[0]);
            fputc('\n', f);
        }
    }
}

static int run_compare(const char *db, char **names, int nnames, int all,
                       long budget, CompareMetric metric, OutputFormat format,
                       const char *svg, int force)
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
    if (cli_open_store(db, STORE_READ, 0, &st, dbbuf, sizeof dbbuf, &err))
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
                         "%s holds no search with a finished sample", dbbuf);
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
    for (size_t i = 0; i < nl; i++) {
        NvStatus es;
        if (compare_rewards_load(st, &l[i].info, &l[i].r, &err) != NV_OK)
            goto fail;
        es = store_search_env_get(st, l[i].info.id, &l[i].env, &err);
        if (es != NV_OK && es != NV_ERR_NOT_FOUND)
            goto fail;
        l[i].have_env = es == NV_OK;
    }
    store_close(st);
    st = NULL;
    if (check_like(l, nl, force, &err) != NV_OK)
        goto fail;

    in = calloc(nl, sizeof *in);
    if (!in) {
        nv_error_set(&err, NV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nl; i++)
        in[i] = compare_input_of(&l[i].info, &l[i].r);
    if (compare_build(in, nl, (size_t)budget, metric, &c, &err) != NV_OK)
        goto fail;

    if (svg && compare_svg_save(svg, c, &err) != NV_OK)
        goto fail;
    if (!(svg && strcmp(svg, "-") == 0)) {
        if (format == FORMAT_JSON)
            compare_report_json(stdout, c);
        else if (format == FORMAT_CSV)
            compare_report_csv(stdout, c);
        else {
            compare_report_table(stdout, c);
            print_env_differences(stdout, l, nl);
        }
        if (format != FORMAT_TABLE)
            print_env_differences(stderr, l, nl);
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
    CompareArgs a = { NULL, NULL, FORMAT_TABLE, COMPARE_BEST, 0, 0, 0 };
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    if (a.all && first < argc)
        return cli_usage_error("compare",
                               "give search names or --all, not both");
    if (!a.all && first >= argc)
        return cli_usage_error("compare", "name the searches to compare, or "
                                          "give --all");
    return run_compare(a.db, argv + first, argc - first, a.all, a.budget,
                       a.metric, a.format, a.svg, a.force);
}
