/* search_scores.c - the score history of a running zero-cost search
 * (search_loop.h): the scores its strategy ranks each new one among. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "search/search_loop.h"
#include "store/store.h"

/* grow - room in l->scores for at least `cap` scores in all. */
static NvStatus grow(Loop *l, size_t cap, NvError *err)
{
    if (cap <= l->capscores)
        return NV_OK;
    if (cap < 2 * l->capscores)
        cap = 2 * l->capscores;
    double *p = realloc(l->scores, sizeof *p * cap);
    if (!p)
        return nv_error_set(err, NV_ERR_NOMEM,
                            "out of memory ranking rewards");
    l->scores = p;
    l->capscores = cap;
    return NV_OK;
}

/* read_scores - l->scores from the file: every score of a sample before
 * l->start that has one, in sample order. */
static NvStatus read_scores(Loop *l, NvError *err)
{
    StoreSample *old = NULL;
    size_t nold = 0;
    NvStatus r;
    if ((r = store_samples(l->st, l->id, NULL, &old, &nold, err)))
        return r;
    l->nscores = 0;
    if ((r = grow(l, nold, err)) == NV_OK) {
        for (size_t i = 0; i < nold; i++)
            if (old[i].idx < l->start &&
                store_sample_has_reward(old[i].status) &&
                isfinite(old[i].reward))
                l->scores[l->nscores++] = old[i].reward;
        l->scores_read = 1;
    }
    free(old);
    return r;
}

NvStatus search_scores_reserve(Loop *l, int more, NvError *err)
{
    NvStatus r;
    if (!l->scores_read && (r = read_scores(l, err)))
        return r;
    return grow(l, l->nscores + (size_t)(more > 0 ? more : 0), err);
}
