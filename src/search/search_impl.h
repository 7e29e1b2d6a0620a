/* search_impl.h - what the search loop (search.c) shares with its
 * weight-sharing half (search_ws.c): the loop's state, its resources, the
 * RNG streams of the search seed and the helpers for stopping, pausing
 * and the status line.  Only search*.c include this. */
#ifndef NASVIEW_SEARCH_IMPL_H
#define NASVIEW_SEARCH_IMPL_H

#include "search/search.h"
#include "search/shared.h"

/* RNG streams of the search seed (search.c invariant 2); far from the
 * strategy's own streams (strategy.h). */
#define SEARCH_STREAM_CHILD 0x4348494c44000000ull /* "CHILD" + idx */
#define SEARCH_STREAM_SHARED 0x534841524544ull    /* "SHARED" */
#define SEARCH_STREAM_PANEL 0x50414e454cull       /* "PANEL" */

/* How often the terminal line is redrawn (seconds). */
#define SEARCH_HUMAN_PERIOD 0.25

typedef struct {
    Store *st;
    const SearchHooks *hooks;
    int64_t id;
    const StoreSearch *row;
    int idx;              /* sample in flight */
    double last_write;    /* monotonic time of the last progress point */
    double last_human;
    int last_epoch;
    double t0;            /* monotonic start of this run */
    int done_this_run;    /* samples finished since start (for the ETA) */
    NvError write_err;    /* first failed progress write, reported once */
    int write_failed;
} Loop;

typedef struct {
    Dataset *train, *val;
    Strategy *strat;
    Shared *shared; /* weight sharing only */
} Resources;

/* search_mono_s - monotonic seconds. */
double search_mono_s(void);

/* search_stopping - non-zero once hooks->stop is set. */
int search_stopping(const Loop *l);

/* search_pause_here - wait while hooks->pause is set (no transaction
 * open); the search shows as paused meanwhile. */
void search_pause_here(Loop *l);

/* search_human_line - redraw the one status line on the terminal (when
 * hooks->human is set). */
void search_human_line(Loop *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* search_shared_make - res->shared for a weight-sharing search c, once
 * its data is loaded (nothing for other searches). */
NvStatus search_shared_make(const SearchConfig *c, Resources *res,
                            NvError *err);

/* search_shared_phase - search.c invariant 5: train the shared weights
 * when sample l->idx opens a round they have not been trained for, then
 * checkpoint them.  NV_ERR_INTERRUPTED on a stop. */
NvStatus search_shared_phase(Loop *l, Resources *res, NvError *err);

/* search_panel - search.c invariant 6: train the fidelity panel's
 * missing architectures stand-alone and store each result.
 * NV_ERR_INTERRUPTED on a stop. */
NvStatus search_panel(Loop *l, const SearchConfig *c, Resources *res,
                      NvError *err);

#endif
