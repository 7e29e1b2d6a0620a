/* compare_load.c - a stored search's rewards for a comparison
 * (compare_load.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_load.h"

void compare_rewards_free(CompareRewards *r)
{
    if (!r)
        return;
    free(r->reward);
    free(r->key);
    free(r->cpu);
    memset(r, 0, sizeof *r);
}

/* Room for one more sample in r (capacity *cap); 0 when out of memory. */
static int grow(CompareRewards *r, size_t *cap)
{
    if (r->n < *cap)
        return 1;
    size_t nc = *cap ? 2 * *cap : 256;
    double *nr = realloc(r->reward, nc * sizeof *nr);
    if (!nr)
        return 0;
    r->reward = nr;
    uint64_t *nk = realloc(r->key, nc * sizeof *nk);
    if (!nk)
        return 0;
    r->key = nk;
    double *ncpu = realloc(r->cpu, nc * sizeof *ncpu);
    if (!ncpu)
        return 0;
    r->cpu = ncpu;
    *cap = nc;
    return 1;
}

NvStatus compare_rewards_load(Store *st, const StoreSearch *s,
                              CompareRewards *out, NvError *err)
{
    enum { PAGE = 1024 };
    const double threads = s->threads > 0 ? s->threads : 1;
    StoreSample last;
    size_t cap = 0;
    int have_last = 0;
    compare_rewards_free(out);
    for (;;) {
        StoreSampleQuery q = { STORE_ORDER_IDX, 0, PAGE,
                               have_last ? &last : NULL };
        StoreSample *rows = NULL;
        size_t n = 0;
        NvStatus status = store_samples(st, s->id, &q, &rows, &n, err);
        if (status != NV_OK) {
            compare_rewards_free(out);
            return status;
        }
        for (size_t i = 0; i < n; i++) {
            const StoreSample *row = &rows[i];
            if (!store_sample_has_reward(row->status))
                continue;
            if (!grow(out, &cap)) {
                free(rows);
                compare_rewards_free(out);
                return nv_error_set(err, NV_ERR_NOMEM,
                                    "out of memory reading search '%s'",
                                    s->name);
            }
            out->reward[out->n] = isfinite(row->reward) ? row->reward : 0.0;
            out->key[out->n] = strtoull(row->hash, NULL, 16);
            out->cpu[out->n] = isfinite(row->seconds) && row->seconds > 0
                                   ? row->seconds * threads
                                   : 0.0;
            out->n++;
        }
        if (n > 0) {
            last = rows[n - 1];
            have_last = 1;
        }
        free(rows);
        if (n < PAGE)
            return NV_OK;
    }
}

CompareInput compare_input_of(const StoreSearch *s, const CompareRewards *r)
{
    CompareInput in = {
        .name = s->name,
        .strategy = s->strategy,
        .reward = r->reward,
        .key = r->key,
        .n = r->n,
        .seed = s->seed,
        .common_streams = strcmp(s->streams, "independent") != 0,
        .cpu = r->cpu,
    };
    return in;
}
