/* cellpic.h - cells as pictures in the UI: the renderer's terminal
 * drawing (a Canvas from cell_draw) blitted into the screen, cached per
 * genotype, cell and size so a redraw does not lay the graph out again;
 * and SVG export through the renderer's file export.  Without a renderer
 * in the build a cell is shown as one line per block.  No curses here. */
#ifndef NASVIEW_UI_CELLPIC_H
#define NASVIEW_UI_CELLPIC_H

#include "space/genotype.h"
#include "widgets/grid.h"
#include "base/nv_error.h"

typedef struct {
    void *render;            /* the renderer's context, made on first use */
    void *canvas[GENO_CELLS];/* cached drawings (Canvas *) */
    int w[GENO_CELLS], h[GENO_CELLS];
    char key[GENO_CELLS][GENO_TEXT_MAX]; /* genotype text they show */
    int failed;              /* the renderer failed: text from now on */
    char why[NV_ERROR_MAX];  /* and why */
} CellPics;

/* cellpics_init / cellpics_done - an empty cache; release it. */
void cellpics_init(CellPics *p);
void cellpics_done(CellPics *p);

/* cellpics_invalidate - forget the cached drawings. */
void cellpics_invalidate(CellPics *p);

/* cellpics_draw - cell `cell` of g into the w x h area of grid at (x, y). */
void cellpics_draw(CellPics *p, UiGrid *grid, int x, int y, int w, int h,
                   const Genotype *g, int cell);

/* cellpics_export_svg - both cells of g as one SVG file at path (written
 * whole or not at all), with title (may be NULL) as its caption and the
 * renderer's legend of shapes and colours.  Errors name the path. */
NvStatus cellpics_export_svg(const Genotype *g, const char *title,
                             const char *path, NvError *err);

#endif
