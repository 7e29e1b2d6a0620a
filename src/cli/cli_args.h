/* cli_args.h - the one option parser of the `nasview` subcommands: each
 * command describes its options as a table of rows (name, kind, where the
 * value goes in the command's own options struct, range), and
 * cli_args_parse runs getopt_long over it, answers --help and -h, and
 * reports a missing value, an unknown option, a value out of range and a
 * surplus operand with the wording of cli.h.  It does not check what
 * depends on several options together; the command does. */
#ifndef NASVIEW_CLI_ARGS_H
#define NASVIEW_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "train/proxy.h"

/* The most rows one command may have once CLI_ARG_PROXY_ALL is expanded;
 * a table past it fails with a message naming the command. */
#define CLI_ARGS_MAX 96

/* What cli_args_parse returns after printing the usage for --help. */
#define CLI_ARGS_HELP (-1)

typedef enum {
    CLI_ARG_STRING = 0, /* const char *: the value itself (argv's) */
    CLI_ARG_LONG,       /* long, a whole number in [lo, hi] */
    CLI_ARG_INT,        /* int, a whole number in [lo, hi] */
    CLI_ARG_U64,        /* uint64_t: a seed */
    CLI_ARG_REAL,       /* double in [lo, hi] */
    CLI_ARG_ON_OFF,     /* int: on 1, off 0 */
    CLI_ARG_FORMAT,     /* OutputFormat, one of the mask `formats` */
    CLI_ARG_FLAG,       /* no value: int set to 1 */
    CLI_ARG_SHAPE,      /* int[3]: CxHxW, each from 1 to 4096 */
    CLI_ARG_PROXY,      /* the proxy setting `proxy` into a CliProxy; with
                         * name NULL, named as in train/proxy.h */
    CLI_ARG_PROXY_ALL,  /* every proxy setting of train/proxy.h as an
                         * option, into one CliProxy; a row of the same
                         * name elsewhere in the table takes its place */
    CLI_ARG_CUSTOM      /* custom() reads the value */
} CliArgKind;

typedef struct CliArg CliArg;

/* A row's own reader: the value val of option arg for command cmd into
 * opts, the command's options struct.  Returns 0, or a usage error's status (cli_usage_error). */
typedef int (*CliArgFn)(const char *cmd, const CliArg *arg, const char *val,
                        void *opts);

struct CliArg {
    const char *name; /* without "--": "db", "train-size" (see
                       * CLI_ARG_PROXY) */
    char letter;      /* a short option too ('y' for -y), or 0 */
    CliArgKind kind;
    size_t offset;    /* of the value's field in the options struct */
    double lo, hi;    /* CLI_ARG_LONG, _INT, _REAL: accepted, both included */
    int proxy;        /* CLI_ARG_PROXY: its ProxyId */
    unsigned formats; /* CLI_ARG_FORMAT: 1 << OutputFormat of those taken */
    CliArgFn custom;  /* CLI_ARG_CUSTOM */
    size_t seen;      /* CLI_SEEN: an int set to 1 when the option is
                       * given (0: none) */
};

/* CLI_SEEN - the `seen` of a row: field of the options struct type T. */
#define CLI_SEEN(T, field) (offsetof(T, field) + 1)

/* The proxy settings given on the command line, by ProxyId, for the
 * command to lay over its defaults (cli_proxy_apply). */
typedef struct {
    double v[PROXY_SETTINGS];
    unsigned given; /* bit 1 << ProxyId for each one given */
} CliProxy;

/* One command's options. */
typedef struct {
    const char *cmd;   /* in messages, "nasview CMD: ..." (NULL: none) */
    const char *usage; /* printed on standard output for --help and -h */
    const CliArg *args;
    size_t nargs;
    int max_operands;  /* more is "unexpected argument 'X'"; -1: any */
} CliCommand;

/* cli_args_parse - read argv[1..argc-1] (argv[0] is the command) by
 * cmd's table into opts, in the order given (a later value replaces an
 * earlier one), each value stored at its row's offset.  Options and
 * operands may mix; "--" ends the options.  Returns 0 with *first the
 * index of the first operand; CLI_ARGS_HELP when it printed the usage
 * (the command then exits with CLI_EXIT_OK); CLI_EXIT_USAGE after a
 * usage error on stderr; CLI_EXIT_FAIL when the table holds more than
 * CLI_ARGS_MAX rows.  Allocates nothing; uses getopt_long's globals. */
int cli_args_parse(const CliCommand *cmd, int argc, char **argv, void *opts,
                   int *first);

/* cli_proxy_apply - store the settings given in p over cfg, *train_size
 * and *val_size (either may be NULL) by proxy_apply. */
void cli_proxy_apply(const CliProxy *p, TrainConfig *cfg, int64_t *train_size,
                     int64_t *val_size);

/* cli_proxy_given - whether setting id was given in p. */
int cli_proxy_given(const CliProxy *p, ProxyId id);

/* cli_proxy_long - setting id of p as a whole number, or def when it was
 * not given (for a command with defaults of its own). */
long cli_proxy_long(const CliProxy *p, ProxyId id, long def);

#endif
