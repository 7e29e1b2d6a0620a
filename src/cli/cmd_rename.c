/* cmd_rename.c - `nasview rename`: give a search a new name. */
#include "config.h"

#include <stdio.h>

#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "store/store.h"

static const char usage[] =
    "Usage: nasview rename [--db FILE] SEARCH NEW-NAME\n"
    "Rename a search (by name or id).  The new name follows --name's rules\n"
    "(1 to 127 characters, no control characters, not digits alone) and must\n"
    "be free.  A search that is running or paused in a live process is\n"
    "refused: stop it first.\n";

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = 0 },
};

static const CliCommand command = { "rename", usage, args,
                                    sizeof args / sizeof args[0], -1 };

int cmd_rename(int argc, char **argv)
{
    const char *db = NULL;
    char dbbuf[4096], from[4 * STORE_NAME_MAX];
    NvError err;
    int first, rc = cli_args_parse(&command, argc, argv, &db, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    if (argc - first != 2)
        return cli_usage_error("rename", "give the search and its new name");
    nv_error_clear(&err);
    if (store_name_check(argv[first + 1], &err))
        return cli_usage_error("rename", "%s", err.msg);
    Store *st = NULL;
    StoreSearch row;
    if (cli_open_store(db, STORE_WRITE, 1, &st, dbbuf, sizeof dbbuf, &err) ||
        store_search_find(st, argv[first], &row, &err) ||
        store_search_rename(st, row.id, argv[first + 1], &err)) {
        store_close(st);
        return cli_fail("rename", &err);
    }
    store_close(st);
    printf("renamed '%s' to '%s'\n", text_clean(row.name, from, sizeof from),
           argv[first + 1]);
    return CLI_EXIT_OK;
}
