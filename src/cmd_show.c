/* cmd_show.c - `nasview show`: parses its options; the database store is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview show [--db FILE] SEARCH [SAMPLE] [--format table|json|csv]\n"
    "Show a search (settings, ranked samples) or one of its samples.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "format", required_argument, NULL, 2 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_show(int argc, char **argv)
{
    return cli_stub_command("show", usage, opts, 1, 2, argc, argv,
                            "the database store is not built yet");
}
