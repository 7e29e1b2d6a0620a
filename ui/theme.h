/* theme.h - what each role looks like in curses, and painting a UiGrid
 * (with a Canvas blitted into it) onto the terminal.
 *
 * Colours use the terminal's own background (use_default_colors) and the
 * eight standard foregrounds, bold where a thin colour would fade, so they
 * read on dark and light terminals alike; with NO_COLOR set (non-empty),
 * or on a terminal without colours, roles map to bold/dim/reverse/underline
 * only.  Non-UTF-8 terminals get ASCII stand-ins for every glyph.  The only
 * curses in the widget set lives here and in app.c. */
#ifndef NASVIEW_UI_THEME_H
#define NASVIEW_UI_THEME_H

#include "widgets/grid.h"

/* theme_init - set up colour pairs after initscr.  Returns 1 when colours
 * are in use, 0 when no_color is set or the terminal has none. */
int theme_init(int no_color);

/* theme_paint - draw the whole grid at the top left of stdscr (no
 * refresh), in colour when colored (theme_init's answer).  Code points
 * >= 0x80 become ASCII stand-ins unless utf8. */
void theme_paint(const UiGrid *g, int utf8, int colored);

/* theme_ascii - the ASCII stand-in for code point cp. */
char theme_ascii(uint32_t cp);

#endif
