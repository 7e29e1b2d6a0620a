/* nv_error.h - the one status enum of nasview and an error message a person
 * can act on.
 *
 * Every fallible function returns NvStatus and, on failure, fills an NvError
 * with what failed, where (file, line, field) and, when it helps, what to do.
 * Compute kernels do not use this: their shapes are checked once when the
 * network is built. */
#ifndef NASVIEW_NV_ERROR_H
#define NASVIEW_NV_ERROR_H

typedef enum {
    NV_OK = 0,
    NV_ERR_USAGE,       /* bad arguments or values given by the user */
    NV_ERR_PARSE,       /* malformed text (genotype, config) */
    NV_ERR_IO,          /* a file could not be opened, read or written */
    NV_ERR_FORMAT,      /* a file has the wrong format, size or magic */
    NV_ERR_NOMEM,       /* an allocation failed */
    NV_ERR_DB,          /* the database refused or is damaged/foreign */
    NV_ERR_NOT_FOUND,   /* a named search, sample or file does not exist */
    NV_ERR_INTERRUPTED, /* stopped by a signal or a stop request */
    NV_ERR_DEPENDENCY,  /* a library or plugin is missing at run time */
    NV_ERR_RUNTIME      /* anything else that went wrong while running */
} NvStatus;

#define NV_ERROR_MAX 512

typedef struct {
    NvStatus status;
    char msg[NV_ERROR_MAX];
} NvError;

/* nv_error_set - record status and a printf-style message in err (which may
 * be NULL, then nothing is recorded).  Returns status, so callers can write
 * `return nv_error_set(err, NV_ERR_IO, "...", ...);`. */
NvStatus nv_error_set(NvError *err, NvStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* nv_error_prefix - put "prefix: " in front of the message already in err. */
void nv_error_prefix(NvError *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* nv_error_clear - reset err to NV_OK with an empty message. */
void nv_error_clear(NvError *err);

/* nv_status_name - a short constant name for status ("io", "parse", ...). */
const char *nv_status_name(NvStatus status);

#endif
