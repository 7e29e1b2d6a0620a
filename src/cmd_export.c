/* cmd_export.c - `nasview export`: parses its options; the database store is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview export [--db FILE] SEARCH [SAMPLE] (--svg FILE | --dot FILE |\n"
    "                      --csv FILE | --json FILE) [--cell normal|reduce|both]\n"
    "Write a search's samples as CSV/JSON, or a sample's cells as SVG/DOT.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "svg", required_argument, NULL, 2 },
    { "dot", required_argument, NULL, 3 },
    { "csv", required_argument, NULL, 4 },
    { "json", required_argument, NULL, 5 },
    { "cell", required_argument, NULL, 6 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_export(int argc, char **argv)
{
    return cli_stub_command("export", usage, opts, 1, 2, argc, argv,
                            "the database store is not built yet");
}
