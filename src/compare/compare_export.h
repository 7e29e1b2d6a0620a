/* compare_export.h - a comparison written as the three files of an
 * export: BASE.csv (the curves, as nasview compare --format csv writes
 * them), BASE.svg (the chart, as --svg) and BASE.txt (the table). */
#ifndef NASVIEW_COMPARE_EXPORT_H
#define NASVIEW_COMPARE_EXPORT_H

#include <stddef.h>

#include "base/nv_error.h"
#include "compare/compare.h"

/* compare_export - write c's three files from name: a .csv, .svg or .txt
 * at its end is taken off first, giving the base written into
 * base[size].  None of them may be the database db (or its -wal/-shm:
 * outfile_check_not); each is written whole or not at all (outfile).
 * NV_OK, or the first file's error (files before it stay written). */
NvStatus compare_export(const Comparison *c, const char *name, const char *db,
                        char *base, size_t size, NvError *err);

#endif
