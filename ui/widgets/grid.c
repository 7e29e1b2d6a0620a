/* grid.c - a pure character grid with UI roles (see grid.h): a Canvas
 * with the UI's roles, plus clipping and blitting. */
#include "config.h"

#include <stdlib.h>

#include "widgets/grid.h"

UiGrid *ui_grid_new(int width, int height)
{
    return canvas_new(width, height);
}

void ui_grid_free(UiGrid *g)
{
    canvas_free(g);
}

void ui_grid_put(UiGrid *g, int x, int y, uint32_t ch, UiRole role)
{
    canvas_put(g, x, y, ch, (CanvasRole)role);
}

const UiGridCell *ui_grid_at(const UiGrid *g, int x, int y)
{
    return &g->cells[y * g->width + x];
}

int ui_utf8_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p) {
        ui_utf8_next(&p);
        n++;
    }
    return n;
}

int ui_grid_text(UiGrid *g, int x, int y, const char *utf8, UiRole role)
{
    return canvas_text(g, x, y, utf8, (CanvasRole)role);
}

int ui_grid_text_clip(UiGrid *g, int x, int y, int end, const char *utf8,
                      UiRole role)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    while (*s) {
        uint32_t cp = ui_utf8_next(&s);
        if (x + n >= g->width || x + n >= end)
            break;
        ui_grid_put(g, x + n, y, cp, role);
        n++;
    }
    return n;
}

char *ui_grid_to_utf8(const UiGrid *g)
{
    return canvas_to_utf8(g);
}

void ui_grid_blit_canvas(UiGrid *g, int x, int y, int w, int h, const Canvas *c,
                       int cx, int cy)
{
    for (int r = 0; r < h; r++)
        for (int k = 0; k < w; k++) {
            int sx = cx + k, sy = cy + r;
            if (sx < 0 || sy < 0 || sx >= c->width || sy >= c->height)
                continue;
            const CanvasCell *cell = &c->cells[sy * c->width + sx];
            if (cell->ch == ' ' && cell->role == CANVAS_ROLE_BLANK)
                continue;
            ui_grid_put(g, x + k, y + r, cell->ch,
                        (UiRole)(UI_ROLE_CANVAS + cell->role));
        }
}
