/* cli.h - what every `nasview` subcommand shares: exit statuses, usage
 * errors with a one-line hint, number and format parsing, the default
 * database path.  The option tables that use these readers are
 * cli_args.h's.  Only main.c, the cmd_*.c files and the terminal UI's
 * entry (ui/tui_main.c) use this. */
#ifndef NASVIEW_CLI_H
#define NASVIEW_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "train/proxy.h"

#include "base/nv_error.h"
#include "store/store.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

typedef enum { FORMAT_TABLE = 0, FORMAT_JSON, FORMAT_CSV } OutputFormat;

/* cli_usage_error - print "nasview CMD: MESSAGE" and "Try 'nasview CMD
 * --help'." on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cli_option_error - the usage error for what getopt_long returned in c
 * (in cli_args_parse) when it is neither an option nor 'h': ':' (an
 * option lacks its value)
 * or '?' (an unknown option, named from argv[optind - 1]).  Returns
 * CLI_EXIT_USAGE. */
int cli_option_error(const char *cmd, int c, char **argv);

/* cli_fail - print "nasview CMD: " and err's message on stderr; returns
 * CLI_EXIT_FAIL (or CLI_EXIT_USAGE when err->status is NV_ERR_USAGE or
 * NV_ERR_PARSE). */
int cli_fail(const char *cmd, const NvError *err);

/* cli_close_stdout - flush and close standard output, so that a write the
 * buffer held back (a full disk, /dev/full, a closed pipe) is not lost in
 * silence.  Returns rc, or CLI_EXIT_FAIL after "nasview: cannot write
 * standard output: REASON" on stderr when rc was CLI_EXIT_OK and the
 * output failed. */
int cli_close_stdout(int rc);

/* cli_parse_long - parse val as an integer in [lo, hi] for option opt.
 * Returns 0 and sets *out, or prints a usage error and returns
 * CLI_EXIT_USAGE. */
int cli_parse_long(const char *cmd, const char *opt, const char *val, long lo,
                   long hi, long *out);

/* cli_parse_u64 - a seed or other unsigned 64-bit number. Same contract. */
int cli_parse_u64(const char *cmd, const char *opt, const char *val,
                  uint64_t *out);

/* cli_parse_double - a real number in [lo, hi].  Same contract. */
int cli_parse_double(const char *cmd, const char *opt, const char *val,
                     double lo, double hi, double *out);

/* cli_parse_proxy - val as proxy setting id (train/proxy.h: its option
 * name and range), stored by proxy_apply into cfg, *train_size or
 * *val_size.  Same contract. */
int cli_parse_proxy(const char *cmd, ProxyId id, const char *val,
                    TrainConfig *cfg, int64_t *train_size, int64_t *val_size);

/* cli_parse_proxy_value - val as proxy setting id (its option name, its
 * range, a real or a whole number as the table says) into *out.  Same
 * contract. */
int cli_parse_proxy_value(const char *cmd, ProxyId id, const char *val,
                          double *out);

/* cli_parse_on_off - "on" (*out = 1) or "off" (*out = 0) for option opt.
 * Same contract. */
int cli_parse_on_off(const char *cmd, const char *opt, const char *val,
                     int *out);

/* cli_parse_format - "table", "json" or "csv" (those allowed by `allowed`,
 * a bit mask of 1 << OutputFormat).  Same contract. */
int cli_parse_format(const char *cmd, const char *val, unsigned allowed,
                     OutputFormat *out);

/* cli_default_db - the default database path,
 * $XDG_DATA_HOME/nasview/nasview.db or ~/.local/share/nasview/nasview.db,
 * written into buf (size n).  When create_dirs is set, missing directories
 * are created.  Fails with NV_ERR_IO naming the directory. */
NvStatus cli_default_db(char *buf, size_t n, int create_dirs, NvError *err);

/* cli_open_store - open the database db (NULL: cli_default_db, without
 * creating directories) in mode, the path opened written into
 * path[pathlen].  With must_exist a missing file is NV_ERR_NOT_FOUND "no
 * database at PATH" even for STORE_WRITE, which would create it (for
 * commands that change searches that must already be there).  On failure
 * *st is NULL and err says why. */
NvStatus cli_open_store(const char *db, StoreMode mode, int must_exist,
                        Store **st, char *path, size_t pathlen, NvError *err);

/* Entry points, one per subcommand; argv[0] is the subcommand's name. */
int cmd_tui(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_genotype(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_fidelity(int argc, char **argv);

#endif
