/* idx.h - the IDX file format of (Fashion-)MNIST: a big-endian header and
 * unsigned-byte data, read from a file (plain or gzipped) or from memory.
 *
 * Accepted magics (bytes 0,0,type,ndims; type 0x08 = unsigned byte):
 *   0x00000801  labels  [n]
 *   0x00000803  images  [n][h][w]     (one channel)
 *   0x00000804  images  [n][c][h][w]  (nasview's multi-channel extension:
 *                                      planes stored channel by channel)
 * Header sizes are never trusted: every dimension is capped (IDX_MAX_*),
 * data is read into a buffer that grows only as bytes actually arrive, and
 * the byte count must match the header exactly.  Every message names the
 * file.  This module knows nothing of datasets, splits or normalisation. */
#ifndef NASVIEW_IDX_H
#define NASVIEW_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"

#define IDX_MAGIC_LABELS 0x00000801u
#define IDX_MAGIC_IMAGES 0x00000803u
#define IDX_MAGIC_IMAGES_C 0x00000804u

/* Caps on header fields: generous for any image-classification set that
 * fits in memory, small enough that a forged header cannot ask for more. */
#define IDX_MAX_N 16777216u          /* examples (2^24) */
#define IDX_MAX_SIDE 4096u           /* height and width */
#define IDX_MAX_CHANNELS 3u          /* Dataset keeps 3 per-channel stats */
#define IDX_MAX_BYTES (1ull << 31)   /* data bytes in one file (2 GiB) */

typedef struct {
    uint32_t magic;   /* one of IDX_MAGIC_* */
    int ndims;        /* 1, 3 or 4 */
    uint32_t dims[4]; /* as in the header; unused ones 0 */
    int64_t n;        /* dims[0] */
    int c, h, w;      /* image shape (images only; labels: 0) */
    uint8_t *data;    /* [size] bytes; owned by the IdxArray; NULL when only
                         the header was read */
    size_t size;      /* product of dims */
} IdxArray;

/* idx_read_file - read the IDX file at path (plain or gzip, zlib tells).
 * On success *out holds the header and the data (free with idx_array_free).
 * Errors: NV_ERR_NOT_FOUND (no such file), NV_ERR_IO (cannot read, broken
 * gzip stream), NV_ERR_FORMAT (empty, truncated, wrong magic, dimension out
 * of range, extra bytes); the message starts with path.  *out is zeroed on
 * failure. */
NvStatus idx_read_file(const char *path, IdxArray *out, NvError *err);

/* idx_read_header_file - like idx_read_file but reads and checks only the
 * header; out->data stays NULL. */
NvStatus idx_read_header_file(const char *path, IdxArray *out, NvError *err);

/* idx_read_mem - parse the IDX bytes buf[0..len) (not gzipped); name is
 * used in messages in place of a path.  Same checks, errors and ownership
 * as idx_read_file (NV_ERR_FORMAT only). */
NvStatus idx_read_mem(const uint8_t *buf, size_t len, const char *name,
                      IdxArray *out, NvError *err);

/* idx_array_free - release a->data and zero *a; NULL is a no-op. */
void idx_array_free(IdxArray *a);

/* idx_slurp - read the whole file at path (plain or gzip) into a new
 * buffer *data of *len bytes (caller frees; a non-empty file is required).
 * The buffer grows with the bytes that arrive, never past max_bytes (more
 * is NV_ERR_FORMAT "larger than ...").  Errors as idx_read_file. */
NvStatus idx_slurp(const char *path, size_t max_bytes, uint8_t **data,
                   size_t *len, NvError *err);

#endif
