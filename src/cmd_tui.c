/* cmd_tui.c - `nasview tui`: parses its options; the terminal UI is not built yet. */
#include "config.h"

#include "cli.h"

static const char usage[] =
"Usage: nasview [--db FILE] [--read-only]\n"
    "Open the terminal UI on a database.\n";

static const struct option opts[] = {
    { "db", required_argument, NULL, 1 },
    { "read-only", no_argument, NULL, 2 },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int cmd_tui(int argc, char **argv)
{
    return cli_stub_command("tui", usage, opts, 0, 0, argc, argv,
                            "the terminal UI is not built yet");
}
