/* outfile.h - writing an output file so that nothing is lost or replaced
 * by mistake.  A regular file (or a new name) is written to a temporary
 * file in the same directory, synced, then renamed over the target, so a
 * reader never sees half a file and a failed write leaves the old one.  A
 * target that exists and is not a regular file (a device node such as
 * /dev/null or /dev/full, a FIFO) is written directly and never renamed
 * over: rename() as root would replace the device node with a file.
 * Directories are refused.  Not for standard output ("-"): callers handle
 * that themselves. */
#ifndef NASVIEW_OUTFILE_H
#define NASVIEW_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/nv_error.h"

typedef struct {
    FILE *f;         /* where to write; owned until outfile_close */
    char *target;    /* the name given (owned copy) */
    char *tmp;       /* the temporary file, or NULL when writing directly */
} OutFile;

/* outfile_open - prepare to write file.  On NV_OK, o->f is open for
 * writing; the caller writes through it and must call outfile_close.
 * Errors (NV_ERR_USAGE for an empty name, NV_ERR_IO otherwise, naming the
 * file): the file is a directory, its directory cannot take a new file, it
 * cannot be opened. */
NvStatus outfile_open(OutFile *o, const char *file, NvError *err);

/* outfile_close - finish what outfile_open began.  With status NV_OK and
 * no write error, the temporary file is synced and renamed over the target
 * (or the direct write flushed) and NV_OK is returned; otherwise the
 * temporary file is removed, the target is left as it was, and the first
 * error is returned (status itself when it was not NV_OK, err untouched
 * then).  Frees o's memory in every case. */
NvStatus outfile_close(OutFile *o, NvStatus status, NvError *err);

/* outfile_same - whether the output names a and b are one file: the same
 * file when both exist (device and inode), the same name in the same
 * directory when neither does, both "-" for standard output. */
bool outfile_same(const char *a, const char *b);

/* outfile_check_not - refuse to write file when it is the same file as
 * guarded, guarded-wal or guarded-shm (same device and inode, whatever
 * the names), so an export cannot overwrite the database it reads.
 * Returns NV_OK when file does not exist yet or is another file;
 * NV_ERR_USAGE with a message naming both otherwise. */
NvStatus outfile_check_not(const char *file, const char *guarded, NvError *err);

/* outfile_write - the whole of data[0..len) into file, as above. */
NvStatus outfile_write(const char *file, const char *data, size_t len,
                       NvError *err);

#endif
