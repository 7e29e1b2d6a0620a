/* curves.h - several curves with confidence bands in one chart: each
 * series is a mean line with a band between lo and hi (its edges and a
 * sparse stipple), in its own role (colour), braille/block/ASCII as plot.h,
 * with labelled axes.  Used by the Compare screen for best-so-far curves
 * per strategy.  Pure: no curses, no database, no statistics. */
#ifndef NASVIEW_UI_CURVES_H
#define NASVIEW_UI_CURVES_H

#include <stddef.h>

#include "widgets/grid.h"
#include "widgets/plot.h"

typedef struct {
    const double *mean; /* [n] the line; entry i is at x = i + 1 */
    const double *lo;   /* [n] lower edge of the band, or NULL (no band) */
    const double *hi;   /* [n] upper edge of the band, or NULL */
    size_t n;
    UiRole role;        /* the series' colour */
} CurveSeries;

/* curves_draw - draw s[ns] into the w x h area of g at (x, y): y labels
 * (top, bottom) left of the axis, x axis and its labels (1, x_unit, the
 * largest n) on the two bottom rows.  The y range covers every finite
 * value, widened to readable steps.  Where series share a character the
 * one whose line passes there wins over bands, later series over earlier.
 * Needs w >= 16 and h >= 4; smaller areas are left blank. */
void curves_draw(UiGrid *g, int x, int y, int w, int h, const CurveSeries *s,
                 size_t ns, PlotMode mode, const char *x_unit);

#endif
