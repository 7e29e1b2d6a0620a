/* cellpic.c - cell drawings for the UI (see cellpic.h): the renderer's
 * terminal drawing (cell_draw.h, laid out by Graphviz's dot), cached per
 * cell, genotype and size; one line per block when the renderer fails
 * (e.g. Graphviz's plugins are missing), with the reason kept. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "render/canvas.h"
#include "render/cell_draw.h"
#include "render/cell_graph.h"
#include "cellpic.h"
#include "cellview.h"

void cellpics_init(CellPics *p)
{
    memset(p, 0, sizeof *p);
}

void cellpics_invalidate(CellPics *p)
{
    for (int c = 0; c < GENO_CELLS; c++) {
        canvas_free(p->canvas[c]);
        p->canvas[c] = NULL;
        p->key[c][0] = '\0';
    }
}

void cellpics_done(CellPics *p)
{
    cellpics_invalidate(p);
    cell_render_free(p->render);
    cellpics_init(p);
}

void cellpics_draw(CellPics *p, UiGrid *grid, int x, int y, int w, int h,
                   const Genotype *g, int cell)
{
    if (w < 1 || h < 1 || cell < 0 || cell >= GENO_CELLS)
        return;
    if (!p->failed) {
        char key[GENO_TEXT_MAX];
        geno_format(g, key, sizeof key);
        if (!p->canvas[cell] || p->w[cell] != w || p->h[cell] != h ||
            strcmp(p->key[cell], key)) {
            NvError err;
            nv_error_clear(&err);
            canvas_free(p->canvas[cell]);
            p->canvas[cell] = NULL;
            if (!p->render && cell_render_new((CellRender **)&p->render, &err) != NV_OK)
                p->failed = 1;
            Canvas *c = NULL;
            if (!p->failed &&
                cell_draw(p->render, g, cell, w, h, &c, &err) != NV_OK)
                p->failed = 1;
            if (p->failed)
                snprintf(p->why, sizeof p->why, "%s", err.msg);
            p->canvas[cell] = c;
            p->w[cell] = w;
            p->h[cell] = h;
            snprintf(p->key[cell], sizeof p->key[cell], "%s", key);
        }
        if (p->canvas[cell]) {
            ui_grid_blit_canvas(grid, x, y, w, h, p->canvas[cell], 0, 0);
            return;
        }
    }
    cellview_draw_text(grid, x, y, w, h, g, cell);
}

NvStatus cellpics_export_svg(const Genotype *g, const char *title,
                             const char *path, NvError *err)
{
    return cell_render_write_titled(NULL, g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG,
                                    title, path, err);
}
