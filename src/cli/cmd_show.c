/* cmd_show.c - `nasview show SEARCH [SAMPLE]`: a search's settings and its
 * samples ranked by reward, or one sample with its genotype, result,
 * training curve, 50 decisions and final training runs. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/fidelity_level.h"
#include "report/report.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview show [--db FILE] SEARCH [SAMPLE] [--format table|json|csv]\n"
    "Show a search (by name or id): its settings and its samples ranked by\n"
    "reward.  With SAMPLE (its index, from 0): the genotype, the result, the\n"
    "training curve and the 50 decisions with the probability of the chosen\n"
    "value.  CSV gives the sample table, or a sample's decisions.\n";

typedef struct {
    const char *db;
    OutputFormat fmt;
} ShowArgs;

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = offsetof(ShowArgs, db) },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(ShowArgs, fmt), .formats = 7 },
};

static const CliCommand command = { "show", usage, args,
                                    sizeof args / sizeof args[0], 2 };

static int show_search(Store *st, const StoreSearch *s, OutputFormat fmt)
{
    StoreSampleQuery q = { STORE_ORDER_REWARD, 1, 0, NULL };
    StoreSample *rows = NULL;
    StoreWsPanel *pan = NULL;
    StoreEnv env;
    const StoreEnv *envp = &env;
    size_t n = 0, np = 0;
    NvError err;
    NvStatus es;
    if (store_samples(st, s->id, &q, &rows, &n, &err))
        return cli_fail("show", &err);
    es = store_search_env_get(st, s->id, &env, &err);
    if (es == NV_ERR_NOT_FOUND)
        envp = NULL;
    else if (es != NV_OK) {
        free(rows);
        return cli_fail("show", &err);
    }
    if (store_ws_panel_list(st, s->id, &pan, &np, &err)) {
        free(rows);
        return cli_fail("show", &err);
    }
    char warn[512];
    fidlevel_trust(st, s, warn, sizeof warn);
    if (fmt == FORMAT_JSON) {
        fputs("{\"search\":", stdout);
        report_search_json(stdout, s);
        fputs(",\"environment\":", stdout);
        report_env_json(stdout, envp);
        fputs(",\"warning\":", stdout);
        json_string(stdout, warn[0] ? warn : NULL);
        fputs(",\"samples\":[", stdout);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', stdout);
            report_sample_json(stdout, &rows[i], NULL, 0);
        }
        fputs("]", stdout);
        if (strcmp(s->reward_kind, "shared") == 0) {
            fputs(",\"fidelity\":", stdout);
            report_ws_panel_json(stdout, pan, np);
        }
        fputs("}\n", stdout);
    } else if (fmt == FORMAT_CSV) {
        report_samples_csv(stdout, rows, n, 1, 1, s->reward_metric);
    } else {
        report_search_table(stdout, s);
        report_env_table(stdout, envp);
        if (warn[0]) {
            fputs("WARNING     ", stdout);
            text_put(stdout, warn);
            fputc('\n', stdout);
        }
        fputc('\n', stdout);
        if (np) {
            report_ws_panel_table(stdout, pan, np);
            fputc('\n', stdout);
        }
        report_samples_table(stdout, rows, n);
    }
    free(rows);
    free(pan);
    return CLI_EXIT_OK;
}

/* The final runs of one sample (nasview train --from) as a table. */
static void show_runs_table(Store *st, const StoreFinalRun *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const StoreFinalRun *r = &runs[i];
        char t[40];
        report_time(r->created, t, sizeof t);
        printf("\nfinal run %lld  %s, %s UTC\n", (long long)r->id, r->status,
               t);
        printf("  child     F=%d N=%d, %lld parameters\n", r->F, r->N,
               (long long)r->params);
        fputs("  data      ", stdout);
        text_put(stdout, r->dataset);
        printf(": %lld train, %lld validation (seed %llu)\n",
               (long long)r->train_size, (long long)r->val_size,
               (unsigned long long)r->seed);
        printf("  training  %d/%d epochs, batch %d, lr %g, %d threads, "
               "%.1f s\n", r->epochs_done, r->epochs, r->batch, r->lr,
               r->threads, r->seconds);
        fputs("  settings  ", stdout);
        text_put(stdout, r->settings);
        fputc('\n', stdout);
        if (!isnan(r->val_acc))
            printf("  val_acc   %.4f\n", r->val_acc);
        if (!isnan(r->test_acc))
            printf("  test_acc  %.4f\n", r->test_acc);
        if (r->weights[0]) {
            fputs("  weights   ", stdout);
            text_put(stdout, r->weights);
            fputc('\n', stdout);
        }
        StoreRunEpoch *ep = NULL;
        size_t ne = 0;
        NvError err;
        if (store_final_run_curve(st, r->id, &ep, &ne, &err) == NV_OK) {
            for (size_t k = 0; k < ne; k++) {
                printf("  epoch %d  train_loss %.4f", ep[k].epoch,
                       ep[k].train_loss);
                if (!isnan(ep[k].val_acc))
                    printf("  val_acc %.4f", ep[k].val_acc);
                if (!isnan(ep[k].test_acc))
                    printf("  test_acc %.4f", ep[k].test_acc);
                printf("  %.1f s\n", ep[k].seconds);
            }
        }
        free(ep);
    }
}

static void json_num_or_null(double x)
{
    if (isnan(x))
        fputs("null", stdout);
    else
        json_number(stdout, x);
}

/* The final runs of one sample as a JSON array. */
static void show_runs_json(Store *st, const StoreFinalRun *runs, size_t n)
{
    putchar('[');
    for (size_t i = 0; i < n; i++) {
        const StoreFinalRun *r = &runs[i];
        printf("%s{\"id\":%lld,\"status\":", i ? "," : "", (long long)r->id);
        json_string(stdout, r->status);
        fputs(",\"dataset\":", stdout);
        json_string(stdout, r->dataset);
        printf(",\"F\":%d,\"N\":%d,\"epochs\":%d,\"epochs_done\":%d,"
               "\"batch\":%d,\"threads\":%d,\"seed\":%llu,"
               "\"train_size\":%lld,\"val_size\":%lld,\"params\":%lld,"
               "\"lr\":",
               r->F, r->N, r->epochs, r->epochs_done, r->batch, r->threads,
               (unsigned long long)r->seed, (long long)r->train_size,
               (long long)r->val_size, (long long)r->params);
        json_number(stdout, r->lr);
        fputs(",\"val_acc\":", stdout);
        json_num_or_null(r->val_acc);
        fputs(",\"test_acc\":", stdout);
        json_num_or_null(r->test_acc);
        fputs(",\"train_loss\":", stdout);
        json_num_or_null(r->train_loss);
        fputs(",\"seconds\":", stdout);
        json_num_or_null(r->seconds);
        fputs(",\"weights\":", stdout);
        if (r->weights[0])
            json_string(stdout, r->weights);
        else
            fputs("null", stdout);
        printf(",\"created\":%lld,\"settings\":", (long long)r->created);
        json_string(stdout, r->settings);
        fputs(",\"curve\":[", stdout);
        StoreRunEpoch *ep = NULL;
        size_t ne = 0;
        NvError err;
        if (store_final_run_curve(st, r->id, &ep, &ne, &err) == NV_OK)
            for (size_t k = 0; k < ne; k++) {
                printf("%s{\"epoch\":%d,\"train_loss\":", k ? "," : "",
                       ep[k].epoch);
                json_num_or_null(ep[k].train_loss);
                fputs(",\"val_acc\":", stdout);
                json_num_or_null(ep[k].val_acc);
                fputs(",\"test_acc\":", stdout);
                json_num_or_null(ep[k].test_acc);
                fputs(",\"seconds\":", stdout);
                json_num_or_null(ep[k].seconds);
                putchar('}');
            }
        free(ep);
        fputs("]}", stdout);
    }
    putchar(']');
}

static int show_sample(Store *st, const StoreSearch *s, const char *which,
                       OutputFormat fmt)
{
    StoreSample x;
    StoreDecision dec[GENO_DECISIONS];
    StoreProgress *curve = NULL;
    size_t n = 0;
    int n_dec = 0, rc;
    long idx;
    NvError err;

    if ((rc = cli_parse_long("show", "SAMPLE", which, 0, 100000000, &idx)))
        return rc;
    if (store_sample_get(st, s->id, (int)idx, &x, dec, &n_dec, &err) ||
        store_sample_curve(st, s->id, (int)idx, &curve, &n, &err))
        return cli_fail("show", &err);
    StoreFinalRun *runs = NULL;
    size_t nruns = 0;
    if (store_final_runs(st, s->id, (int)idx, &runs, &nruns, &err)) {
        free(curve);
        return cli_fail("show", &err);
    }
    if (fmt == FORMAT_JSON) {
        fputs("{\"search\":", stdout);
        report_search_json(stdout, s);
        fputs(",\"sample\":", stdout);
        report_sample_json(stdout, &x, dec, n_dec);
        fputs(",\"curve\":", stdout);
        report_curve_json(stdout, curve, n);
        fputs(",\"final_runs\":", stdout);
        show_runs_json(st, runs, nruns);
        fputs("}\n", stdout);
    } else if (fmt == FORMAT_CSV) {
        report_decisions_csv(stdout, dec, n_dec);
    } else {
        char c[40], e[40];
        report_time(x.created, c, sizeof c);
        report_time(x.finished, e, sizeof e);
        printf("search      %lld  ", (long long)s->id);
        text_put(stdout, s->name);
        printf("\nsample      %d  %s%s", x.idx,
               store_sample_status_name(x.status), x.message[0] ? ": " : "");
        text_put(stdout, x.message);
        fputs("\ngenotype    ", stdout);
        text_put(stdout, x.genotype);
        fputs("\nhash        ", stdout);
        text_put(stdout, x.hash);
        fputc('\n', stdout);
        printf("reward      %.4f   train loss %.4f\n", x.reward, x.train_loss);
        printf("size        %lld parameters, %lld mult-adds per image\n",
               (long long)x.params, (long long)x.mult_adds);
        printf("time        %.1f s (created %s, finished %s UTC)\n", x.seconds,
               c, e);
        printf("controller  log-probability %.4f, entropy %.4f nats\n",
               x.log_prob, x.entropy);
        printf("\ntraining curve\n");
        report_curve_table(stdout, curve, n);
        printf("\ndecisions\n");
        report_decisions_table(stdout, dec, n_dec);
        if (nruns > 0) {
            printf("\nfinal training (nasview train --from)\n");
            show_runs_table(st, runs, nruns);
        }
    }
    free(runs);
    free(curve);
    return CLI_EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
    ShowArgs a = { NULL, FORMAT_TABLE };
    char dbbuf[4096];
    NvError err;
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    if (first >= argc)
        return cli_usage_error("show", "missing argument (SEARCH)");
    nv_error_clear(&err);
    Store *st = NULL;
    StoreSearch s;
    if (cli_open_store(a.db, STORE_READ, 0, &st, dbbuf, sizeof dbbuf, &err) ||
        store_search_find(st, argv[first], &s, &err)) {
        store_close(st);
        return cli_fail("show", &err);
    }
    rc = argc - first == 2 ? show_sample(st, &s, argv[first + 1], a.fmt)
                           : show_search(st, &s, a.fmt);
    store_close(st);
    return rc;
}
