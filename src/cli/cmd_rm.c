/* cmd_rm.c - `nasview rm`: delete searches with every row of theirs.  Asks
 * first on a terminal; --yes for scripts.  A search a live process writes
 * is refused. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview rm [--db FILE] [--yes] SEARCH...\n"
    "Delete searches (by name or id) with their samples, decisions, progress\n"
    "and strategy state.  Other searches are not touched.  A search that is\n"
    "running or paused in a live process is refused: stop it first.\n"
    "\n"
    "  --yes   do not ask (needed when standard input is not a terminal)\n";

typedef struct {
    const char *db;
    int yes;
} RmArgs;

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = offsetof(RmArgs, db) },
    { .name = "yes", .letter = 'y', .kind = CLI_ARG_FLAG,
      .offset = offsetof(RmArgs, yes) },
};

static const CliCommand command = { "rm", usage, args,
                                    sizeof args / sizeof args[0], -1 };

/* confirm - ask on the terminal whether to delete row; true for yes. */
static int confirm(const StoreSearch *row)
{
    char name[4 * STORE_NAME_MAX], answer[16];
    fprintf(stderr, "delete search '%s' (%s, %d samples done of %d)? [y/N] ",
            text_clean(row->name, name, sizeof name), row->strategy,
            row->samples_done, row->budget);
    fflush(stderr);
    if (!fgets(answer, sizeof answer, stdin))
        return 0;
    return answer[0] == 'y' || answer[0] == 'Y';
}

int cmd_rm(int argc, char **argv)
{
    RmArgs a = { NULL, 0 };
    char dbbuf[4096];
    NvError err;
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    const int yes = a.yes;
    if (first >= argc)
        return cli_usage_error("rm", "missing argument (SEARCH)");
    if (!yes && !isatty(STDIN_FILENO))
        return cli_usage_error("rm", "standard input is not a terminal to "
                                     "ask on: give --yes to delete");
    nv_error_clear(&err);
    Store *st = NULL;
    if (cli_open_store(a.db, STORE_WRITE, 1, &st, dbbuf, sizeof dbbuf, &err))
        return cli_fail("rm", &err);
    for (int i = first; i < argc; i++) {
        StoreSearch row;
        int samples;
        char name[4 * STORE_NAME_MAX];
        if (store_search_find(st, argv[i], &row, &err)) {
            rc = cli_fail("rm", &err);
            continue;
        }
        if (!yes && !confirm(&row)) {
            fprintf(stderr, "kept '%s'\n", text_clean(row.name, name, sizeof name));
            continue;
        }
        if (store_search_delete(st, row.id, &samples, &err)) {
            rc = cli_fail("rm", &err);
            continue;
        }
        printf("deleted '%s' (%d samples)\n",
               text_clean(row.name, name, sizeof name), samples);
    }
    store_close(st);
    return rc;
}
