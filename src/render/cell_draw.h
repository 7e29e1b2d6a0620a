/* cell_draw.h - a cell drawn with characters from its Graphviz layout.
 *
 * The layout's ranks become columns of boxes (left to right, inputs first),
 * its node order within a rank becomes rows, and edges are routed through
 * the gaps between ranks with line-drawing characters and arrow heads.
 * The result is a Canvas (characters with colour roles) that the UI paints
 * and tests compare with golden text.  No curses and no Graphviz here.
 *
 * When the space is small the drawing degrades in steps: three-row boxes
 * with full labels, one-row boxes, abbreviated labels ("sep5/2", "b0+"),
 * and finally a compact textual form, one line per block.  Abbreviated
 * labels come with a legend (cell_legend.h) on the canvas's last rows. */
#ifndef NASVIEW_CELL_DRAW_H
#define NASVIEW_CELL_DRAW_H

#include "render/canvas.h"
#include "render/cell_graph.h"
#include "space/genotype.h"
#include "base/nv_error.h"

typedef enum {
    CELL_DRAW_BOXES = 0,   /* three-row boxes, full labels */
    CELL_DRAW_ROWS,        /* one-row boxes, full labels */
    CELL_DRAW_ABBREVIATED, /* one-row boxes, abbreviated labels */
    CELL_DRAW_TEXT         /* compact text, one line per block */
} CellDrawStyle;

/* cell_draw_layout - draw laid-out cell l onto a new width x height canvas
 * (both >= 1), choosing the richest style that fits; *style (may be NULL)
 * receives it.  *out is owned by the caller (canvas_free).  Errors:
 * NV_ERR_USAGE for a size below 1x1, NV_ERR_NOMEM. */
NvStatus cell_draw_layout(const CellLayout *l, int width, int height,
                          Canvas **out, CellDrawStyle *style, NvError *err);

/* cell_draw - lay out cell `cell` (GenoCellKind) of g with the context r
 * (NULL makes a temporary one, which is slow; keep one for repeated
 * drawing) and draw it as cell_draw_layout.  Errors as cell_render_layout
 * and cell_draw_layout. */
NvStatus cell_draw(CellRender *r, const Genotype *g, int cell, int width,
                   int height, Canvas **out, NvError *err);

#endif
