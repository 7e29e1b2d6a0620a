/* cmd_ls.c - `nasview ls`: every search in the database with its strategy,
 * seed, samples done of the budget, best reward, status and creation time. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_args.h"
#include "report/report.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview ls [--db FILE] [--format table|json|csv]\n"
    "List every search in the database: id, name, strategy, seed, samples\n"
    "done of the budget, best reward, status (running, paused, done,\n"
    "interrupted, failed, or stale when its process vanished) and creation\n"
    "time (UTC).\n";

typedef struct {
    const char *db;
    OutputFormat fmt;
} LsArgs;

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = offsetof(LsArgs, db) },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(LsArgs, fmt), .formats = 7 },
};

static const CliCommand command = { "ls", usage, args,
                                    sizeof args / sizeof args[0], 0 };

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
    LsArgs a = { NULL, FORMAT_TABLE };
    char dbbuf[4096];
    NvError err;
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    OutputFormat fmt = a.fmt;
    nv_error_clear(&err);
    Store *st = NULL;
    StoreSearch *rows = NULL;
    size_t n = 0;
    NvStatus r = cli_open_store(a.db, STORE_READ, 0, &st, dbbuf, sizeof dbbuf,
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
