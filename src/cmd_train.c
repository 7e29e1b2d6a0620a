/* cmd_train.c - `nasview train`: parses its options; the training engine is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview train --genotype (TEXT | nasnet-a) [--F n] [--N n] [--epochs n]\n"
    "                     [--train-size n] [--dataset D] [--seed S] [--test]\n"
    "                     [--format table|json]\n"
    "Train one architecture and report its validation (and test) accuracy.\n";

static const struct option opts[] = {
    { "genotype", required_argument, NULL, 1 },
    { "F", required_argument, NULL, 2 },
    { "N", required_argument, NULL, 3 },
    { "epochs", required_argument, NULL, 4 },
    { "train-size", required_argument, NULL, 5 },
    { "dataset", required_argument, NULL, 6 },
    { "seed", required_argument, NULL, 7 },
    { "test", no_argument, NULL, 8 },
    { "format", required_argument, NULL, 9 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_train(int argc, char **argv)
{
    return cli_stub_command("train", usage, opts, 0, 0, argc, argv,
                            "the training engine is not built yet");
}
