/* progress.c - one-line progress bar (see progress.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets/progress.h"

void progress_draw(UiGrid *g, int x, int y, int w, double frac,
                   const char *label, PlotMode mode)
{
    if (w < 8)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    int label_w = label ? ui_utf8_width(label) : 0;
    int bar_w = w - 2 - 5 - (label_w ? label_w + 1 : 0); /* [] and " 100%" */
    if (bar_w < 4) {
        bar_w = w - 7;
        label_w = 0;
    }
    ui_grid_put(g, x, y, '[', UI_ROLE_DIM);
    double cells = frac * bar_w;
    int full = (int)cells, part = (int)lround((cells - full) * 8);
    if (part == 8) {
        full++;
        part = 0;
    }
    for (int c = 0; c < bar_w; c++) {
        uint32_t ch = ' ';
        if (c < full)
            ch = mode == PLOT_ASCII ? '#' : 0x2588;
        else if (c == full && part > 0)
            ch = mode == PLOT_ASCII ? '>' : 0x2590 - (uint32_t)part;
        ui_grid_put(g, x + 1 + c, y, ch, UI_ROLE_BAR);
    }
    ui_grid_put(g, x + 1 + bar_w, y, ']', UI_ROLE_DIM);
    char buf[16];
    snprintf(buf, sizeof buf, "%4d%%", (int)floor(frac * 100 + 1e-9));
    ui_grid_text(g, x + 2 + bar_w, y, buf, UI_ROLE_NORMAL);
    if (label_w)
        ui_grid_text(g, x + 2 + bar_w + 6, y, label, UI_ROLE_NORMAL);
}
