/* cellview.h - the parts of a sample that the live view and the sample
 * detail share: a cell (as a drawing when the renderer is available, else
 * as one line per block) and the list of its decisions with their
 * distributions.  Pure: draws into a UiGrid. */
#ifndef NASVIEW_UI_CELLVIEW_H
#define NASVIEW_UI_CELLVIEW_H

#include "space/genotype.h"
#include "widgets/grid.h"
#include "widgets/plot.h"
#include "store/store.h"

/* cellview_op_role - the colour role of op's family (identity, conv,
 * separable conv, pooling), as a UiGrid role. */
UiRole cellview_op_role(int op);

/* cellview_draw_text - cell `cell` of g as text at (x, y), one line per
 * block ("b0 = sep_conv_5x5(h(i)) + identity(b1)"), then the states
 * concatenated at the output; op names in their family's role.  Returns
 * the rows used (at most h). */
int cellview_draw_text(UiGrid *grid, int x, int y, int w, int h,
                       const Genotype *g, int cell);

/* cellview_decisions - the decisions dec[0..n) from row `top` on, one
 * per line: cell, block and field, the chosen value, a sparkline of the
 * distribution (chosen value highlighted), the chosen value's probability
 * and the entropy in nats.  Row `sel` (or -1) is highlighted.  Returns
 * the rows used. */
int cellview_decisions(UiGrid *grid, int x, int y, int w, int h,
                       const StoreDecision *dec, int n, int top, int sel,
                       PlotMode mode);

/* cellview_genotype_wrap - break genotype text t into lines at most w
 * code points wide, at block boundaries (after "; ") and always after the
 * normal cell (" | "), so no operation name is split; a block wider than
 * w (only for w below 40 or so) breaks at a space, or hard.  Line i is
 * t[start[i] .. start[i] + len[i]); the lines joined with one space give
 * t back.  Returns the number of lines (at most max). */
int cellview_genotype_wrap(const char *t, int w, int *start, int *len, int max);

/* cellview_decisions_title - the column titles matching
 * cellview_decisions, at (x, y). */
void cellview_decisions_title(UiGrid *grid, int x, int y, int w);

#endif
