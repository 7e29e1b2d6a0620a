/* progress.h - a one-line progress bar: "[█████▍    ]  54% label".
 * Pure: draws into a UiGrid. */
#ifndef NASVIEW_UI_PROGRESS_H
#define NASVIEW_UI_PROGRESS_H

#include "widgets/grid.h"
#include "widgets/plot.h"

/* progress_draw - the bar for frac (clamped to [0, 1]) at (x, y), w
 * columns in all, the label after the percentage (may be NULL); eighth
 * blocks, or '#' in ASCII mode.  Needs w >= 8. */
void progress_draw(UiGrid *g, int x, int y, int w, double frac,
                   const char *label, PlotMode mode);

#endif
