/* main.c - the `nasview` command: global options, subcommand dispatch.
 * Each subcommand lives in its own cmd_*.c file. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "Usage: nasview [--db FILE] [--read-only]      open the terminal UI\n"
    "       nasview COMMAND [OPTIONS]              run one command\n"
    "\n"
    "NASNet-style neural architecture search you can watch: an LSTM\n"
    "controller (or random search, or regularised evolution) samples cells,\n"
    "child networks are trained on a real dataset, and every sample goes into\n"
    "one SQLite database.\n"
    "\n"
    "Commands:\n"
    "  search     run a search (rl, random or evolution) headless\n"
    "  ls         list the searches in a database\n"
    "  show       one search's settings and samples, or one sample\n"
    "  export     write samples (CSV, JSON) or cells (SVG, DOT)\n"
    "  genotype   check, canonicalise, measure and draw a genotype\n"
    "  train      train one architecture (also at full scale)\n"
    "  eval       score a dataset with trained weights\n"
    "  bench      time training and inference of one child network\n"
    "  compare    compare strategies across searches, with statistics\n"
    "\n"
    "Options:\n"
    "  --db FILE      the database (default\n"
    "                 $XDG_DATA_HOME/nasview/nasview.db)\n"
    "  -h, --help     show this help; 'nasview COMMAND --help' for a command\n"
    "  -V, --version  show the version\n"
    "\n"
    "See nasview(1) for the search space, the database and every key.\n";

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
    { "search", cmd_search },     { "ls", cmd_ls },
    { "show", cmd_show },         { "export", cmd_export },
    { "genotype", cmd_genotype }, { "train", cmd_train },
    { "bench", cmd_bench },       { "compare", cmd_compare },
    { "eval", cmd_eval },
};

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return cli_close_stdout(CLI_EXIT_OK);
    }
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
        printf("nasview %s\n", PACKAGE_VERSION);
        return cli_close_stdout(CLI_EXIT_OK);
    }
    if (argc < 2 || argv[1][0] == '-')
        return cmd_tui(argc, argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return cli_close_stdout(commands[i].run(argc - 1, argv + 1));
    return cli_usage_error(NULL, "'%s' is not a command", argv[1]);
}
