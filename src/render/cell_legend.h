/* cell_legend.h - the legend of a cell drawing's abbreviated labels.
 *
 * When a cell drawing has to abbreviate its labels ("c13", "sep5/2",
 * "b1&"), a legend under it says what the abbreviations stand for:
 * "sep=sep_conv  c13=conv_1x3_3x1  /2=stride 2  +=add  &=concat", one
 * entry for each family of abbreviation the drawing uses, nothing for the
 * ones it does not.  Entries are laid out in rows of a given width, broken
 * only between entries (one row whenever they fit).  Pure: no Graphviz,
 * no curses. */
#ifndef NASVIEW_CELL_LEGEND_H
#define NASVIEW_CELL_LEGEND_H

#include "render/canvas.h"
#include "render/cell_graph.h"

/* Most entries: the op families, identity, stride, add, concat,
 * fact_reduce ("h-1" and "h" for the inputs and "out" need none). */
#define CELL_LEGEND_MAX 16

typedef struct {
    const char *key;   /* the abbreviation ("sep", "/2", "&") */
    const char *what;  /* what it stands for ("sep_conv", "stride 2") */
    CanvasRole role;   /* the role its key is drawn in */
} CellLegendEntry;

/* cell_legend_entries - the entries that the abbreviated labels of cell
 * graph l need, in a fixed order (operation families in the order the
 * graph first uses them, then identity, stride, add, concat,
 * fact_reduce).  Fills out[0..max) and returns how many.  The
 * strings are static. */
int cell_legend_entries(const CellLayout *l, CellLegendEntry *out, int max);

/* cell_legend_rows - rows that entries e[0..n) take at width columns
 * ("key=what" each, two blanks between entries); 0 when n is 0.  An entry
 * wider than width takes a row of its own (and is cut when drawn). */
int cell_legend_rows(const CellLegendEntry *e, int n, int width);

/* cell_legend_draw - draw e[0..n) into canvas c from row y, on at most
 * rows rows, each key in its role and the rest as text; returns the rows
 * used.  Entries that do not fit in rows rows are left out and the last
 * row ends in "..." instead. */
int cell_legend_draw(Canvas *c, int y, int rows, const CellLegendEntry *e,
                     int n);

#endif
