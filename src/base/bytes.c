/* bytes.c - little-endian writer and reader (see bytes.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"

void bytes_writer_init(ByteWriter *w)
{
    memset(w, 0, sizeof *w);
}

void bytes_writer_done(ByteWriter *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

void bytes_writer_reset(ByteWriter *w)
{
    w->len = 0;
    w->failed = 0;
}

void bytes_put(ByteWriter *w, const void *data, size_t n)
{
    if (w->failed || n == 0)
        return;
    /* w->len + n must not wrap (it would pass the capacity test and copy
     * past the buffer), nor the doubling below */
    if (n > SIZE_MAX / 2 - w->len) {
        w->failed = 1;
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *nb = realloc(w->buf, cap);
        if (!nb) {
            w->failed = 1;
            return;
        }
        w->buf = nb;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}

void bytes_put_u32(ByteWriter *w, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    bytes_put(w, b, 4);
}

void bytes_put_u64(ByteWriter *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    bytes_put(w, b, 8);
}

void bytes_put_i64(ByteWriter *w, int64_t v)
{
    bytes_put_u64(w, (uint64_t)v);
}

void bytes_put_f32(ByteWriter *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    bytes_put_u32(w, u);
}

void bytes_put_f64(ByteWriter *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    bytes_put_u64(w, u);
}

void bytes_put_f32s(ByteWriter *w, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bytes_put_f32(w, v[i]);
}

void bytes_reader_init(ByteReader *r, const uint8_t *data, size_t n)
{
    r->p = data;
    r->left = data ? n : 0;
    r->failed = 0;
}

void bytes_get(ByteReader *r, void *out, size_t n)
{
    if (r->failed || n > r->left) {
        r->failed = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
}

uint32_t bytes_get_u32(ByteReader *r)
{
    uint8_t b[4];
    uint32_t v = 0;
    bytes_get(r, b, 4);
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

uint64_t bytes_get_u64(ByteReader *r)
{
    uint8_t b[8];
    uint64_t v = 0;
    bytes_get(r, b, 8);
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

int64_t bytes_get_i64(ByteReader *r)
{
    return (int64_t)bytes_get_u64(r);
}

float bytes_get_f32(ByteReader *r)
{
    uint32_t u = bytes_get_u32(r);
    float v;
    memcpy(&v, &u, 4);
    return v;
}

double bytes_get_f64(ByteReader *r)
{
    uint64_t u = bytes_get_u64(r);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

void bytes_get_f32s(ByteReader *r, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = bytes_get_f32(r);
}
