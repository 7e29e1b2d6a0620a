/* bars.h - a controller decision's softmax distribution: its entropy, a
 * one-line sparkline (one character per value), and full horizontal bars
 * with the chosen value marked.  Pure: draws into a UiGrid. */
#ifndef NASVIEW_UI_BARS_H
#define NASVIEW_UI_BARS_H

#include "widgets/grid.h"
#include "widgets/plot.h"

/* bars_entropy - Shannon entropy in nats of p[0..k) (zeros contribute
 * nothing; p need not be normalised exactly). */
double bars_entropy(const float *p, int k);

/* bars_level - how many eighths (0..8) of a full character a probability p
 * fills; any p > 0 shows at least one eighth. */
int bars_level(double p);

/* bars_spark - draw p[0..k) as k characters at (x, y): vertical eighth
 * blocks (or " .:-=+*#" in ASCII mode) scaled to the row's own maximum
 * (the likeliest value is a full block, so a near-uniform distribution
 * over 13 values still shows its shape), the chosen value in
 * UI_ROLE_CHOSEN, the others in UI_ROLE_BAR. */
void bars_spark(UiGrid *g, int x, int y, const float *p, int k, int chosen,
                PlotMode mode);

/* Labels for bars_draw: the name of value v. */
typedef const char *(*BarsLabelFn)(int v, void *ctx);

/* bars_draw - one row per value from (x, y), at most h rows, w wide:
 * a marker for the chosen value, its label, a horizontal bar (eighth
 * blocks, or '#' in ASCII mode) and the percentage.  Returns rows used. */
int bars_draw(UiGrid *g, int x, int y, int w, int h, const float *p, int k,
              int chosen, BarsLabelFn label, void *ctx, PlotMode mode);

#endif
