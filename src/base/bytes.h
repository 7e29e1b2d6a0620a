/* bytes.h - little-endian serialisation into a growing buffer and bounds-
 * checked reading back, for state snapshots (strategies save their state
 * this way).  Floats and doubles travel as their IEEE-754 bit patterns, so
 * a round trip is exact.  Knows nothing about what is being saved. */
#ifndef NASVIEW_BYTES_H
#define NASVIEW_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* A writer appends to buf; `failed` turns sticky on out-of-memory and
 * every later put is then a no-op (check once at the end). */
typedef struct {
    uint8_t *buf; /* malloc'ed; owned by the writer until taken */
    size_t len, cap;
    int failed;
} ByteWriter;

/* A reader consumes [p, p + left); `failed` turns sticky when a get runs
 * past the end, and every later get then yields zeros. */
typedef struct {
    const uint8_t *p;
    size_t left;
    int failed;
} ByteReader;

/* bytes_writer_init / bytes_writer_done - start empty; done frees buf
 * unless the caller took it (set buf to NULL after taking). */
void bytes_writer_init(ByteWriter *w);
void bytes_writer_done(ByteWriter *w);

/* bytes_writer_reset - empty w (and clear `failed`) but keep its buffer:
 * a writer reused for messages of about the same size allocates only
 * while it grows to the largest. */
void bytes_writer_reset(ByteWriter *w);

void bytes_put(ByteWriter *w, const void *data, size_t n);
void bytes_put_u32(ByteWriter *w, uint32_t v);
void bytes_put_u64(ByteWriter *w, uint64_t v);
void bytes_put_i64(ByteWriter *w, int64_t v);
void bytes_put_f32(ByteWriter *w, float v);
void bytes_put_f64(ByteWriter *w, double v);
/* bytes_put_f32s - n floats. */
void bytes_put_f32s(ByteWriter *w, const float *v, size_t n);

/* bytes_reader_init - read from data[0..n); data stays the caller's. */
void bytes_reader_init(ByteReader *r, const uint8_t *data, size_t n);

void bytes_get(ByteReader *r, void *out, size_t n);
uint32_t bytes_get_u32(ByteReader *r);
uint64_t bytes_get_u64(ByteReader *r);
int64_t bytes_get_i64(ByteReader *r);
float bytes_get_f32(ByteReader *r);
double bytes_get_f64(ByteReader *r);
void bytes_get_f32s(ByteReader *r, float *out, size_t n);

#endif
