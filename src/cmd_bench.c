/* cmd_bench.c - `nasview bench`: parses its options; the training engine is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview bench [--genotype (TEXT | nasnet-a)] [--F n] [--N n] [--batch n]\n"
    "                     [--threads n] [--format table|json]\n"
    "Time training and inference steps of one child network.\n";

static const struct option opts[] = {
    { "genotype", required_argument, NULL, 1 },
    { "F", required_argument, NULL, 2 },
    { "N", required_argument, NULL, 3 },
    { "batch", required_argument, NULL, 4 },
    { "threads", required_argument, NULL, 5 },
    { "format", required_argument, NULL, 6 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_bench(int argc, char **argv)
{
    return cli_stub_command("bench", usage, opts, 0, 0, argc, argv,
                            "the training engine is not built yet");
}
