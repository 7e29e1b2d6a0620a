/* eval_wire.c - the worker messages (eval_wire.h): framing, encoders and
 * strict decoders.  Knows nothing about processes or sockets. */
#include "config.h"

#include <string.h>

#include "search/eval_wire.h"

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int wire_frame(const uint8_t *buf, size_t have, uint32_t *type,
               uint32_t *len)
{
    if (have < WIRE_HEADER)
        return 0;
    *type = get_le32(buf);
    *len = get_le32(buf + 4);
    if (*len > WIRE_MAX)
        return -1;
    return have >= WIRE_HEADER + *len ? 1 : 0;
}

size_t wire_encode(uint32_t type, const ByteWriter *w, uint8_t *out)
{
    if (w->failed || w->len > WIRE_MAX)
        return 0;
    put_le32(out, type);
    put_le32(out + 4, (uint32_t)w->len);
    if (w->len)
        memcpy(out + WIRE_HEADER, w->buf, w->len);
    return WIRE_HEADER + w->len;
}

static void put_message(ByteWriter *w, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    if (n >= NV_ERROR_MAX)
        n = NV_ERROR_MAX - 1;
    bytes_put_u32(w, (uint32_t)n);
    bytes_put(w, msg, n);
}

/* get_message - a length-prefixed text into out (cap bytes); a length that
 * does not fit, or a NUL inside, fails r. */
static void get_message(ByteReader *r, char *out, size_t cap)
{
    uint32_t n = bytes_get_u32(r);
    out[0] = '\0';
    if (r->failed || n >= cap || n > r->left) {
        r->failed = 1;
        return;
    }
    bytes_get(r, out, n);
    out[n] = '\0';
    if (strlen(out) != n)
        r->failed = 1;
}

/* A status a worker may report: an error, not NV_OK (say so with a
 * result) and not past the enum. */
static int is_error_status(uint32_t st)
{
    return st > (uint32_t)NV_OK && st <= (uint32_t)NV_ERR_RUNTIME;
}

static NvStatus done(ByteReader *r, const char *what, NvError *err)
{
    if (r->failed || r->left)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "worker message: %s is damaged (%s)", what,
                            r->failed ? "short or out of range"
                                      : "bytes past its end");
    return NV_OK;
}

void wire_put_job(ByteWriter *w, const EvalJob *job)
{
    const TrainConfig *c = &job->train;
    bytes_put_u32(w, (uint32_t)job->idx);
    bytes_put(w, &job->genotype, sizeof job->genotype);
    bytes_put_u32(w, (uint32_t)c->F);
    bytes_put_u32(w, (uint32_t)c->N);
    bytes_put_u32(w, (uint32_t)c->epochs);
    bytes_put_u32(w, (uint32_t)c->batch);
    bytes_put_f32(w, c->lr);
    bytes_put_f32(w, c->momentum);
    bytes_put_f32(w, c->weight_decay);
    bytes_put_u64(w, c->seed);
    bytes_put_u32(w, (uint32_t)c->threads);
    bytes_put_u32(w, (uint32_t)c->bn_recalibrate);
    bytes_put_u32(w, (uint32_t)c->recal_images);
}

NvStatus wire_get_job(const uint8_t *p, size_t n, EvalJob *job, NvError *err)
{
    ByteReader r;
    TrainConfig *c = &job->train;
    uint32_t v[4], threads, recal, recal_images;
    bytes_reader_init(&r, p, n);
    memset(job, 0, sizeof *job);
    job->idx = (int)bytes_get_u32(&r);
    bytes_get(&r, &job->genotype, sizeof job->genotype);
    for (int i = 0; i < 4; i++)
        v[i] = bytes_get_u32(&r);
    c->lr = bytes_get_f32(&r);
    c->momentum = bytes_get_f32(&r);
    c->weight_decay = bytes_get_f32(&r);
    c->seed = bytes_get_u64(&r);
    threads = bytes_get_u32(&r);
    recal = bytes_get_u32(&r);
    recal_images = bytes_get_u32(&r);
    if (recal > 1 || recal_images > 1u << 30)
        r.failed = 1;
    for (int i = 0; i < 4; i++)
        if (v[i] < 1 || v[i] > 1u << 24)
            r.failed = 1;
    if (threads < 1 || threads > 1024 || job->idx < 0 ||
        geno_validate(&job->genotype, NULL) != NV_OK)
        r.failed = 1;
    c->F = (int)v[0];
    c->N = (int)v[1];
    c->epochs = (int)v[2];
    c->batch = (int)v[3];
    c->threads = (int)threads;
    c->bn_recalibrate = (int)recal;
    c->recal_images = (int)recal_images;
    return done(&r, "job", err);
}

void wire_put_progress(ByteWriter *w, int idx, const TrainProgress *p)
{
    bytes_put_u32(w, (uint32_t)idx);
    bytes_put_u32(w, (uint32_t)p->epoch);
    bytes_put_u32(w, (uint32_t)p->epochs);
    bytes_put_i64(w, p->step);
    bytes_put_i64(w, p->steps);
    bytes_put_f32(w, p->loss);
    bytes_put_f32(w, p->train_acc);
    bytes_put_f64(w, p->images_per_s);
    bytes_put_f64(w, p->elapsed_s);
    bytes_put_f64(w, p->eta_s);
    bytes_put_u32(w, (uint32_t)p->evaluating);
}

NvStatus wire_get_progress(const uint8_t *p, size_t n, int *idx,
                           TrainProgress *out, NvError *err)
{
    ByteReader r;
    uint32_t ev;
    bytes_reader_init(&r, p, n);
    memset(out, 0, sizeof *out);
    *idx = (int)bytes_get_u32(&r);
    out->epoch = (int)bytes_get_u32(&r);
    out->epochs = (int)bytes_get_u32(&r);
    out->step = bytes_get_i64(&r);
    out->steps = bytes_get_i64(&r);
    out->loss = bytes_get_f32(&r);
    out->train_acc = bytes_get_f32(&r);
    out->images_per_s = bytes_get_f64(&r);
    out->elapsed_s = bytes_get_f64(&r);
    out->eta_s = bytes_get_f64(&r);
    ev = bytes_get_u32(&r);
    if (*idx < 0 || out->epoch < 0 || out->epochs < 0 || out->step < 0 ||
        out->steps < 0 || ev > 1)
        r.failed = 1;
    out->evaluating = (int)ev;
    return done(&r, "progress", err);
}

void wire_put_result(ByteWriter *w, int idx, NvStatus st,
                     const TrainResult *res, const char *msg)
{
    bytes_put_u32(w, (uint32_t)idx);
    bytes_put_u32(w, (uint32_t)st);
    bytes_put_f32(w, res->val_acc);
    bytes_put_f32(w, res->test_acc);
    bytes_put_f32(w, res->train_loss);
    bytes_put_i64(w, res->params);
    bytes_put_i64(w, res->mult_adds);
    bytes_put_f64(w, res->seconds);
    bytes_put_u32(w, (uint32_t)res->diverged);
    bytes_put_u32(w, (uint32_t)res->interrupted);
    put_message(w, st != NV_OK ? msg : "");
}

NvStatus wire_get_result(const uint8_t *p, size_t n, EvalResult *out,
                         NvError *err)
{
    ByteReader r;
    TrainResult *t = &out->result;
    uint32_t st, dv, in;
    bytes_reader_init(&r, p, n);
    memset(out, 0, sizeof *out);
    out->idx = (int)bytes_get_u32(&r);
    st = bytes_get_u32(&r);
    t->val_acc = bytes_get_f32(&r);
    t->test_acc = bytes_get_f32(&r);
    t->train_loss = bytes_get_f32(&r);
    t->params = bytes_get_i64(&r);
    t->mult_adds = bytes_get_i64(&r);
    t->seconds = bytes_get_f64(&r);
    dv = bytes_get_u32(&r);
    in = bytes_get_u32(&r);
    get_message(&r, out->message, sizeof out->message);
    if (out->idx < 0 || (st != NV_OK && !is_error_status(st)) || dv > 1 ||
        in > 1)
        r.failed = 1;
    /* A reward is an accuracy: anything else is not a result. */
    if (st == NV_OK && !(t->val_acc >= 0.0f && t->val_acc <= 1.0f))
        r.failed = 1;
    t->diverged = (int)dv;
    t->interrupted = (int)in;
    if (st != NV_OK) {
        out->outcome = EVAL_ERROR;
        out->status = (NvStatus)st;
    } else {
        out->outcome = EVAL_TRAINED;
    }
    return done(&r, "result", err);
}

void wire_put_fail(ByteWriter *w, NvStatus st, const char *msg)
{
    bytes_put_u32(w, (uint32_t)st);
    put_message(w, msg);
}

NvStatus wire_get_fail(const uint8_t *p, size_t n, NvStatus *st, char *msg,
                       size_t cap, NvError *err)
{
    ByteReader r;
    uint32_t s;
    bytes_reader_init(&r, p, n);
    s = bytes_get_u32(&r);
    get_message(&r, msg, cap);
    if (!is_error_status(s))
        r.failed = 1;
    *st = (NvStatus)s;
    return done(&r, "start failure", err);
}

void wire_put_setup(ByteWriter *w, const WireSetup *s)
{
    size_t n = strnlen(s->spec, sizeof s->spec);
    bytes_put_u32(w, (uint32_t)n);
    bytes_put(w, s->spec, n);
    bytes_put_i64(w, s->train_size);
    bytes_put_i64(w, s->val_size);
    bytes_put_u64(w, s->split_seed);
}

NvStatus wire_get_setup(const uint8_t *p, size_t n, WireSetup *out,
                        NvError *err)
{
    ByteReader r;
    bytes_reader_init(&r, p, n);
    memset(out, 0, sizeof *out);
    get_message(&r, out->spec, sizeof out->spec);
    out->train_size = bytes_get_i64(&r);
    out->val_size = bytes_get_i64(&r);
    out->split_seed = bytes_get_u64(&r);
    if (!out->spec[0] || out->train_size < 1 || out->val_size < 1)
        r.failed = 1;
    return done(&r, "setup", err);
}

void wire_put_crash(ByteWriter *w, int idx, int attempts, const char *msg)
{
    bytes_put_u32(w, (uint32_t)idx);
    bytes_put_u32(w, (uint32_t)attempts);
    put_message(w, msg);
}

NvStatus wire_get_crash(const uint8_t *p, size_t n, EvalResult *out,
                        NvError *err)
{
    ByteReader r;
    uint32_t attempts;
    bytes_reader_init(&r, p, n);
    memset(out, 0, sizeof *out);
    out->idx = (int)bytes_get_u32(&r);
    attempts = bytes_get_u32(&r);
    get_message(&r, out->message, sizeof out->message);
    if (out->idx < 0 || attempts < 1 || attempts > 2)
        r.failed = 1;
    out->attempts = (int)attempts;
    out->outcome = EVAL_CRASHED;
    return done(&r, "crash", err);
}
