/* canvas.h - a drawing as plain data: a grid of characters, each with a
 * colour role.  The renderer fills it from a Graphviz layout; the UI paints
 * it with curses; tests compare it with golden text.  No curses and no
 * Graphviz here. */
#ifndef NASVIEW_CANVAS_H
#define NASVIEW_CANVAS_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"

typedef enum {
    CANVAS_ROLE_BLANK = 0,
    CANVAS_ROLE_EDGE,       /* lines and arrow heads */
    CANVAS_ROLE_INPUT,      /* h(i-1), h(i) */
    CANVAS_ROLE_UNUSED,     /* an input or state that feeds only the output */
    CANVAS_ROLE_IDENTITY,   /* op family: identity / factorized reduce */
    CANVAS_ROLE_CONV,       /* op family: plain, factorised and dilated convs */
    CANVAS_ROLE_SEP_CONV,   /* op family: separable convs */
    CANVAS_ROLE_POOL,       /* op family: pooling */
    CANVAS_ROLE_COMBINE,    /* add / concat nodes */
    CANVAS_ROLE_OUTPUT,     /* the cell's output concat */
    CANVAS_ROLE_TEXT,       /* captions and other text */
    CANVAS_ROLE_COUNT
} CanvasRole;

typedef struct {
    uint32_t ch;  /* Unicode code point; ' ' for blank */
    uint8_t role; /* CanvasRole */
} CanvasCell;

typedef struct {
    int width, height;
    CanvasCell *cells; /* [height][width], owned by the Canvas */
} Canvas;

/* canvas_new - a blank width x height canvas (both >= 1, at most INT_MAX
 * cells); NULL on failure.
 * The caller owns it (canvas_free). */
Canvas *canvas_new(int width, int height);

/* canvas_free - release c; NULL is a no-op. */
void canvas_free(Canvas *c);

/* canvas_put - set one cell; coordinates outside the canvas are ignored. */
void canvas_put(Canvas *c, int x, int y, uint32_t ch, CanvasRole role);

/* canvas_text - write UTF-8 text from (x, y) rightwards, clipped at the
 * edge; returns the number of cells written. */
int canvas_text(Canvas *c, int x, int y, const char *utf8, CanvasRole role);

/* canvas_utf8_next - decode the UTF-8 sequence at *s and advance *s past
 * it; a malformed sequence decodes as U+FFFD.  *s must point at a non-NUL
 * byte. */
uint32_t canvas_utf8_next(const unsigned char **s);

/* canvas_utf8_put - encode code point cp as UTF-8 into out (room for 4
 * bytes); returns the number of bytes written. */
size_t canvas_utf8_put(char *out, uint32_t cp);

/* canvas_to_utf8 - the canvas as text, one line per row, trailing blanks
 * trimmed, each row ending in '\n'.  The string is malloc'ed and owned by
 * the caller; NULL on allocation failure. */
char *canvas_to_utf8(const Canvas *c);

#endif
