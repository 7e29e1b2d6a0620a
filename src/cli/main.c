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
    "  rm         delete searches with all their rows\n"
    "  rename     give a search a new name\n"
    "  fidelity   how well cheap proxies and zero-cost scores rank\n"
    "             architectures the way a reference proxy does\n"
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
    { "rm", cmd_rm },             { "rename", cmd_rename },
    { "fidelity", cmd_fidelity },
    { "eval", cmd_eval },
};

/* edit_distance - Levenshtein distance of a and b (short words only:
 * longer ones count as far apart). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[33];
    if (la > 32 || lb > 32)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* not_a_command - the usage error for word, with the nearest command when
 * one is close (a typo, or the start of one). */
static int not_a_command(const char *word)
{
    const char *near = NULL;
    size_t best = 3; /* at most two edits away */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const char *name = commands[i].name;
        size_t d = edit_distance(word, name);
        if (strlen(word) >= 2 && strncmp(word, name, strlen(word)) == 0)
            d = 1;
        if (d < best) {
            best = d;
            near = name;
        }
    }
    if (near)
        return cli_usage_error(NULL, "'%s' is not a command; did you mean "
                                     "'%s'?", word, near);
    return cli_usage_error(NULL, "'%s' is not a command", word);
}

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
    return not_a_command(argv[1]);
}
