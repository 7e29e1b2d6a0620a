/* cli.c - helpers shared by the subcommands (see cli.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "nasview%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    text_put(stderr, msg);
    fprintf(stderr, "\nTry 'nasview%s%s --help'.\n", cmd ? " " : "",
            cmd ? cmd : "");
    return CLI_EXIT_USAGE;
}

int cli_option_error(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value",
                               argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_fail(const char *cmd, const NvError *err)
{
    fprintf(stderr, "nasview%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    text_put(stderr, err->msg[0] ? err->msg : "failed");
    fputc('\n', stderr);
    if (err->status == NV_ERR_USAGE || err->status == NV_ERR_PARSE)
        return CLI_EXIT_USAGE;
    return CLI_EXIT_FAIL;
}

/* blank_edge - whether val starts or ends with white space, which strtol
 * and strtod would skip at the start only: ' 5' and '5 ' are both
 * refused, the same way. */
static int blank_edge(const char *val)
{
    size_t n = strlen(val);
    return n && (isspace((unsigned char)val[0]) ||
                 isspace((unsigned char)val[n - 1]));
}

int cli_parse_long(const char *cmd, const char *opt, const char *val, long lo,
                   long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(val, &end, 10);
    if (end == val || *end != '\0' || blank_edge(val))
        return cli_usage_error(cmd, "%s '%s' is not a whole number", opt, val);
    if (errno == ERANGE || v < lo || v > hi)
        return cli_usage_error(cmd, "%s %s is out of range: from %ld to %ld",
                               opt, val, lo, hi);
    *out = v;
    return 0;
}

/* val as the whole-number proxy setting id (its option name and range)
 * into *out; the contract of cli_parse_long. */
static int cli_parse_proxy_long(const char *cmd, ProxyId id,
                                const char *val, long *out)
{
    const ProxySetting *s = proxy_setting(id);
    return cli_parse_long(cmd, s->option, val, (long)s->lo, (long)s->hi, out);
}

int cli_parse_proxy_value(const char *cmd, ProxyId id, const char *val,
                          double *out)
{
    const ProxySetting *s = proxy_setting(id);
    long n = 0;
    int rc;
    if (s->real)
        return cli_parse_double(cmd, s->option, val, s->lo, s->hi, out);
    if ((rc = cli_parse_proxy_long(cmd, id, val, &n)) == 0)
        *out = (double)n;
    return rc;
}

int cli_parse_proxy(const char *cmd, ProxyId id, const char *val,
                    TrainConfig *cfg, int64_t *train_size, int64_t *val_size)
{
    double v = 0.0;
    int rc = cli_parse_proxy_value(cmd, id, val, &v);
    if (rc == 0)
        proxy_apply(id, v, cfg, train_size, val_size);
    return rc;
}

int cli_parse_u64(const char *cmd, const char *opt, const char *val,
                  uint64_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    if (blank_edge(val))
        return cli_usage_error(cmd, "%s '%s' is not a whole number", opt, val);
    /* strtoull negates a '-': "-1" would read as 18446744073709551615 */
    if (*val == '-')
        return cli_usage_error(cmd, "%s '%s' must not be negative", opt, val);
    v = strtoull(val, &end, 10);
    if (end == val || *end != '\0')
        return cli_usage_error(cmd, "%s '%s' is not a whole number", opt, val);
    if (errno == ERANGE)
        return cli_usage_error(cmd, "%s %s is too large: at most %llu", opt,
                               val, (unsigned long long)UINT64_MAX);
    *out = v;
    return 0;
}

int cli_parse_double(const char *cmd, const char *opt, const char *val,
                     double lo, double hi, double *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(val, &end);
    if (end == val || *end != '\0' || v != v || blank_edge(val))
        return cli_usage_error(cmd, "%s '%s' is not a number", opt, val);
    /* ERANGE: beyond a double (1e400) or below its smallest (1e-400) */
    if (errno == ERANGE || v < lo || v > hi)
        return cli_usage_error(cmd, "%s %s is out of range: from %g to %g",
                               opt, val, lo, hi);
    *out = v;
    return 0;
}

int cli_parse_on_off(const char *cmd, const char *opt, const char *val,
                     int *out)
{
    if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0) {
        *out = val[1] == 'n';
        return 0;
    }
    return cli_usage_error(cmd, "%s '%s' is not on or off", opt, val);
}

int cli_parse_format(const char *cmd, const char *val, unsigned allowed,
                     OutputFormat *out)
{
    static const char *const names[] = { "table", "json", "csv" };
    enum { N = sizeof names / sizeof names[0] };
    _Static_assert(N == FORMAT_CSV + 1, "a name for every format");
    for (int i = 0; i < N; i++)
        if ((allowed & (1u << i)) && strcmp(val, names[i]) == 0) {
            *out = (OutputFormat)i;
            return 0;
        }
    return cli_usage_error(cmd, "--format '%s' is not one of %s%s%s", val,
                           allowed & 1 ? "table " : "",
                           allowed & 2 ? "json " : "", allowed & 4 ? "csv" : "");
}

static NvStatus make_dir(const char *path, NvError *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return NV_OK;
    return nv_error_set(err, NV_ERR_IO, "cannot create directory %s: %s", path,
                        strerror(errno));
}

NvStatus cli_default_db(char *buf, size_t n, int create_dirs, NvError *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    NvStatus st;

    if (xdg && xdg[0] == '/') {
        snprintf(dir, sizeof dir, "%s", xdg);
    } else if (home && home[0]) {
        snprintf(dir, sizeof dir, "%s/.local", home);
        if (create_dirs && (st = make_dir(dir, err)))
            return st;
        snprintf(dir, sizeof dir, "%s/.local/share", home);
    } else {
        return nv_error_set(err, NV_ERR_USAGE,
                            "neither XDG_DATA_HOME nor HOME is set; name the "
                            "database with --db FILE");
    }
    if (create_dirs && (st = make_dir(dir, err)))
        return st;
    size_t len = strlen(dir);
    if (len + sizeof "/nasview/nasview.db" > n)
        return nv_error_set(err, NV_ERR_USAGE, "data directory path too long: %s",
                            dir);
    snprintf(buf, n, "%s/nasview", dir);
    if (create_dirs && (st = make_dir(buf, err)))
        return st;
    snprintf(buf, n, "%s/nasview/nasview.db", dir);
    return NV_OK;
}

NvStatus cli_open_store(const char *db, StoreMode mode, int must_exist,
                        Store **st, char *path, size_t pathlen, NvError *err)
{
    *st = NULL;
    if (db)
        snprintf(path, pathlen, "%s", db);
    else if (cli_default_db(path, pathlen, 0, err) != NV_OK)
        return err->status;
    if (must_exist && access(path, F_OK) != 0)
        return nv_error_set(err, NV_ERR_NOT_FOUND, "no database at %s", path);
    return store_open(path, mode, st, err);
}

int cli_close_stdout(int rc)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed)
        return rc;
    fprintf(stderr, "nasview: cannot write standard output: %s\n",
            saved ? strerror(saved) : "write error");
    return rc == CLI_EXIT_OK ? CLI_EXIT_FAIL : rc;
}
