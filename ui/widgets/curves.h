/* curves.h - several curves with confidence bands in one chart: each
 * series is a mean line, optionally with a band between lo and hi (its
 * edges and a sparse stipple) or with the curves of its single runs drawn
 * thin (every other dot), in its own role (colour) and with its own marker
 * glyph on the line so that series stay apart without colour;
 * braille/block/ASCII as plot.h, with a y title, y ticks and labelled
 * axes.  Used by the Compare screen for best-so-far curves per strategy.
 * Pure: no curses, no database, no statistics. */
#ifndef NASVIEW_UI_CURVES_H
#define NASVIEW_UI_CURVES_H

#include <stddef.h>
#include <stdint.h>

#include "widgets/grid.h"
#include "widgets/plot.h"

typedef struct {
    const double *mean; /* [n] the line; entry i is at x = i + 1 */
    const double *lo;   /* [n] lower edge of the band, or NULL (no band) */
    const double *hi;   /* [n] upper edge of the band, or NULL */
    size_t n;
    UiRole role;        /* the series' colour */
    const double *const *run; /* [nrun][n] single runs drawn thin, or NULL */
    size_t nrun;
    uint32_t mark;      /* glyph put on the line every few columns and at
                           its end, or 0 for none */
} CurveSeries;

/* curves_draw - draw s[ns] into the w x h area of g at (x, y): y_title
 * (may be NULL) on the top row, y tick labels at readable steps left of
 * the axis (with tick marks on it), x axis and its labels (1, x_unit, the
 * largest n) on the two bottom rows.  The y range covers every finite
 * value, widened to readable steps.  Where series share a character, a
 * mean line wins over runs, runs over band edges, band edges over
 * stipple, and a later series over an earlier one at the same level;
 * where two bands overlap only their edges are drawn, so one band never
 * paints over another.  Needs w >= 16 and h >= 5; smaller areas are left
 * blank. */
void curves_draw(UiGrid *g, int x, int y, int w, int h, const CurveSeries *s,
                 size_t ns, PlotMode mode, const char *x_unit,
                 const char *y_title);

#endif
