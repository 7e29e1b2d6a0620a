/* cmd_ls.c - `nasview ls`: parses its options; the database store is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview ls [--db FILE] [--format table|json|csv]\n"
    "List every search in the database.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "format", required_argument, NULL, 2 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_ls(int argc, char **argv)
{
    return cli_stub_command("ls", usage, opts, 0, 0, argc, argv,
                            "the database store is not built yet");
}
