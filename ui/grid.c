/* grid.c - a pure character grid with UI roles (see grid.h). */
#include "config.h"

#include <stdlib.h>

#include "grid.h"

UiGrid *ui_grid_new(int width, int height)
{
    if (width < 1 || height < 1)
        return NULL;
    UiGrid *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->cells = malloc((size_t)width * (size_t)height * sizeof *g->cells);
    if (!g->cells) {
        free(g);
        return NULL;
    }
    g->width = width;
    g->height = height;
    for (int i = 0; i < width * height; i++)
        g->cells[i] = (UiGridCell){ ' ', UI_ROLE_NORMAL };
    return g;
}

void ui_grid_free(UiGrid *g)
{
    if (!g)
        return;
    free(g->cells);
    free(g);
}

void ui_grid_put(UiGrid *g, int x, int y, uint32_t ch, UiRole role)
{
    if (x < 0 || y < 0 || x >= g->width || y >= g->height)
        return;
    g->cells[y * g->width + x] = (UiGridCell){ ch, (uint8_t)role };
}

const UiGridCell *ui_grid_at(const UiGrid *g, int x, int y)
{
    return &g->cells[y * g->width + x];
}

uint32_t ui_utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp;
    int extra;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    if ((p[0] & 0xe0) == 0xc0)
        cp = p[0] & 0x1f, extra = 1;
    else if ((p[0] & 0xf0) == 0xe0)
        cp = p[0] & 0x0f, extra = 2;
    else if ((p[0] & 0xf8) == 0xf0)
        cp = p[0] & 0x07, extra = 3;
    else {
        *s = p + 1;
        return 0xfffd;
    }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s = p + i;
            return 0xfffd;
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    *s = p + extra + 1;
    return cp;
}

size_t ui_utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
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
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    while (*s) {
        uint32_t cp = ui_utf8_next(&s);
        if (x + n >= g->width)
            break;
        ui_grid_put(g, x + n, y, cp, role);
        n++;
    }
    return n;
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
    size_t cap = (size_t)g->height * ((size_t)g->width * 4 + 1) + 1, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (int y = 0; y < g->height; y++) {
        size_t row_start = len, row_end = len;
        for (int x = 0; x < g->width; x++) {
            uint32_t ch = g->cells[y * g->width + x].ch;
            len += ui_utf8_put(out + len, ch ? ch : ' ');
            if (ch && ch != ' ')
                row_end = len;
        }
        len = row_end > row_start ? row_end : row_start;
        out[len++] = '\n';
    }
    out[len] = '\0';
    return out;
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
