/* cli_args.c - the table-driven option parser (cli_args.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_args.h"

_Static_assert(PROXY_SETTINGS <= 32, "CliProxy.given holds a bit each");

/* named - whether a row of args other than a CLI_ARG_PROXY_ALL is called
 * name. */
static int named(const CliArg *args, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (args[i].kind != CLI_ARG_PROXY_ALL && args[i].name &&
            strcmp(args[i].name, name) == 0)
            return 1;
    return 0;
}

/* expand - the rows of cmd with CLI_ARG_PROXY_ALL spelt out as one
 * CLI_ARG_PROXY row per setting, into rows[CLI_ARGS_MAX]; returns how
 * many, or -1 when they do not fit. */
static int expand(const CliCommand *cmd, CliArg *rows)
{
    int n = 0;
    for (size_t i = 0; i < cmd->nargs; i++) {
        const CliArg *a = &cmd->args[i];
        if (a->kind != CLI_ARG_PROXY_ALL) {
            if (n == CLI_ARGS_MAX)
                return -1;
            rows[n] = *a;
            if (!a->name && a->kind == CLI_ARG_PROXY)
                rows[n].name = proxy_setting((ProxyId)a->proxy)->option + 2;
            n++;
            continue;
        }
        for (int id = 0; id < PROXY_SETTINGS; id++) {
            const char *name = proxy_setting((ProxyId)id)->option + 2;
            if (named(cmd->args, cmd->nargs, name))
                continue;
            if (n == CLI_ARGS_MAX)
                return -1;
            rows[n] = *a;
            rows[n].name = name;
            rows[n].kind = CLI_ARG_PROXY;
            rows[n].proxy = id;
            n++;
        }
    }
    return n;
}

/* read_proxy - val as setting id (its option name and range) into p. */
static int read_proxy(const char *cmd, ProxyId id, const char *val,
                      CliProxy *p)
{
    double v = 0.0;
    int rc = cli_parse_proxy_value(cmd, id, val, &v);
    if (rc == 0) {
        p->v[id] = v;
        p->given |= 1u << id;
    }
    return rc;
}

/* read_shape - val as CxHxW into shape[3]. */
static int read_shape(const char *cmd, const char *opt, const char *val,
                      int *shape)
{
    int c, h, w;
    char tail;
    if (sscanf(val, "%dx%dx%d%c", &c, &h, &w, &tail) != 3 || c < 1 ||
        c > 4096 || h < 1 || h > 4096 || w < 1 || w > 4096)
        return cli_usage_error(cmd, "%s '%s' is not CxHxW (e.g. 3x32x32)", opt,
                               val);
    shape[0] = c;
    shape[1] = h;
    shape[2] = w;
    return 0;
}

/* store - the value val of row a into opts. */
static int store(const char *cmd, const CliArg *a, const char *val,
                 char *opts)
{
    char opt[128];
    void *at = opts + a->offset;
    long l = 0;
    int rc = 0;
    snprintf(opt, sizeof opt, "--%s", a->name);
    switch (a->kind) {
    case CLI_ARG_STRING:
        *(const char **)at = val;
        break;
    case CLI_ARG_LONG:
        rc = cli_parse_long(cmd, opt, val, (long)a->lo, (long)a->hi, at);
        break;
    case CLI_ARG_INT:
        if ((rc = cli_parse_long(cmd, opt, val, (long)a->lo, (long)a->hi,
                                 &l)) == 0)
            *(int *)at = (int)l;
        break;
    case CLI_ARG_U64:
        rc = cli_parse_u64(cmd, opt, val, at);
        break;
    case CLI_ARG_REAL:
        rc = cli_parse_double(cmd, opt, val, a->lo, a->hi, at);
        break;
    case CLI_ARG_ON_OFF:
        rc = cli_parse_on_off(cmd, opt, val, at);
        break;
    case CLI_ARG_FORMAT:
        rc = cli_parse_format(cmd, val, a->formats, at);
        break;
    case CLI_ARG_FLAG:
        *(int *)at = 1;
        break;
    case CLI_ARG_SHAPE:
        rc = read_shape(cmd, opt, val, at);
        break;
    case CLI_ARG_PROXY:
    case CLI_ARG_PROXY_ALL:
        rc = read_proxy(cmd, (ProxyId)a->proxy, val, at);
        break;
    case CLI_ARG_CUSTOM:
        rc = a->custom(cmd, a, val, opts);
        break;
    }
    if (rc == 0 && a->seen)
        *(int *)(opts + a->seen - 1) = 1;
    return rc;
}

int cli_args_parse(const CliCommand *cmd, int argc, char **argv, void *opts,
                   int *first)
{
    CliArg rows[CLI_ARGS_MAX];
    struct option lopts[CLI_ARGS_MAX + 2];
    char shorts[2 * CLI_ARGS_MAX + 3] = ":h";
    size_t ns = 2;
    int n = expand(cmd, rows), c, rc;
    if (n < 0) {
        fprintf(stderr, "nasview %s: more than %d options in its table\n",
                cmd->cmd ? cmd->cmd : "", CLI_ARGS_MAX);
        return CLI_EXIT_FAIL;
    }
    for (int i = 0; i < n; i++) {
        int bare = rows[i].kind == CLI_ARG_FLAG;
        lopts[i] = (struct option){ rows[i].name,
                                    bare ? no_argument : required_argument,
                                    NULL, 256 + i };
        if (rows[i].letter) {
            shorts[ns++] = rows[i].letter;
            if (!bare)
                shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    lopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
    lopts[n + 1] = (struct option){ NULL, 0, NULL, 0 };

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(cmd->usage, stdout);
            return CLI_ARGS_HELP;
        }
        for (int i = 0; i < n && c > 0 && c < 256; i++)
            if (rows[i].letter == c)
                c = 256 + i;
        if (c < 256 || c >= 256 + n)
            return cli_option_error(cmd->cmd, c, argv);
        if ((rc = store(cmd->cmd, &rows[c - 256], optarg, opts)))
            return rc;
    }
    if (cmd->max_operands >= 0 && argc - optind > cmd->max_operands)
        return cli_usage_error(cmd->cmd, "unexpected argument '%s'",
                               argv[optind + cmd->max_operands]);
    *first = optind;
    return 0;
}

void cli_proxy_apply(const CliProxy *p, TrainConfig *cfg, int64_t *train_size,
                     int64_t *val_size)
{
    for (int id = 0; id < PROXY_SETTINGS; id++)
        if (p->given & (1u << id))
            proxy_apply((ProxyId)id, p->v[id], cfg, train_size, val_size);
}

int cli_proxy_given(const CliProxy *p, ProxyId id)
{
    return (p->given >> id) & 1u;
}

long cli_proxy_long(const CliProxy *p, ProxyId id, long def)
{
    return cli_proxy_given(p, id) ? (long)p->v[id] : def;
}
