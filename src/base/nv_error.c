/* nv_error.c - status codes and error messages (see nv_error.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/nv_error.h"

NvStatus nv_error_set(NvError *err, NvStatus status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

void nv_error_prefix(NvError *err, const char *fmt, ...)
{
    char head[NV_ERROR_MAX], old[NV_ERROR_MAX];
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(head);
    if (n > sizeof err->msg - 3)
        n = sizeof err->msg - 3;
    memcpy(err->msg, head, n);
    memcpy(err->msg + n, ": ", 2);
    n += 2;
    size_t rest = strlen(old);
    if (rest > sizeof err->msg - 1 - n)
        rest = sizeof err->msg - 1 - n;
    memcpy(err->msg + n, old, rest);
    err->msg[n + rest] = '\0';
}

void nv_error_clear(NvError *err)
{
    if (err) {
        err->status = NV_OK;
        err->msg[0] = '\0';
    }
}

const char *nv_status_name(NvStatus status)
{
    switch (status) {
    case NV_OK: return "ok";
    case NV_ERR_USAGE: return "usage";
    case NV_ERR_PARSE: return "parse";
    case NV_ERR_IO: return "io";
    case NV_ERR_FORMAT: return "format";
    case NV_ERR_NOMEM: return "nomem";
    case NV_ERR_DB: return "db";
    case NV_ERR_NOT_FOUND: return "not-found";
    case NV_ERR_INTERRUPTED: return "interrupted";
    case NV_ERR_DEPENDENCY: return "dependency";
    case NV_ERR_RUNTIME: return "runtime";
    }
    return "unknown";
}
