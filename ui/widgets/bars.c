/* bars.c - softmax distributions as sparklines and bars (see bars.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets/bars.h"

double bars_entropy(const float *p, int k)
{
    double h = 0;
    for (int i = 0; i < k; i++)
        if (p[i] > 0)
            h -= (double)p[i] * log((double)p[i]);
    return h;
}

int bars_level(double p)
{
    if (!(p > 0))
        return 0;
    int l = (int)lround(p * 8);
    if (l < 1)
        l = 1;
    return l > 8 ? 8 : l;
}

void bars_spark(UiGrid *g, int x, int y, const float *p, int k, int chosen,
                PlotMode mode)
{
    static const char ascii[] = " .:-=+*##";
    double max = 0;
    for (int i = 0; i < k; i++)
        if (p[i] > max)
            max = p[i];
    for (int i = 0; i < k; i++) {
        int l = max > 0 ? bars_level(p[i] / max) : 0;
        uint32_t ch;
        if (mode == PLOT_ASCII)
            ch = (uint32_t)ascii[l];
        else
            ch = l ? 0x2580 + (uint32_t)l : ' ';
        if (i == chosen && ch == ' ')
            ch = mode == PLOT_ASCII ? '_' : 0x2581;
        ui_grid_put(g, x + i, y, ch, i == chosen ? UI_ROLE_CHOSEN : UI_ROLE_BAR);
    }
}

int bars_draw(UiGrid *g, int x, int y, int w, int h, const float *p, int k,
              int chosen, BarsLabelFn label, void *ctx, PlotMode mode)
{
    int label_w = 0;
    for (int i = 0; i < k; i++) {
        int l = (int)strlen(label(i, ctx));
        if (l > label_w)
            label_w = l;
    }
    int bar_w = w - 2 - label_w - 1 - 7; /* marker, label, space, " 100.0%" */
    if (bar_w < 1)
        bar_w = 1;
    int rows = k < h ? k : h;
    char buf[32];
    for (int i = 0; i < rows; i++) {
        int is = i == chosen;
        UiRole role = is ? UI_ROLE_CHOSEN : UI_ROLE_NORMAL;
        ui_grid_text(g, x, y + i, is ? (mode == PLOT_ASCII ? ">" : "\u25b6") : " ",
                     role);
        ui_grid_text(g, x + 2, y + i, label(i, ctx), role);
        int bx = x + 2 + label_w + 1;
        double cells = (double)p[i] * bar_w;
        int full = (int)cells;
        int part = (int)lround((cells - full) * 8);
        if (part == 8) {
            full++;
            part = 0;
        }
        for (int c = 0; c < full && c < bar_w; c++)
            ui_grid_put(g, bx + c, y + i, mode == PLOT_ASCII ? '#' : 0x2588,
                        is ? UI_ROLE_CHOSEN : UI_ROLE_BAR);
        if (part > 0 && full < bar_w)
            ui_grid_put(g, bx + full, y + i,
                        mode == PLOT_ASCII ? '+' : 0x2590 - (uint32_t)part,
                        is ? UI_ROLE_CHOSEN : UI_ROLE_BAR);
        snprintf(buf, sizeof buf, "%6.1f%%", 100.0 * p[i]);
        ui_grid_text(g, bx + bar_w, y + i, buf, role);
    }
    return rows;
}
