/* weights.c - writing and checking weights files and checkpoints (the
 * format is in weights.h).  It knows nothing about networks: it moves
 * arrays of floats and the facts needed to rebuild and continue. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/bytes.h"
#include "base/outfile.h"
#include "train/weights.h"

/* A weights file larger than this is not one of ours: 4 GiB holds a
 * network of 500 million parameters with its momentum. */
#define WEIGHTS_MAX_BYTES ((uint64_t)4 << 30)

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define FNV_OFFSET 14695981039346656037ull

uint64_t weights_data_hash(const Dataset *d)
{
    uint8_t head[24];
    uint64_t dims[3] = { (uint64_t)d->n, (uint64_t)d->c * 65536u + (uint64_t)d->h,
                         (uint64_t)d->w * 65536u + (uint64_t)d->classes };
    for (int i = 0; i < 3; i++)
        for (int b = 0; b < 8; b++)
            head[8 * i + b] = (uint8_t)(dims[i] >> (8 * b));
    uint64_t h = fnv1a(FNV_OFFSET, head, sizeof head);
    size_t npix = (size_t)d->n * (size_t)d->c * (size_t)d->h * (size_t)d->w;
    h = fnv1a(h, d->pixels, npix);
    return fnv1a(h, d->labels, (size_t)d->n);
}

NvStatus weights_save(const char *file, const WeightsOut *o, NvError *err)
{
    ByteWriter w;
    bytes_writer_init(&w);
    char text[GENO_TEXT_MAX];
    size_t len = geno_format(o->geno, text, sizeof text);
    bytes_put(&w, WEIGHTS_MAGIC, 8);
    bytes_put_u32(&w, WEIGHTS_VERSION);
    bytes_put_u32(&w, (o->checkpoint ? WEIGHTS_FLAG_CHECKPOINT : 0u) |
                          (o->aux ? WEIGHTS_FLAG_AUX : 0u));
    bytes_put_u32(&w, (uint32_t)len);
    bytes_put(&w, text, len);
    const int dims[6] = { o->F, o->N, o->c, o->h, o->w, o->classes };
    for (int i = 0; i < 6; i++)
        bytes_put_u32(&w, (uint32_t)dims[i]);
    bytes_put_f32s(&w, o->mean, 3);
    bytes_put_f32s(&w, o->std, 3);
    bytes_put_u64(&w, (uint64_t)o->nparams);
    bytes_put_u64(&w, (uint64_t)o->nstate);
    bytes_put_f32s(&w, o->params, (size_t)o->nparams);
    bytes_put_f32s(&w, o->state, (size_t)o->nstate);
    if (o->checkpoint) {
        const WeightsTrain *t = o->train;
        bytes_put_f32s(&w, o->momentum, (size_t)o->nparams);
        bytes_put_u32(&w, t->epochs);
        bytes_put_u32(&w, t->batch);
        bytes_put_u32(&w, t->threads);
        bytes_put_f32(&w, t->lr);
        bytes_put_f32(&w, t->momentum);
        bytes_put_f32(&w, t->weight_decay);
        bytes_put_u64(&w, t->seed);
        bytes_put_i64(&w, t->train_n);
        bytes_put_u64(&w, t->data_hash);
        bytes_put_u32(&w, t->regs);
        bytes_put_u32(&w, o->epochs_done);
        bytes_put_i64(&w, o->step);
        bytes_put(&w, o->rng, RNG_STATE_BYTES);
        bytes_put_f64(&w, o->seconds);
        bytes_put_u32(&w, o->nepochs);
        for (uint32_t i = 0; i < o->nepochs; i++) {
            bytes_put_f32(&w, o->curve[i].train_loss);
            bytes_put_f32(&w, o->curve[i].val_acc);
            bytes_put_f32(&w, o->curve[i].test_acc);
            bytes_put_f64(&w, o->curve[i].seconds);
        }
    }
    if (!w.failed)
        bytes_put_u64(&w, fnv1a(FNV_OFFSET, w.buf, w.len));
    if (w.failed) {
        bytes_writer_done(&w);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory writing weights to %s", file);
    }
    NvStatus st = outfile_write(file, (const char *)w.buf, w.len, err);
    bytes_writer_done(&w);
    return st;
}

void weights_free(WeightsFile *wf)
{
    free(wf->buf);
    free(wf->curve);
    memset(wf, 0, sizeof *wf);
}

/* Read all of file into a new buffer (*data, *n); regular files only. */
static NvStatus weights_slurp(const char *file, uint8_t **data, size_t *n,
                              NvError *err)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return nv_error_set(err, NV_ERR_IO, "cannot open weights file %s: %s",
                            file, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return nv_error_set(err, NV_ERR_IO,
                            "%s is not a regular file: a weights file is one",
                            file);
    }
    if ((uint64_t)sb.st_size > WEIGHTS_MAX_BYTES) {
        fclose(f);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s is too large (%lld bytes) to be a nasview "
                            "weights file", file, (long long)sb.st_size);
    }
    size_t len = (size_t)sb.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        fclose(f);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory reading %s",
                            file);
    }
    size_t got = fread(buf, 1, len, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != len) {
        free(buf);
        return nv_error_set(err, NV_ERR_IO, "cannot read weights file %s",
                            file);
    }
    *data = buf;
    *n = len;
    return NV_OK;
}

static NvStatus weights_bad(const char *file, const char *what, NvError *err)
{
    return nv_error_set(err, NV_ERR_FORMAT,
                        "%s is not a usable nasview weights file: %s", file,
                        what);
}

NvStatus weights_load(const char *file, WeightsFile *out, NvError *err)
{
    memset(out, 0, sizeof *out);
    uint8_t *data = NULL;
    size_t n = 0;
    NvStatus st = weights_slurp(file, &data, &n, err);
    if (st != NV_OK)
        return st;
    if (n < 8 || memcmp(data, WEIGHTS_MAGIC, 8) != 0) {
        free(data);
        return weights_bad(file, "wrong magic (written by something else)",
                           err);
    }
    ByteReader r;
    bytes_reader_init(&r, data + 8, n - 8);
    uint32_t version = bytes_get_u32(&r);
    if (r.failed || version != WEIGHTS_VERSION) {
        free(data);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s is a nasview weights file of format version "
                            "%u; this nasview reads version %u",
                            file, version, WEIGHTS_VERSION);
    }
    if (n < 8 + 4 + 8) {
        free(data);
        return weights_bad(file, "truncated", err);
    }
    uint64_t sum = 0;
    for (int b = 0; b < 8; b++)
        sum |= (uint64_t)data[n - 8 + b] << (8 * b);
    if (sum != fnv1a(FNV_OFFSET, data, n - 8)) {
        free(data);
        return weights_bad(file, "checksum mismatch (damaged or truncated)",
                           err);
    }
    bytes_reader_init(&r, data + 12, n - 12 - 8);
    uint32_t flags = bytes_get_u32(&r);
    uint32_t len = bytes_get_u32(&r);
    char text[GENO_TEXT_MAX];
    if (r.failed || len >= sizeof text || (flags & ~(WEIGHTS_FLAG_CHECKPOINT | WEIGHTS_FLAG_AUX))) {
        free(data);
        return weights_bad(file, "bad flags or genotype length", err);
    }
    bytes_get(&r, text, len);
    text[len] = '\0';
    NvError gerr;
    nv_error_clear(&gerr);
    if (r.failed || geno_parse(text, &out->geno, &gerr) != NV_OK) {
        free(data);
        return weights_bad(file, "its genotype is not in the search space",
                           err);
    }
    uint32_t dims[6];
    for (int i = 0; i < 6; i++)
        dims[i] = bytes_get_u32(&r);
    bytes_get_f32s(&r, out->mean, 3);
    bytes_get_f32s(&r, out->std, 3);
    uint64_t np = bytes_get_u64(&r), ns = bytes_get_u64(&r);
    for (int i = 0; i < 6; i++)
        if (dims[i] < 1 || dims[i] > 65536)
            r.failed = 1;
    uint64_t floats = np + ns + ((flags & WEIGHTS_FLAG_CHECKPOINT) ? np : 0);
    if (r.failed || np > WEIGHTS_MAX_BYTES / 4 || ns > WEIGHTS_MAX_BYTES / 4 ||
        floats * 4 > r.left) {
        free(data);
        return weights_bad(file, "sizes in its header do not match its length",
                           err);
    }
    out->F = (int)dims[0];
    out->N = (int)dims[1];
    out->c = (int)dims[2];
    out->h = (int)dims[3];
    out->w = (int)dims[4];
    out->classes = (int)dims[5];
    out->nparams = (int64_t)np;
    out->nstate = (int64_t)ns;
    out->checkpoint = (flags & WEIGHTS_FLAG_CHECKPOINT) != 0;
    out->aux = (flags & WEIGHTS_FLAG_AUX) != 0;
    float *fl = malloc(sizeof(float) * (size_t)(floats ? floats : 1));
    if (!fl) {
        free(data);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory reading %s",
                            file);
    }
    bytes_get_f32s(&r, fl, (size_t)(np + ns));
    out->params = fl;
    out->state = fl + np;
    out->buf = (uint8_t *)fl;
    if (out->checkpoint) {
        WeightsTrain *t = &out->train;
        bytes_get_f32s(&r, fl + np + ns, (size_t)np);
        out->momentum = fl + np + ns;
        t->epochs = bytes_get_u32(&r);
        t->batch = bytes_get_u32(&r);
        t->threads = bytes_get_u32(&r);
        t->lr = bytes_get_f32(&r);
        t->momentum = bytes_get_f32(&r);
        t->weight_decay = bytes_get_f32(&r);
        t->seed = bytes_get_u64(&r);
        t->train_n = bytes_get_i64(&r);
        t->data_hash = bytes_get_u64(&r);
        t->regs = bytes_get_u32(&r);
        out->epochs_done = bytes_get_u32(&r);
        out->step = bytes_get_i64(&r);
        bytes_get(&r, out->rng, RNG_STATE_BYTES);
        out->seconds = bytes_get_f64(&r);
        out->nepochs = bytes_get_u32(&r);
        if (r.failed || out->nepochs != out->epochs_done ||
            out->epochs_done > t->epochs || (uint64_t)out->nepochs * 20 > r.left) {
            free(data);
            weights_free(out);
            return weights_bad(file, "its training position is inconsistent",
                               err);
        }
        out->curve = malloc(sizeof(WeightsEpoch) * (out->nepochs + 1));
        if (!out->curve) {
            free(data);
            weights_free(out);
            return nv_error_set(err, NV_ERR_NOMEM, "out of memory reading %s",
                                file);
        }
        for (uint32_t i = 0; i < out->nepochs; i++) {
            out->curve[i].train_loss = bytes_get_f32(&r);
            out->curve[i].val_acc = bytes_get_f32(&r);
            out->curve[i].test_acc = bytes_get_f32(&r);
            out->curve[i].seconds = bytes_get_f64(&r);
        }
    }
    int extra = r.failed || r.left != 0;
    free(data);
    if (extra) {
        weights_free(out);
        return weights_bad(file, "its length does not match its header", err);
    }
    return NV_OK;
}
