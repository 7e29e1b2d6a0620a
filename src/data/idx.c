/* idx.c - IDX reader (see idx.h).  One parser runs over a small byte
 * source that is either a zlib gzFile (which reads gzipped and plain files
 * alike) or a memory buffer, so the fuzz target exercises the same code
 * that reads real files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "data/idx.h"

/* First buffer size when the data come from a stream: a forged header
 * cannot make us allocate more than this before the bytes arrive. */
#define IDX_FIRST_CHUNK ((size_t)1 << 20)

typedef struct {
    gzFile gz;          /* stream source, or NULL */
    const uint8_t *mem; /* memory source when gz is NULL */
    size_t len, pos;    /* memory source: size and read position */
    const char *name;   /* path or name, for messages */
} IdxSource;

/* src_read - read up to want bytes into buf; *got says how many arrived.
 * Fewer than want means end of input.  A broken gzip stream is an error. */
static NvStatus src_read(IdxSource *s, void *buf, size_t want, size_t *got,
                         NvError *err)
{
    *got = 0;
    if (!s->gz) {
        size_t n = s->len - s->pos < want ? s->len - s->pos : want;
        if (n)
            memcpy(buf, s->mem + s->pos, n);
        s->pos += n;
        *got = n;
        return NV_OK;
    }
    while (*got < want) {
        size_t ask = want - *got;
        if (ask > ((size_t)1 << 30))
            ask = (size_t)1 << 30;
        int r = gzread(s->gz, (uint8_t *)buf + *got, (unsigned)ask);
        int zerr = Z_OK;
        const char *zmsg = gzerror(s->gz, &zerr);
        if (r < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR)) {
            if (zerr == Z_ERRNO)
                return nv_error_set(err, NV_ERR_IO, "%s: read error: %s",
                                    s->name, strerror(errno));
            /* zlib's message repeats the path: keep what follows it */
            size_t nl = strlen(s->name);
            if (zmsg && strncmp(zmsg, s->name, nl) == 0 &&
                strncmp(zmsg + nl, ": ", 2) == 0)
                zmsg += nl + 2;
            return nv_error_set(err, NV_ERR_FORMAT,
                                "%s: corrupt gzip data (%s)", s->name,
                                zmsg && *zmsg ? zmsg : "zlib error");
        }
        if (zerr == Z_BUF_ERROR)
            return nv_error_set(err, NV_ERR_FORMAT,
                                "%s: truncated gzip stream: the compressed "
                                "file ends early", s->name);
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return NV_OK;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static NvStatus check_dim(const char *name, const char *what, uint32_t v,
                          uint32_t max, NvError *err)
{
    if (v == 0 || v > max)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: %s %u in the header is out of range "
                            "(1..%u)", name, what, v, max);
    return NV_OK;
}

/* parse_header - read and check the magic and dimensions. */
static NvStatus parse_header(IdxSource *s, IdxArray *a, NvError *err)
{
    uint8_t head[4 + 4 * 4];
    size_t got;
    NvStatus st;

    if ((st = src_read(s, head, 4, &got, err)) != NV_OK)
        return st;
    if (got == 0)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: empty file (expected an IDX header)",
                            s->name);
    if (got < 4)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: truncated header: the file ends after %zu "
                            "bytes", s->name, got);
    a->magic = be32(head);
    if (a->magic == IDX_MAGIC_LABELS)
        a->ndims = 1;
    else if (a->magic == IDX_MAGIC_IMAGES)
        a->ndims = 3;
    else if (a->magic == IDX_MAGIC_IMAGES_C)
        a->ndims = 4;
    else
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: wrong magic number 0x%08x: not an IDX file "
                            "of unsigned bytes (expected 0x00000801 labels, "
                            "0x00000803 images or 0x00000804 multi-channel "
                            "images)", s->name, (unsigned)a->magic);
    if ((st = src_read(s, head + 4, 4 * (size_t)a->ndims, &got, err)) != NV_OK)
        return st;
    if (got < 4 * (size_t)a->ndims)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: truncated header: the file ends after %zu "
                            "bytes, the header needs %d", s->name, 4 + got,
                            4 + 4 * a->ndims);
    for (int i = 0; i < a->ndims; i++)
        a->dims[i] = be32(head + 4 + 4 * i);

    if ((st = check_dim(s->name, a->ndims == 1 ? "label count" : "image count",
                        a->dims[0], IDX_MAX_N, err)) != NV_OK)
        return st;
    a->n = a->dims[0];
    if (a->ndims >= 3) {
        int base = a->ndims == 4 ? 2 : 1;
        if (a->ndims == 4 &&
            (st = check_dim(s->name, "channel count", a->dims[1],
                            IDX_MAX_CHANNELS, err)) != NV_OK)
            return st;
        if ((st = check_dim(s->name, "image height", a->dims[base],
                            IDX_MAX_SIDE, err)) != NV_OK ||
            (st = check_dim(s->name, "image width", a->dims[base + 1],
                            IDX_MAX_SIDE, err)) != NV_OK)
            return st;
        a->c = a->ndims == 4 ? (int)a->dims[1] : 1;
        a->h = (int)a->dims[base];
        a->w = (int)a->dims[base + 1];
    }
    uint64_t size = a->dims[0];
    if (a->ndims >= 3)
        size *= (uint64_t)a->c * (uint64_t)a->h * (uint64_t)a->w;
    if (size > IDX_MAX_BYTES)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: the header asks for %llu bytes of data, more "
                            "than the limit of %llu", s->name,
                            (unsigned long long)size,
                            (unsigned long long)IDX_MAX_BYTES);
    a->size = (size_t)size;
    return NV_OK;
}

static NvStatus size_mismatch(const IdxSource *s, const IdxArray *a,
                              size_t have, int longer, NvError *err)
{
    char shape[80];
    if (a->ndims == 1)
        snprintf(shape, sizeof shape, "%lld labels", (long long)a->n);
    else
        snprintf(shape, sizeof shape, "%lld images of %dx%dx%d",
                 (long long)a->n, a->c, a->h, a->w);
    if (longer)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: wrong size: the header says %s (%zu bytes "
                            "of data) but the file holds more", s->name,
                            shape, a->size);
    return nv_error_set(err, NV_ERR_FORMAT,
                        "%s: truncated data: the header says %s (%zu bytes) "
                        "but the file holds only %zu", s->name, shape,
                        a->size, have);
}

/* parse_data - read exactly a->size bytes and check that nothing follows. */
static NvStatus parse_data(IdxSource *s, IdxArray *a, NvError *err)
{
    NvStatus st;
    size_t got;

    if (!s->gz) {
        size_t left = s->len - s->pos;
        if (left != a->size)
            return size_mismatch(s, a, left, left > a->size, err);
        a->data = malloc(a->size);
        if (!a->data)
            return nv_error_set(err, NV_ERR_NOMEM, "%s: out of memory for "
                                "%zu bytes", s->name, a->size);
        memcpy(a->data, s->mem + s->pos, a->size);
        s->pos += a->size;
        return NV_OK;
    }

    size_t have = 0, cap = 0;
    uint8_t extra;
    for (;;) {
        if (have == cap) {
            if (cap == a->size)
                break;
            size_t next = cap ? cap * 2 : IDX_FIRST_CHUNK;
            if (next > a->size)
                next = a->size;
            uint8_t *p = realloc(a->data, next);
            if (!p)
                return nv_error_set(err, NV_ERR_NOMEM, "%s: out of memory "
                                    "for %zu bytes", s->name, next);
            a->data = p;
            cap = next;
        }
        if ((st = src_read(s, a->data + have, cap - have, &got, err)) != NV_OK)
            return st;
        have += got;
        if (have < cap)
            return size_mismatch(s, a, have, 0, err);
    }
    if ((st = src_read(s, &extra, 1, &got, err)) != NV_OK)
        return st;
    if (got)
        return size_mismatch(s, a, have, 1, err);
    return NV_OK;
}

static NvStatus open_gz(const char *path, gzFile *gz, NvError *err)
{
    struct stat sb;
    /* A FIFO or a device would block or never end: only files are data. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        *gz = NULL;
        return nv_error_set(err, NV_ERR_IO,
                            "%s: not a regular file (%s); a dataset is read "
                            "from files",
                            path,
                            S_ISDIR(sb.st_mode)    ? "a directory"
                            : S_ISFIFO(sb.st_mode) ? "a FIFO"
                            : S_ISSOCK(sb.st_mode) ? "a socket"
                                                   : "a device");
    }
    errno = 0;
    *gz = gzopen(path, "rb");
    if (!*gz) {
        int e = errno;
        if (e == ENOENT)
            return nv_error_set(err, NV_ERR_NOT_FOUND, "%s: no such file",
                                path);
        return nv_error_set(err, NV_ERR_IO, "%s: cannot open: %s", path,
                            e ? strerror(e) : "out of memory");
    }
    gzbuffer(*gz, 1u << 18);
    return NV_OK;
}

static NvStatus read_file(const char *path, int with_data, IdxArray *out,
                          NvError *err)
{
    IdxSource s = {0};
    NvStatus st;

    memset(out, 0, sizeof *out);
    s.name = path;
    if ((st = open_gz(path, &s.gz, err)) != NV_OK)
        return st;
    st = parse_header(&s, out, err);
    if (st == NV_OK && with_data)
        st = parse_data(&s, out, err);
    gzclose(s.gz);
    if (st != NV_OK)
        idx_array_free(out);
    return st;
}

NvStatus idx_read_file(const char *path, IdxArray *out, NvError *err)
{
    return read_file(path, 1, out, err);
}

NvStatus idx_read_header_file(const char *path, IdxArray *out, NvError *err)
{
    return read_file(path, 0, out, err);
}

NvStatus idx_read_mem(const uint8_t *buf, size_t len, const char *name,
                      IdxArray *out, NvError *err)
{
    IdxSource s = {0};
    NvStatus st;

    memset(out, 0, sizeof *out);
    s.mem = buf;
    s.len = len;
    s.name = name;
    st = parse_header(&s, out, err);
    if (st == NV_OK)
        st = parse_data(&s, out, err);
    if (st != NV_OK)
        idx_array_free(out);
    return st;
}

void idx_array_free(IdxArray *a)
{
    if (!a)
        return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

NvStatus idx_slurp(const char *path, size_t max_bytes, uint8_t **data,
                   size_t *len, NvError *err)
{
    IdxSource s = {0};
    NvStatus st = NV_OK;
    uint8_t *buf = NULL;
    size_t have = 0, cap = 0, got;

    *data = NULL;
    *len = 0;
    s.name = path;
    if ((st = open_gz(path, &s.gz, err)) != NV_OK)
        return st;
    for (;;) {
        if (have == cap) {
            if (cap > max_bytes) {
                st = nv_error_set(err, NV_ERR_FORMAT,
                                  "%s: wrong size: larger than the limit of "
                                  "%zu bytes", path, max_bytes);
                break;
            }
            size_t next = cap ? cap * 2 : IDX_FIRST_CHUNK;
            if (next > max_bytes + 1)
                next = max_bytes + 1;
            uint8_t *p = realloc(buf, next);
            if (!p) {
                st = nv_error_set(err, NV_ERR_NOMEM, "%s: out of memory for "
                                  "%zu bytes", path, next);
                break;
            }
            buf = p;
            cap = next;
        }
        if ((st = src_read(&s, buf + have, cap - have, &got, err)) != NV_OK)
            break;
        have += got;
        if (have < cap)
            break;
    }
    gzclose(s.gz);
    if (st == NV_OK && have == 0)
        st = nv_error_set(err, NV_ERR_FORMAT, "%s: empty file", path);
    if (st != NV_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = have;
    return NV_OK;
}
