/* fuzz_idx.c - fuzz target for the IDX reader (idx_read_mem, the parser
 * that also reads files).  Invariants: it never crashes or reads out of
 * bounds; a rejection is NV_ERR_FORMAT with a message that names the
 * input; an accepted input has a known magic, dimensions within the caps,
 * and data that are exactly the bytes after the header.
 *
 * IDX files are full of zero bytes but the driver's seeds and dictionary are
 * C strings, so every input byte is XORed with FUZZ_KEY before parsing and
 * the seeds below are written XORed (byte 0x00 appears as \xa5).  The
 * driver's mutations are uniform over byte values, so this changes nothing
 * else. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "data/idx.h"

#define FUZZ_KEY 0xA5

const char *const fuzz_seed_corpus[] = {
    /* labels: 3 labels */
    "\xa5\xa5\xad\xa4\xa5\xa5\xa5\xa6\xa4\xa7\xac",
    /* images: 2 images of 3x3 */
    "\xa5\xa5\xad\xa6\xa5\xa5\xa5\xa7\xa5\xa5\xa5\xa6\xa5\xa5\xa5\xa6"
    "\xaf\xae\xa9\xa8\xab\xaa\xb5\xb4\xb7\xb6\xb1\xb0\xb3\xb2\xbd\xbc"
    "\xbf\xbe",
    /* multi-channel images: 1 image of 2x2x2 */
    "\xa5\xa5\xad\xa1\xa5\xa5\xa5\xa4\xa5\xa5\xa5\xa7\xa5\xa5\xa5\xa7"
    "\xa5\xa5\xa5\xa7\xa5\x5a\xa2\xad\xac\xaf\xae\xa9",
    /* truncated image data */
    "\xa5\xa5\xad\xa6\xa5\xa5\xa5\xa1\xa5\xa5\xa5\xa7\xa5\xa5\xa5\xa7"
    "\xa4\xa7\xa6",
    "",
    NULL,
};

/* big-endian words: the three magics, 0, 1, 3, 4096, 4097, 2^24, 2^24+1,
 * 2^32-1 */
const char *const fuzz_dictionary[] = {
    "\xa5\xa5\xad\xa4", "\xa5\xa5\xad\xa6", "\xa5\xa5\xad\xa1",
    "\xa5\xa5\xa5\xa5", "\xa5\xa5\xa5\xa4", "\xa5\xa5\xa5\xa6",
    "\xa5\xa5\xb5\xa5", "\xa5\xa5\xb5\xa4", "\xa4\xa5\xa5\xa5",
    "\xa4\xa5\xa5\xa4", "\x5a\x5a\x5a\x5a", NULL,
};

static void fail(const char *what, const IdxArray *a, size_t size)
{
    fprintf(stderr, "fuzz_idx: %s (input %zu bytes, magic 0x%08x, n %lld, "
            "%dx%dx%d, size %zu)\n", what, size, (unsigned)a->magic,
            (long long)a->n, a->c, a->h, a->w, a->size);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    IdxArray a;
    NvError err;

    if (!buf)
        return 0;
    for (size_t i = 0; i < size; i++)
        buf[i] = data[i] ^ FUZZ_KEY;
    nv_error_clear(&err);
    NvStatus st = idx_read_mem(buf, size, "fuzz-input", &a, &err);
    if (st != NV_OK) {
        if (st != NV_ERR_FORMAT || strncmp(err.msg, "fuzz-input: ", 12) != 0)
            fail(err.msg[0] ? err.msg : "rejection without a message", &a,
                 size);
        if (a.data || a.size)
            fail("rejection left data behind", &a, size);
    } else {
        size_t head = 4 + 4 * (size_t)a.ndims;
        size_t want = (size_t)a.n;
        if (a.magic == IDX_MAGIC_LABELS) {
            if (a.ndims != 1 || a.c || a.h || a.w)
                fail("labels with image dimensions", &a, size);
        } else if (a.magic == IDX_MAGIC_IMAGES ||
                   a.magic == IDX_MAGIC_IMAGES_C) {
            if (a.ndims != (a.magic == IDX_MAGIC_IMAGES ? 3 : 4) ||
                a.c < 1 || a.c > (int)IDX_MAX_CHANNELS ||
                (a.magic == IDX_MAGIC_IMAGES && a.c != 1) || a.h < 1 ||
                a.h > (int)IDX_MAX_SIDE || a.w < 1 || a.w > (int)IDX_MAX_SIDE)
                fail("image dimensions out of range", &a, size);
            want *= (size_t)a.c * (size_t)a.h * (size_t)a.w;
        } else {
            fail("accepted an unknown magic", &a, size);
        }
        if (a.n < 1 || a.n > (int64_t)IDX_MAX_N)
            fail("count out of range", &a, size);
        if (a.size != want || head + a.size != size)
            fail("size disagrees with the header or the input", &a, size);
        if (a.size && memcmp(a.data, buf + head, a.size) != 0)
            fail("data differ from the input", &a, size);
        idx_array_free(&a);
    }
    free(buf);
    return 0;
}
