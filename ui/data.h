/* data.h - the UI's connection to the database: it opens the store
 * (src/store/store.h) and watches it; the screens then query it through
 * the store's own functions on ui_data_store()'s handle.  The UI never
 * talks SQLite itself.
 *
 * The database is opened read-only (STORE_READ).  A file that does not
 * exist yet reads as empty and is opened when it appears (a search started
 * from the UI creates it).  A foreign or damaged file is never touched:
 * ui_data_problem() says what is wrong and the screens show it.  Every
 * query is bounded by its caller (limits, keyset paging); ui_data_changed()
 * tells whether there is anything new to query at all.
 * No curses here. */
#ifndef NASVIEW_UI_DATA_H
#define NASVIEW_UI_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "store/store.h"

typedef struct UiData UiData;

/* ui_data_open - prepare to read path; opens it now when it exists.
 * Fails only when memory runs out.  Owned by the caller (ui_data_close). */
UiData *ui_data_open(const char *path, NvError *err);

/* ui_data_close - release d; NULL is a no-op. */
void ui_data_close(UiData *d);

/* ui_data_store - the open store, or NULL while the file is missing or
 * unreadable.  Owned by d. */
Store *ui_data_store(UiData *d);

/* ui_data_problem - why the file cannot be read ("" when it can, or when
 * it simply does not exist yet).  Owned by d. */
const char *ui_data_problem(const UiData *d);

/* ui_data_changed - 1 when the database changed since the last call (the
 * first call, the file appearing, or the store's change counter moving),
 * else 0.  Cheap: one PRAGMA per call, or one stat() while missing. */
int ui_data_changed(UiData *d);

/* ui_data_touch - make the next ui_data_changed() report a change (a
 * screen that comes back on top must refresh). */
void ui_data_touch(UiData *d);

/* ui_search_state - the state a person should see: the store's status
 * name ("running", "paused", "done", "interrupted", "failed", "stale"). */
const char *ui_search_state(const StoreSearch *s);

/* ui_search_controllable - 1 when the search's process runs on this host
 * and is alive, so it can be paused, resumed or stopped by signal. */
int ui_search_controllable(const StoreSearch *s);

/* ui_search_watched - 1 when the store says the search runs (running or
 * paused) and its process is on this host: a process that dies without
 * writing (SIGKILL, a crash) changes nothing in the file, so screens
 * showing such a search check its process on every tick. */
int ui_search_watched(const StoreSearch *s);

/* ui_fmt_duration - s seconds as "42s", "3m07s" or "2h05m"; "-" when s
 * is negative or not a number. */
void ui_fmt_duration(char *buf, size_t n, double s);

/* ui_pid_gone - 1 when process pid has ended (an unreaped zombie counts
 * as ended); then re-reading the store shows its search stale. */
int ui_pid_gone(int64_t pid);

#endif
