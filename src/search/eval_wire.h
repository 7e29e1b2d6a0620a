/* eval_wire.h - the messages between a search and its worker processes
 * (evaluator_workers.c): the framing and the encoding of each message, as
 * pure functions over bytes, so that damaged input can be tested without
 * processes.
 *
 * A frame is: u32 type, u32 payload length L (at most WIRE_MAX), then L
 * payload bytes, all little-endian (base/bytes.h; floats as their bit
 * patterns, so a result crosses exactly).
 *   search -> worker: WIRE_JOB       idx, genotype (50 bytes), TrainConfig
 *   worker -> search: WIRE_READY     (empty) once, when it can take jobs
 *                     WIRE_FAIL      status, message: it cannot start
 *                     WIRE_PROGRESS  idx, TrainProgress
 *                     WIRE_RESULT    idx, status, TrainResult, message
 * and, between the search (MPI rank 0) and its MPI ranks, over MPI
 * (evaluator_mpi.c), the same frames plus:
 *   search -> rank:   WIRE_SETUP     dataset spec, subset sizes, split seed
 *                     WIRE_HOLD, WIRE_GO  (empty) pause / continue training
 *                     WIRE_RESET     (empty) drop the job and the data
 *                     WIRE_QUIT      (empty) leave: answer WIRE_BYE
 *   rank -> search:   WIRE_CRASH     idx, attempts, message: its child died
 *                                    on every attempt
 *                     WIRE_BYE       (empty) the rank is leaving
 * Every decoder takes exactly one payload, fails with NV_ERR_FORMAT (and
 * a message naming the message kind) on a short, long or out-of-range
 * payload, and leaves *out unspecified then. */
#ifndef NASVIEW_EVAL_WIRE_H
#define NASVIEW_EVAL_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "search/evaluator.h"

typedef enum {
    WIRE_JOB = 1,
    WIRE_READY = 2,
    WIRE_FAIL = 3,
    WIRE_PROGRESS = 4,
    WIRE_RESULT = 5,
    WIRE_SETUP = 6,
    WIRE_HOLD = 7,
    WIRE_GO = 8,
    WIRE_RESET = 9,
    WIRE_QUIT = 10,
    WIRE_CRASH = 11,
    WIRE_BYE = 12
} WireType;

/* Longest dataset spec a WIRE_SETUP carries (bytes, without the NUL). */
#define WIRE_SPEC_MAX 1023u

/* What an MPI rank needs to load the search's datasets itself: the
 * dataset_load spec (a path that must mean the same data on every host)
 * and the dataset_split arguments. */
typedef struct {
    char spec[WIRE_SPEC_MAX + 1];
    int64_t train_size, val_size;
    uint64_t split_seed;
} WireSetup;

#define WIRE_HEADER 8u
/* Largest payload: a result with a full error message fits well. */
#define WIRE_MAX 2048u

/* wire_frame - look at buf[0..have): 1 when it starts with a whole frame
 * (*type, and *len its payload length; the payload is at buf +
 * WIRE_HEADER), 0 when more bytes are needed, -1 when the header announces
 * a payload over WIRE_MAX (*len says how long). */
int wire_frame(const uint8_t *buf, size_t have, uint32_t *type,
               uint32_t *len);

/* wire_encode - the frame of type with payload w->buf[0..w->len) into
 * out (room for WIRE_HEADER + WIRE_MAX bytes); its length, or 0 when w
 * failed or is too long.  No allocation. */
size_t wire_encode(uint32_t type, const ByteWriter *w, uint8_t *out);

/* Encoders append one payload to w (check w->failed once at the end). */
void wire_put_job(ByteWriter *w, const EvalJob *job);
void wire_put_progress(ByteWriter *w, int idx, const TrainProgress *p);
void wire_put_result(ByteWriter *w, int idx, NvStatus st,
                     const TrainResult *r, const char *msg);
void wire_put_fail(ByteWriter *w, NvStatus st, const char *msg);
void wire_put_setup(ByteWriter *w, const WireSetup *s);
void wire_put_crash(ByteWriter *w, int idx, int attempts, const char *msg);

/* wire_get_job - a job; its genotype must lie in the space and its
 * settings be positive. */
NvStatus wire_get_job(const uint8_t *p, size_t n, EvalJob *job,
                      NvError *err);

/* wire_get_progress - a progress point of job *idx. */
NvStatus wire_get_progress(const uint8_t *p, size_t n, int *idx,
                           TrainProgress *out, NvError *err);

/* wire_get_result - a result: out->idx, out->result, and out->outcome
 * EVAL_TRAINED, or EVAL_ERROR with out->status and out->message when the
 * worker's train_child failed.  out->attempts is left 0. */
NvStatus wire_get_result(const uint8_t *p, size_t n, EvalResult *out,
                         NvError *err);

/* wire_get_fail - why a worker cannot start: *st (an error status) and
 * msg (cap bytes, NUL-terminated). */
NvStatus wire_get_fail(const uint8_t *p, size_t n, NvStatus *st, char *msg,
                       size_t cap, NvError *err);

/* wire_get_setup - a setup: a non-empty spec without NULs, positive
 * subset sizes. */
NvStatus wire_get_setup(const uint8_t *p, size_t n, WireSetup *out,
                        NvError *err);

/* wire_get_crash - a child that died on every attempt: out->idx,
 * out->attempts (1 or 2), out->message, out->outcome EVAL_CRASHED. */
NvStatus wire_get_crash(const uint8_t *p, size_t n, EvalResult *out,
                        NvError *err);

#endif
