/* cmd_export.c - `nasview export SEARCH [SAMPLE]`: every sample of a search
 * (or one sample with its decisions and curve) as CSV or JSON, or one
 * sample's cells as SVG or DOT through the cell renderer (cell_graph.h).
 * A table is written to FILE.tmp and renamed, so a failure leaves no
 * half-written file; '-' writes to standard output. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "render/cell_graph.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "report/report.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview export [--db FILE] SEARCH [SAMPLE] (--csv FILE |\n"
    "                      --json FILE | --svg FILE | --dot FILE)\n"
    "                      [--cell normal|reduce|both]\n"
    "Write a search's samples as CSV or JSON (with SAMPLE: that sample, its\n"
    "decisions and, in JSON, its training curve), or a sample's cells as\n"
    "SVG or Graphviz DOT (SAMPLE defaults to the best one), titled with the\n"
    "search, the sample, its reward and parameters (the SVG also with a\n"
    "legend of node shapes and colours).  FILE '-' is standard output.\n";

enum { OPT_SVG = 1, OPT_DOT, OPT_CSV, OPT_JSON };

typedef struct {
    const char *db, *file, *cell;
    int kind; /* OPT_SVG ... OPT_JSON: what to write; 0 until given */
} ExportArgs;

/* set_output - one of --svg, --dot, --csv and --json: what to write and
 * where (a value that looks like an option is refused). */
static int set_output(const char *cmd, const CliArg *arg, const char *val,
                      void *opts)
{
    static const char *const names[] = { "svg", "dot", "csv", "json" };
    ExportArgs *a = opts;
    if (a->kind)
        return cli_usage_error(cmd, "give one of --csv, --json, --svg, --dot");
    if (val[0] == '-' && val[1] == '-')
        return cli_usage_error(cmd,
                               "--%s needs a file name, not the option '%s' "
                               "(a file named so: ./%s)",
                               arg->name, val, val);
    for (int k = 0; k < 4; k++)
        if (strcmp(arg->name, names[k]) == 0)
            a->kind = OPT_SVG + k;
    a->file = val;
    return 0;
}

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING,
      .offset = offsetof(ExportArgs, db) },
    { .name = "svg", .kind = CLI_ARG_CUSTOM, .custom = set_output },
    { .name = "dot", .kind = CLI_ARG_CUSTOM, .custom = set_output },
    { .name = "csv", .kind = CLI_ARG_CUSTOM, .custom = set_output },
    { .name = "json", .kind = CLI_ARG_CUSTOM, .custom = set_output },
    { .name = "cell", .kind = CLI_ARG_STRING,
      .offset = offsetof(ExportArgs, cell) },
};

static const CliCommand command = { "export", usage, args,
                                    sizeof args / sizeof args[0], 2 };

/* write_table - the CSV or JSON export of search s (one sample when
 * idx >= 0) into f. */
static NvStatus write_table(FILE *f, Store *st, const StoreSearch *s, int idx,
                            int json, NvError *err)
{
    NvStatus r;
    if (idx >= 0) {
        StoreSample x;
        StoreDecision dec[GENO_DECISIONS];
        StoreProgress *curve = NULL;
        size_t n = 0;
        int n_dec = 0;
        if ((r = store_sample_get(st, s->id, idx, &x, dec, &n_dec, err)) ||
            (r = store_sample_curve(st, s->id, idx, &curve, &n, err)))
            return r;
        if (json) {
            fputs("{\"search\":", f);
            report_search_json(f, s);
            fputs(",\"sample\":", f);
            report_sample_json(f, &x, dec, n_dec);
            fputs(",\"curve\":", f);
            report_curve_json(f, curve, n);
            fputs("}\n", f);
        } else {
            report_decisions_csv(f, dec, n_dec);
        }
        free(curve);
        return NV_OK;
    }
    /* All samples, a page at a time (bounded memory for long searches). */
    StoreSample last;
    StoreSampleQuery q = { STORE_ORDER_IDX, 0, 256, NULL };
    int first = 1;
    if (json) {
        fputs("{\"search\":", f);
        report_search_json(f, s);
        fputs(",\"samples\":[", f);
    }
    for (;;) {
        StoreSample *rows = NULL;
        size_t n = 0;
        if ((r = store_samples(st, s->id, &q, &rows, &n, err)))
            return r;
        if (!json)
            report_samples_csv(f, rows, n, 1, first, s->reward_metric);
        for (size_t i = 0; json && i < n; i++) {
            StoreDecision dec[GENO_DECISIONS];
            StoreSample x;
            int n_dec = 0;
            if ((r = store_sample_get(st, s->id, rows[i].idx, &x, dec, &n_dec,
                                      err))) {
                free(rows);
                return r;
            }
            if (!first || i > 0)
                fputc(',', f);
            report_sample_json(f, &x, dec, n_dec);
        }
        first = 0;
        if (n > 0)
            last = rows[n - 1];
        free(rows);
        if (n < (size_t)q.limit)
            break;
        q.after = &last;
    }
    if (json)
        fputs("]}\n", f);
    return NV_OK;
}

static NvStatus export_table(Store *st, const StoreSearch *s, int idx,
                             int json, const char *file, NvError *err)
{
    NvStatus r;
    if (strcmp(file, "-") == 0) {
        r = write_table(stdout, st, s, idx, json, err);
        if (r == NV_OK && fflush(stdout) != 0)
            r = nv_error_set(err, NV_ERR_IO, "cannot write standard output: %s",
                             strerror(errno));
        return r;
    }
    OutFile o;
    if ((r = outfile_open(&o, file, err)) != NV_OK)
        return r;
    r = write_table(o.f, st, s, idx, json, err);
    return outfile_close(&o, r, err);
}

/* export_picture - a sample's cells as SVG or DOT (the renderer's job),
 * titled with the search, the sample, its reward and parameters. */
static NvStatus export_picture(Store *st, const StoreSearch *s, int idx,
                               int svg, const char *cell, const char *file,
                               NvError *err)
{
    StoreSample x;
    NvStatus r;
    if (idx < 0) {
        if (s->best_idx < 0)
            return nv_error_set(err, NV_ERR_NOT_FOUND,
                                "search '%s' has no finished sample yet",
                                s->name);
        idx = s->best_idx;
    }
    if ((r = store_sample_get(st, s->id, idx, &x, NULL, NULL, err)))
        return r;
    Genotype g;
    CellSelect which = CELL_SELECT_BOTH;
    if ((r = geno_parse(x.genotype, &g, err)) ||
        (cell && (r = cell_select_parse(cell, &which, err))))
        return r;
    char title[CELL_TITLE_MAX];
    report_picture_title(title, sizeof title, s, &x);
    return cell_render_write_titled(NULL, &g, which,
                                    svg ? RENDER_FORMAT_SVG : RENDER_FORMAT_DOT,
                                    title, file, err);
}

int cmd_export(int argc, char **argv)
{
    ExportArgs a = { NULL, NULL, NULL, 0 };
    char dbbuf[4096];
    long idx = -1;
    NvError err;
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    if (first >= argc)
        return cli_usage_error("export", "missing argument (SEARCH)");
    const char *db = a.db, *file = a.file, *cell = a.cell;
    const int kind = a.kind;
    if (!kind)
        return cli_usage_error("export", "say what to write: --csv FILE, "
                                         "--json FILE, --svg FILE or --dot FILE");
    if (cell && kind != OPT_SVG && kind != OPT_DOT)
        return cli_usage_error("export", "--cell goes with --svg or --dot");
    if (argc - first == 2 &&
        (rc = cli_parse_long("export", "SAMPLE", argv[first + 1], 0,
                             100000000, &idx)))
        return rc;
    nv_error_clear(&err);
    if (!db) {
        if (cli_default_db(dbbuf, sizeof dbbuf, 0, &err))
            return cli_fail("export", &err);
        db = dbbuf;
    }
    Store *st = NULL;
    StoreSearch s;
    NvStatus r = NV_OK;
    if (strcmp(file, "-") != 0)
        r = outfile_check_not(file, db, &err);
    if (r == NV_OK)
        r = store_open(db, STORE_READ, &st, &err);
    if (r == NV_OK)
        r = store_search_find(st, argv[first], &s, &err);
    if (r == NV_OK) {
        if (kind == OPT_CSV || kind == OPT_JSON)
            r = export_table(st, &s, (int)idx, kind == OPT_JSON, file, &err);
        else
            r = export_picture(st, &s, (int)idx, kind == OPT_SVG, cell, file,
                               &err);
    }
    store_close(st);
    return r ? cli_fail("export", &err) : CLI_EXIT_OK;
}
