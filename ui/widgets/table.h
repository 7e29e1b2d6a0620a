/* table.h - a sortable, filterable table model and its drawing.
 *
 * Rows arrive incrementally (table_add_row, e.g. the samples whose id is
 * above the last one seen: keyset paging on the database side), each with
 * one text and one numeric sort key per column and a stable id.  The view
 * is the filtered, sorted list of row indices; the cursor follows the row
 * it is on (by id) across sorting, filtering and new rows.
 *
 * Invariants:
 *  1. view[0..nview) are distinct indices of rows that match the filter,
 *     ordered by (sort column key, id) ascending, or descending if desc.
 *  2. cursor < nview whenever nview > 0; top <= cursor < top + page
 *     after table_draw with a page of `page` rows.
 * Pure: no curses. */
#ifndef NASVIEW_UI_TABLE_H
#define NASVIEW_UI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "widgets/grid.h"

typedef struct {
    const char *title;
    int width;       /* columns on screen; the last column takes the rest */
    int right;       /* right-aligned (numbers) */
} TableColumn;

typedef struct {
    char **text;     /* [ncols] owned strings */
    double *key;     /* [ncols] sort keys */
    int64_t id;      /* stable identity, unique in the table */
    UiRole role;     /* colour of the row (state), UI_ROLE_NORMAL usually */
} TableRow;

#define TABLE_FILTER_MAX 128

typedef struct {
    const TableColumn *cols;  /* [ncols], not owned */
    int ncols;
    TableRow *rows;
    size_t nrows, cap;
    size_t *view;
    size_t nview;
    int sort_col, sort_desc;
    char filter[TABLE_FILTER_MAX];
    size_t cursor, top;
    int64_t keep_id;       /* cursor row across table_truncate, or -1 */
    int hscroll;           /* characters of the last (long) column scrolled
                              off to the left; table_draw clamps it */
} Table;

/* table_init - an empty table over cols[0..ncols) (kept by pointer). */
void table_init(Table *t, const TableColumn *cols, int ncols);

/* table_done - release every row; the table is empty again. */
void table_done(Table *t);

/* table_clear - drop every row, keep sort and filter. */
void table_clear(Table *t);

/* table_add_row - append a row: text[ncols] is copied; key[ncols] gives
 * the sort keys (for text columns pass anything; they sort by text when
 * the key is NAN).  Call table_update afterwards.  Returns 0 or -1 when out
 * of memory. */
int table_add_row(Table *t, int64_t id, const char *const *text,
                  const double *key, UiRole role);

/* table_truncate - drop rows[n..nrows) (the newest ones: rows keep the
 * order they were added in).  Call table_update afterwards. */
void table_truncate(Table *t, size_t n);

/* table_update - rebuild the view (filter, sort), keeping the cursor on
 * the same row id when it is still visible. */
void table_update(Table *t);

/* table_sort - sort by column col (wrapping), descending when desc. */
void table_sort(Table *t, int col, int desc);

/* table_hscroll - scroll the last column by delta characters (negative:
 * back to its start); table_draw stops it where the longest text of the
 * page ends. */
void table_hscroll(Table *t, int delta);

/* table_set_filter - show only rows containing pattern (case-insensitive,
 * in any column); "" shows everything. */
void table_set_filter(Table *t, const char *pattern);

/* table_move - move the cursor by delta rows, clamped to the view. */
void table_move(Table *t, long delta);

/* table_jump - the cursor to the first (end = 0) or last (end = 1) row. */
void table_jump(Table *t, int end);

/* table_next_match - move the cursor to the next (dir = +1) or previous
 * (dir = -1) row matching the filter, wrapping around.  Returns 1 when
 * the cursor moved. */
int table_next_match(Table *t, int dir);

/* table_current - the row under the cursor, or NULL when the view is
 * empty. */
const TableRow *table_current(const Table *t);

/* table_select_id - put the cursor on row id if visible; returns 1 if so. */
int table_select_id(Table *t, int64_t id);

/* table_draw - header row and as many rows as fit in w x h at (x, y); the
 * sorted column's title carries an arrow (v/^ in ASCII); the cursor row is
 * drawn in UI_ROLE_SELECT.  Adjusts t->top to keep the cursor visible. */
void table_draw(Table *t, UiGrid *g, int x, int y, int w, int h, int ascii);

#endif
