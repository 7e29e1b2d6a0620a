/* tui_main.c - `nasview [--db FILE] [--read-only]`: the terminal UI's
 * entry.  Parses the options, checks the terminal, installs the signal
 * handlers (before curses starts, so ncurses leaves them alone), runs the
 * app, and restores the terminal on every way out: normal quit, error, or
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT (flag-based: the loop sees the flag within
 * one tick, restores the terminal, then the signal is raised again with
 * its default action so the exit status tells what happened). */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/cli_args.h"

static const char usage[] =
    "Usage: nasview [--db FILE] [--read-only]\n"
    "Open the terminal UI on a database: watch searches live, start new\n"
    "ones, browse their samples and cells.  Press ? in any screen for its\n"
    "keys.\n"
    "\n"
    "Options:\n"
    "  --db FILE     the database (default $XDG_DATA_HOME/nasview/nasview.db)\n"
    "  --read-only   only look: hide everything that starts, pauses or\n"
    "                stops a search\n"
    "  -h, --help    show this help\n"
    "\n"
    "Environment: NO_COLOR (no colours), NASVIEW_CHARS=braille|block|ascii\n"
    "(how charts are drawn; ascii is the default outside UTF-8 locales).\n";

typedef struct {
    const char *db;
    int read_only;
} TuiArgs;

static const CliArg args[] = {
    { .name = "db", .kind = CLI_ARG_STRING, .offset = offsetof(TuiArgs, db) },
    { .name = "read-only", .kind = CLI_ARG_FLAG,
      .offset = offsetof(TuiArgs, read_only) },
};

/* no command name: errors read "nasview: ..." */
static const CliCommand command = { NULL, usage, args,
                                    sizeof args / sizeof args[0], -1 };

/* The one piece of mutable global state: written by the signal handler,
 * read by the input loop. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void install_handlers(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

int cmd_tui(int argc, char **argv)
{
    TuiArgs a = { NULL, 0 };
    int first, parsed = cli_args_parse(&command, argc, argv, &a, &first);
    if (parsed)
        return parsed == CLI_ARGS_HELP ? CLI_EXIT_OK : parsed;
    if (first < argc)
        return cli_usage_error(NULL, "'%s' is not a command", argv[first]);
    const char *db = a.db;
    int read_only = a.read_only;

    char dbbuf[PATH_MAX], no_dir[1024] = "";
    NvError err;
    nv_error_clear(&err);
    if (!db) {
        /* A data directory that cannot be created still lets the UI read
         * what is there, as ls does: read-only, saying why on exit. */
        if (cli_default_db(dbbuf, sizeof dbbuf, !read_only, &err) != NV_OK) {
            NvError e2;
            if (read_only ||
                cli_default_db(dbbuf, sizeof dbbuf, 0, &e2) != NV_OK)
                return cli_fail("tui", &err);
            snprintf(no_dir, sizeof no_dir, "%s", err.msg);
            read_only = 1;
        }
        db = dbbuf;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "nasview: the terminal UI needs a terminal; for "
                        "scripts use a command (nasview --help)\n");
        return CLI_EXIT_FAIL;
    }

    setlocale(LC_ALL, "");
    AppConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = db;
    cfg.read_only = read_only;
    cfg.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    const char *nc = getenv("NO_COLOR");
    cfg.no_color = nc && nc[0];
    cfg.plot_mode = cfg.utf8 ? PLOT_BRAILLE : PLOT_ASCII;
    const char *chars = getenv("NASVIEW_CHARS");
    if (chars && !strcmp(chars, "block") && cfg.utf8)
        cfg.plot_mode = PLOT_BLOCK;
    else if (chars && !strcmp(chars, "ascii"))
        cfg.plot_mode = PLOT_ASCII;
    static char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    cfg.self_exe = exe[0] ? exe : argv[0];
    cfg.stop = &stop_signal;

    UiData *data = ui_data_open(db, &err);
    if (!data)
        return cli_fail("tui", &err);

    install_handlers();
    int rc = app_run(&cfg, data, &err);
    if (rc)
        return cli_fail("tui", &err);
    if (no_dir[0])
        fprintf(stderr, "nasview: opened read-only: %s\n", no_dir);
    if (stop_signal) {
        int sig = stop_signal;
        fflush(NULL);
        signal(sig, SIG_DFL);
        raise(sig);
        return 128 + sig;
    }
    return CLI_EXIT_OK;
}
