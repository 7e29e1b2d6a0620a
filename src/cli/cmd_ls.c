/* cmd_ls.c - `nasview ls`: every search in the database with its strategy,
 * seed, samples done of the budget, best reward, status and creation time. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview ls [--db FILE] [--format table|json|csv]\n"
    "List every search in the database: id, name, strategy, seed, samples\n"
    "done of the budget, best reward, status (running, paused, done,\n"
    "interrupted, failed, or stale when its process vanished) and creation\n"
    "time (UTC).\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "format", required_argument, NULL, 2 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void print(OutputFormat fmt, const StoreSearch *rows, size_t n)
{
    if (fmt == FORMAT_JSON) {
        fputc('[', stdout);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', stdout);
            report_search_json(stdout, &rows[i]);
        }
        fputs("]\n", stdout);
    } else if (fmt == FORMAT_CSV) {
        report_searches_csv(stdout, rows, n);
    } else {
        report_searches_table(stdout, rows, n);
    }
}

int cmd_ls(int argc, char **argv)
{
    OutputFormat fmt = FORMAT_TABLE;
    const char *db = NULL;
    char dbbuf[4096];
    NvError err;
    int c, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        case 1:
            db = optarg;
            break;
        case 2:
            if ((rc = cli_parse_format("ls", optarg, 7, &fmt)))
                return rc;
            break;
        default:
            return cli_option_error("ls", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("ls", "unexpected argument '%s'", argv[optind]);
    nv_error_clear(&err);
    Store *st = NULL;
    StoreSearch *rows = NULL;
    size_t n = 0;
    NvStatus r = cli_open_store(db, STORE_READ, 0, &st, dbbuf, sizeof dbbuf,
                                &err);
    if (r == NV_ERR_NOT_FOUND && access(dbbuf, F_OK) == 0) {
        /* An empty file is a database a search is setting up: no rows. */
        print(fmt, NULL, 0);
        return CLI_EXIT_OK;
    }
    if (r || (r = store_search_list(st, &rows, &n, &err))) {
        store_close(st);
        return cli_fail("ls", &err);
    }
    print(fmt, rows, n);
    free(rows);
    store_close(st);
    return CLI_EXIT_OK;
}
