/* cellpic.c - cell drawings for the UI (see cellpic.h).  The renderer
 * (cell_draw.h) is not part of this build yet: cells are text. */
#include "config.h"

#include <string.h>

#include "cellpic.h"
#include "cellview.h"

void cellpics_init(CellPics *p)
{
    memset(p, 0, sizeof *p);
}

void cellpics_invalidate(CellPics *p)
{
    for (int c = 0; c < GENO_CELLS; c++)
        p->key[c][0] = '\0';
}

void cellpics_done(CellPics *p)
{
    cellpics_init(p);
}

void cellpics_draw(CellPics *p, UiGrid *grid, int x, int y, int w, int h,
                   const Genotype *g, int cell)
{
    (void)p;
    cellview_draw_text(grid, x, y, w, h, g, cell);
}

NvStatus cellpics_export_svg(const Genotype *g, const char *path, NvError *err)
{
    (void)g;
    return nv_error_set(err, NV_ERR_DEPENDENCY,
                        "cannot write %s: this build has no cell renderer yet",
                        path);
}
