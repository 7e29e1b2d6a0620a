/* data.h - what the screens read from the database, in the UI's own
 * terms.  This is the one place the UI meets the store module (src/
 * store.h); it never talks SQLite itself.  The database is opened
 * read-only; a file that does not exist yet reads as empty and is picked
 * up when it appears.  Every call is a bounded query.
 * No curses here. */
#ifndef NASVIEW_UI_DATA_H
#define NASVIEW_UI_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "genotype.h"
#include "nv_error.h"

typedef struct UiData UiData;

typedef struct {
    int64_t id;
    char name[64];
    char strategy[16];     /* "rl", "random", "evolution" */
    char state[16];        /* running, paused, done, interrupted, stale, failed */
    int64_t budget;
    int64_t samples;       /* finished samples */
    double best;           /* best reward so far, or -1 */
    int64_t created;       /* unix seconds */
    int pid;               /* of the search process, 0 when none */
} UiSearch;

/* ui_data_open - open path read-only.  A missing file is not an error: it
 * reads as an empty database until it appears.  A foreign or damaged file
 * fails with the store's message.  Owned by the caller (ui_data_close). */
UiData *ui_data_open(const char *path, NvError *err);

/* ui_data_close - release d; NULL is a no-op. */
void ui_data_close(UiData *d);

/* ui_data_available - 1 when this build can read databases (the store
 * module is present), else 0 and the screens say so. */
int ui_data_available(void);

/* ui_data_changed - 1 when the database changed since the last call (or on
 * the first call), judged by the store's change counter, so screens only
 * query when there is news. */
int ui_data_changed(UiData *d);

/* ui_data_searches - every search, newest first, at most max; returns the
 * number written to out. */
size_t ui_data_searches(UiData *d, UiSearch *out, size_t max);

#endif
