/* supernet.c - the shared weights of weight-sharing search (supernet.h):
 * a table of tensors by key, their storage in chunks that never move, and
 * the snapshot codec.
 *
 * Invariants:
 * 1. A tensor's values and optimiser state never move once made (children
 *    hold pointers to them): storage comes in chunks that are only added,
 *    never reallocated.
 * 2. A new tensor's values depend only on the seed, its key and its init
 *    kind (an RNG stream of its own per key); its optimiser state starts at
 *    zero.
 * 3. entries[] lists the tensors in the order they were made; the snapshot
 *    writes them in that order and a load makes them again in it. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/rng.h"
#include "train/supernet.h"

/* Floats per storage chunk (4 MiB of values and as much of state): a
 * default-proxy supernet needs a few chunks. */
#define SUPERNET_CHUNK ((size_t)1 << 20)
#define SUPERNET_ALIGN 16 /* floats: 64-byte alignment of every tensor */
#define SUPERNET_MAGIC 0x4e53564eu /* "NVSN" */
#define SUPERNET_VERSION 1u

typedef struct Chunk {
    struct Chunk *next;
    float *w, *m;
    size_t cap, used;
} Chunk;

typedef struct {
    uint64_t key;
    size_t n;
    float *w, *m;
} Entry;

struct Supernet {
    ChildShape shape;
    uint64_t seed;
    Entry *entries;      /* in creation order (invariant 3) */
    int nentries, capentries;
    int *slots;          /* open addressing: index into entries, or -1 */
    int nslots;          /* a power of two, at least twice nentries */
    Chunk *chunks;       /* newest first */
    int64_t floats;
};

static float *sn_alloc(size_t n)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, n * sizeof(float)))
        return NULL;
    memset(p, 0, n * sizeof(float));
    return p;
}

Supernet *supernet_new(const ChildShape *sh, uint64_t seed)
{
    if (!sh || sh->F < 1 || sh->N < 1 || sh->classes < 2 || sh->c < 1)
        return NULL;
    Supernet *sn = calloc(1, sizeof *sn);
    if (!sn)
        return NULL;
    sn->shape = *sh;
    sn->seed = seed;
    sn->nslots = 256;
    sn->slots = malloc(sizeof *sn->slots * (size_t)sn->nslots);
    if (!sn->slots) {
        free(sn);
        return NULL;
    }
    for (int i = 0; i < sn->nslots; i++)
        sn->slots[i] = -1;
    return sn;
}

void supernet_free(Supernet *sn)
{
    if (!sn)
        return;
    for (Chunk *c = sn->chunks, *next; c; c = next) {
        next = c->next;
        free(c->w);
        free(c->m);
        free(c);
    }
    free(sn->entries);
    free(sn->slots);
    free(sn);
}

static size_t sn_hash(uint64_t key, int nslots)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & (size_t)(nslots - 1);
}

static int sn_lookup(const Supernet *sn, uint64_t key)
{
    for (size_t h = sn_hash(key, sn->nslots);; h = (h + 1) & (size_t)(sn->nslots - 1)) {
        int e = sn->slots[h];
        if (e < 0 || sn->entries[e].key == key)
            return e;
    }
}

static int sn_grow_slots(Supernet *sn)
{
    int n = sn->nslots * 2;
    int *s = malloc(sizeof *s * (size_t)n);
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        s[i] = -1;
    for (int e = 0; e < sn->nentries; e++) {
        size_t h = sn_hash(sn->entries[e].key, n);
        while (s[h] >= 0)
            h = (h + 1) & (size_t)(n - 1);
        s[h] = e;
    }
    free(sn->slots);
    sn->slots = s;
    sn->nslots = n;
    return 0;
}

/* Room for n floats of values and state (invariant 1). */
static int sn_carve(Supernet *sn, size_t n, float **w, float **m)
{
    size_t need = (n + SUPERNET_ALIGN - 1) / SUPERNET_ALIGN * SUPERNET_ALIGN;
    Chunk *c = sn->chunks;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > SUPERNET_CHUNK ? need : SUPERNET_CHUNK;
        c = calloc(1, sizeof *c);
        if (!c)
            return -1;
        c->w = sn_alloc(cap);
        c->m = sn_alloc(cap);
        if (!c->w || !c->m) {
            free(c->w);
            free(c->m);
            free(c);
            return -1;
        }
        c->cap = cap;
        c->next = sn->chunks;
        sn->chunks = c;
    }
    *w = c->w + c->used;
    *m = c->m + c->used;
    c->used += need;
    return 0;
}

/* The tensor of key, made (invariant 2) when new; NULL when out of memory
 * or when key names a tensor of another size. */
static Entry *sn_get(Supernet *sn, uint64_t key, size_t n, TensorInit init,
                     int fan_in)
{
    int e = sn_lookup(sn, key);
    if (e >= 0)
        return sn->entries[e].n == n ? &sn->entries[e] : NULL;
    if (2 * (sn->nentries + 1) > sn->nslots && sn_grow_slots(sn))
        return NULL;
    if (sn->nentries == sn->capentries) {
        int cap = sn->capentries ? 2 * sn->capentries : 256;
        Entry *p = realloc(sn->entries, sizeof *p * (size_t)cap);
        if (!p)
            return NULL;
        sn->entries = p;
        sn->capentries = cap;
    }
    Entry *t = &sn->entries[sn->nentries];
    t->key = key;
    t->n = n;
    if (sn_carve(sn, n, &t->w, &t->m))
        return NULL;
    Rng r;
    rng_seed(&r, sn->seed, key);
    switch (init) {
    case TENSOR_INIT_ZERO:
        break; /* chunks start zeroed */
    case TENSOR_INIT_ONE:
        for (size_t i = 0; i < n; i++)
            t->w[i] = 1.0f;
        break;
    case TENSOR_INIT_UNIFORM: {
        float b = 1.0f / sqrtf((float)(fan_in > 0 ? fan_in : 1));
        for (size_t i = 0; i < n; i++)
            t->w[i] = rng_uniformf(&r, -b, b);
        break;
    }
    }
    size_t h = sn_hash(key, sn->nslots);
    while (sn->slots[h] >= 0)
        h = (h + 1) & (size_t)(sn->nslots - 1);
    sn->slots[h] = sn->nentries++;
    sn->floats += (int64_t)n;
    return t;
}

/* NetLendFn for children. */
static float *sn_lend(void *ctx, uint64_t key, size_t n, TensorInit init,
                      int fan_in, float **m)
{
    Entry *e = sn_get(ctx, key, n, init, fan_in);
    if (!e)
        return NULL;
    *m = e->m;
    return e->w;
}

NvStatus supernet_child(Supernet *sn, const Genotype *g, int max_batch,
                        int threads, Net **out, Tensor **input,
                        Tensor **logits, NvError *err)
{
    /* Both spellings of a block, (in1 op1, in2 op2) and (in2 op2, in1
     * op1), borrow the same tensors, but a concat of the two halves puts
     * their channels in the order written, and every tensor downstream
     * reads channels by position: only one spelling may be built, or a
     * network is trained in one channel order and scored in the other. */
    Genotype canon = *g;
    geno_canonicalize(&canon);
    NvStatus st = child_build_shared(&canon, &sn->shape, max_batch, sn_lend,
                                     sn, out, input, logits, err);
    if (st != NV_OK)
        return st;
    if ((st = net_set_threads(*out, threads, err)) != NV_OK ||
        (st = net_finish(*out, 0, err)) != NV_OK) {
        net_free(*out);
        *out = NULL;
    }
    return st;
}

int supernet_tensors(const Supernet *sn)
{
    return sn->nentries;
}

int64_t supernet_floats(const Supernet *sn)
{
    return sn->floats;
}

float *supernet_find(Supernet *sn, uint64_t key, size_t *n)
{
    int e = sn_lookup(sn, key);
    if (e < 0)
        return NULL;
    *n = sn->entries[e].n;
    return sn->entries[e].w;
}

uint64_t supernet_key(const Supernet *sn, int i)
{
    return i >= 0 && i < sn->nentries ? sn->entries[i].key : 0;
}

static void sn_put_shape(ByteWriter *w, const Supernet *sn)
{
    const ChildShape *s = &sn->shape;
    bytes_put_u32(w, (uint32_t)s->F);
    bytes_put_u32(w, (uint32_t)s->N);
    bytes_put_u32(w, (uint32_t)s->c);
    bytes_put_u32(w, (uint32_t)s->h);
    bytes_put_u32(w, (uint32_t)s->w);
    bytes_put_u32(w, (uint32_t)s->classes);
    bytes_put_u64(w, sn->seed);
}

NvStatus supernet_save(const Supernet *sn, uint8_t **buf, size_t *len,
                       NvError *err)
{
    ByteWriter w;
    bytes_writer_init(&w);
    bytes_put_u32(&w, SUPERNET_MAGIC);
    bytes_put_u32(&w, SUPERNET_VERSION);
    sn_put_shape(&w, sn);
    bytes_put_u64(&w, (uint64_t)sn->nentries);
    for (int i = 0; i < sn->nentries; i++) {
        const Entry *e = &sn->entries[i];
        bytes_put_u64(&w, e->key);
        bytes_put_u64(&w, (uint64_t)e->n);
        bytes_put_f32s(&w, e->w, e->n);
        bytes_put_f32s(&w, e->m, e->n);
    }
    if (w.failed) {
        bytes_writer_done(&w);
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory saving the shared weights");
    }
    *buf = w.buf;
    *len = w.len;
    w.buf = NULL;
    bytes_writer_done(&w);
    return NV_OK;
}

NvStatus supernet_load(Supernet *sn, const uint8_t *buf, size_t len,
                       NvError *err)
{
    ByteReader r;
    if (sn->nentries)
        return nv_error_set(err, NV_ERR_USAGE,
                            "shared weights load into an empty supernet only");
    bytes_reader_init(&r, buf, len);
    if (bytes_get_u32(&r) != SUPERNET_MAGIC ||
        bytes_get_u32(&r) != SUPERNET_VERSION)
        return nv_error_set(err, NV_ERR_PARSE,
                            "not a shared-weight snapshot of this version");
    const ChildShape *s = &sn->shape;
    if (bytes_get_u32(&r) != (uint32_t)s->F ||
        bytes_get_u32(&r) != (uint32_t)s->N ||
        bytes_get_u32(&r) != (uint32_t)s->c ||
        bytes_get_u32(&r) != (uint32_t)s->h ||
        bytes_get_u32(&r) != (uint32_t)s->w ||
        bytes_get_u32(&r) != (uint32_t)s->classes ||
        bytes_get_u64(&r) != sn->seed || r.failed)
        return nv_error_set(err, NV_ERR_PARSE,
                            "shared-weight snapshot of another shape or seed");
    uint64_t count = bytes_get_u64(&r);
    /* each tensor takes at least 24 bytes: a corrupt count cannot make us
     * loop long */
    if (r.failed || count > r.left / 24)
        return nv_error_set(err, NV_ERR_PARSE,
                            "shared-weight snapshot truncated (tensor count)");
    for (uint64_t i = 0; i < count; i++) {
        uint64_t key = bytes_get_u64(&r);
        uint64_t n = bytes_get_u64(&r);
        if (r.failed || n == 0 || n > r.left / 8)
            return nv_error_set(err, NV_ERR_PARSE,
                                "shared-weight snapshot truncated at tensor "
                                "%llu", (unsigned long long)i);
        if (sn_lookup(sn, key) >= 0)
            return nv_error_set(err, NV_ERR_PARSE,
                                "shared-weight snapshot names tensor %llu "
                                "twice", (unsigned long long)i);
        Entry *e = sn_get(sn, key, (size_t)n, TENSOR_INIT_ZERO, 0);
        if (!e)
            return nv_error_set(err, NV_ERR_NOMEM,
                                "out of memory loading the shared weights");
        bytes_get_f32s(&r, e->w, e->n);
        bytes_get_f32s(&r, e->m, e->n);
    }
    if (r.failed || r.left)
        return nv_error_set(err, NV_ERR_PARSE,
                            "shared-weight snapshot %s",
                            r.failed ? "truncated" : "has trailing bytes");
    return NV_OK;
}
