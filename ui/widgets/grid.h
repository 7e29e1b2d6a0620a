/* grid.h - a pure character grid for the UI's widgets: each cell holds a
 * Unicode code point and a UiRole (what it means, not which colour).
 * Widgets draw into a UiGrid; the painter (theme_paint in ui/theme.c)
 * maps roles to curses attributes; tests read it back as text.  No curses
 * here. */
#ifndef NASVIEW_UI_GRID_H
#define NASVIEW_UI_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "render/canvas.h"

typedef enum {
    UI_ROLE_NORMAL = 0,
    UI_ROLE_DIM,      /* secondary text, grid lines */
    UI_ROLE_AXIS,     /* plot axes and their labels */
    UI_ROLE_SCATTER,  /* raw reward points */
    UI_ROLE_AVG,      /* moving average */
    UI_ROLE_BEST,     /* best-so-far line */
    UI_ROLE_BAR,      /* bars of a distribution */
    UI_ROLE_CHOSEN,   /* the chosen value of a decision */
    UI_ROLE_TITLE,    /* pane titles, headers */
    UI_ROLE_GOOD,     /* done, running */
    UI_ROLE_WARN,     /* paused, stale, interrupted */
    UI_ROLE_BAD,      /* failed, diverged */
    UI_ROLE_SELECT,   /* the row under the cursor */
    UI_ROLE_SERIES1,  /* one colour per compared strategy, */
    UI_ROLE_SERIES2,  /* in the order the comparison lists them */
    UI_ROLE_SERIES3,
    UI_ROLE_SERIES4,
    UI_ROLE_COUNT
} UiRole;

/* Roles of a Canvas (src/canvas.h) live in a UiGrid at this offset. */
#define UI_ROLE_CANVAS 32

/* A UiGrid is a Canvas (src/canvas.h) whose cells carry UiRole values
 * (Canvas roles are copied in at UI_ROLE_CANVAS + role). */
typedef CanvasCell UiGridCell;
typedef Canvas UiGrid;

/* ui_grid_new - a blank width x height grid (both >= 1); NULL on failure.
 * Owned by the caller (ui_grid_free). */
UiGrid *ui_grid_new(int width, int height);

/* ui_grid_free - release g; NULL is a no-op. */
void ui_grid_free(UiGrid *g);

/* ui_grid_put - set one cell; outside the grid is ignored. */
void ui_grid_put(UiGrid *g, int x, int y, uint32_t ch, UiRole role);

/* ui_grid_at - the cell at (x, y); (x, y) must lie inside the grid. */
const UiGridCell *ui_grid_at(const UiGrid *g, int x, int y);

/* ui_grid_text - write UTF-8 text from (x, y) rightwards, clipped at the
 * right edge; returns the number of cells written. */
int ui_grid_text(UiGrid *g, int x, int y, const char *utf8, UiRole role);

/* ui_grid_text_clip - as ui_grid_text, but nothing at or right of
 * column end is written. */
int ui_grid_text_clip(UiGrid *g, int x, int y, int end, const char *utf8,
                      UiRole role);

/* ui_grid_to_utf8 - the grid as text, one line per row, trailing blanks
 * trimmed, each row ending in '\n'.  malloc'ed, owned by the caller; NULL
 * on allocation failure. */
char *ui_grid_to_utf8(const UiGrid *g);

/* ui_utf8_next / ui_utf8_put - canvas_utf8_next / canvas_utf8_put. */
#define ui_utf8_next canvas_utf8_next
#define ui_utf8_put canvas_utf8_put

/* ui_utf8_width - number of code points in a UTF-8 string (every code point
 * the UI emits is one column wide). */
int ui_utf8_width(const char *s);

/* ui_grid_blit_canvas - copy the w x h window of c starting at (cx, cy)
 * into g at (x, y), roles offset by UI_ROLE_CANVAS; blank canvas cells
 * leave g as it is. */
void ui_grid_blit_canvas(UiGrid *g, int x, int y, int w, int h,
                         const Canvas *c, int cx, int cy);

#endif
