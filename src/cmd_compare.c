/* cmd_compare.c - `nasview compare`: parses its options; the comparison statistics are not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview compare [--db FILE] SEARCH... [--format table|json|csv] [--svg FILE]\n"
    "Compare searches grouped by strategy: best-so-far and top-k curves,\n"
    "confidence bands, Mann-Whitney U and the A12 effect size.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "format", required_argument, NULL, 2 },
    { "svg", required_argument, NULL, 3 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_compare(int argc, char **argv)
{
    return cli_stub_command("compare", usage, opts, 1, 1000, argc, argv,
                            "the comparison statistics are not built yet");
}
