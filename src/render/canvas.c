/* canvas.c - a character grid with colour roles (see canvas.h). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "render/canvas.h"

Canvas *canvas_new(int width, int height)
{
    /* cells are indexed with int (y * width + x) */
    if (width < 1 || height < 1 || width > INT_MAX / height)
        return NULL;
    Canvas *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->cells = malloc((size_t)width * (size_t)height * sizeof *c->cells);
    if (!c->cells) {
        free(c);
        return NULL;
    }
    c->width = width;
    c->height = height;
    for (int i = 0; i < width * height; i++)
        c->cells[i] = (CanvasCell){ ' ', CANVAS_ROLE_BLANK };
    return c;
}

void canvas_free(Canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    free(c);
}

void canvas_put(Canvas *c, int x, int y, uint32_t ch, CanvasRole role)
{
    if (x < 0 || y < 0 || x >= c->width || y >= c->height)
        return;
    c->cells[y * c->width + x] = (CanvasCell){ ch, (uint8_t)role };
}

uint32_t canvas_utf8_next(const unsigned char **s)
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

int canvas_text(Canvas *c, int x, int y, const char *utf8, CanvasRole role)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    while (*s) {
        uint32_t cp = canvas_utf8_next(&s);
        if (x + n >= c->width)
            break;
        canvas_put(c, x + n, y, cp, role);
        n++;
    }
    return n;
}

size_t canvas_utf8_put(char *out, uint32_t cp)
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

char *canvas_to_utf8(const Canvas *c)
{
    size_t cap = (size_t)c->height * ((size_t)c->width * 4 + 1) + 1, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (int y = 0; y < c->height; y++) {
        size_t row_start = len, row_end = len;
        for (int x = 0; x < c->width; x++) {
            uint32_t ch = c->cells[y * c->width + x].ch;
            len += canvas_utf8_put(out + len, ch ? ch : ' ');
            if (ch && ch != ' ')
                row_end = len;
        }
        len = row_end > row_start ? row_end : row_start;
        out[len++] = '\n';
    }
    out[len] = '\0';
    return out;
}
