/* cmd_search.c - `nasview search`: parses its options; the search loop comes with the store. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview search [--db FILE] --strategy rl|random|evolution --budget N\n"
    "                      --seed S [--name NAME] [--F n] [--N n] [--epochs n]\n"
    "                      [--train-size n] [--val-size n] [--dataset D]\n"
    "                      [--threads n] [--resume SEARCH]\n"
    "Run a search headless and store every sample in the database.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "strategy", required_argument, NULL, 2 },
    { "budget", required_argument, NULL, 3 },
    { "seed", required_argument, NULL, 4 },
    { "name", required_argument, NULL, 5 },
    { "F", required_argument, NULL, 6 },
    { "N", required_argument, NULL, 7 },
    { "epochs", required_argument, NULL, 8 },
    { "train-size", required_argument, NULL, 9 },
    { "val-size", required_argument, NULL, 10 },
    { "dataset", required_argument, NULL, 11 },
    { "threads", required_argument, NULL, 12 },
    { "resume", required_argument, NULL, 13 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_search(int argc, char **argv)
{
    return cli_stub_command("search", usage, opts, 0, 0, argc, argv,
                            "the search loop comes with the store");
}
