/* theme.c - role colours and painting onto curses (see theme.h). */
#include "config.h"

#include <curses.h>
#include <wchar.h>

#include "theme.h"

typedef struct {
    short fg;      /* colour, -1 for the terminal's own */
    attr_t attr;   /* with colours */
    attr_t mono;   /* without colours */
} RoleStyle;

#define NROLES (UI_ROLE_CANVAS + CANVAS_ROLE_COUNT)

static const RoleStyle *style_of(int role)
{
    static const RoleStyle ui[UI_ROLE_COUNT] = {
        [UI_ROLE_NORMAL] = { -1, A_NORMAL, A_NORMAL },
        [UI_ROLE_DIM] = { -1, A_DIM, A_DIM },
        [UI_ROLE_AXIS] = { -1, A_NORMAL, A_NORMAL },
        [UI_ROLE_SCATTER] = { COLOR_CYAN, A_NORMAL, A_DIM },
        [UI_ROLE_AVG] = { COLOR_MAGENTA, A_NORMAL, A_NORMAL },
        [UI_ROLE_BEST] = { COLOR_GREEN, A_BOLD, A_BOLD },
        [UI_ROLE_BAR] = { COLOR_BLUE, A_BOLD, A_NORMAL },
        [UI_ROLE_CHOSEN] = { COLOR_GREEN, A_BOLD, A_BOLD | A_UNDERLINE },
        [UI_ROLE_TITLE] = { -1, A_BOLD, A_BOLD },
        [UI_ROLE_GOOD] = { COLOR_GREEN, A_NORMAL, A_NORMAL },
        [UI_ROLE_WARN] = { COLOR_MAGENTA, A_BOLD, A_UNDERLINE },
        [UI_ROLE_BAD] = { COLOR_RED, A_BOLD, A_BOLD },
        [UI_ROLE_SELECT] = { -1, A_REVERSE, A_REVERSE },
        [UI_ROLE_SERIES1] = { COLOR_BLUE, A_BOLD, A_BOLD },
        [UI_ROLE_SERIES2] = { COLOR_RED, A_NORMAL, A_NORMAL },
        [UI_ROLE_SERIES3] = { COLOR_GREEN, A_NORMAL, A_UNDERLINE },
        [UI_ROLE_SERIES4] = { COLOR_MAGENTA, A_NORMAL, A_DIM },
    };
    static const RoleStyle cv[CANVAS_ROLE_COUNT] = {
        [CANVAS_ROLE_BLANK] = { -1, A_NORMAL, A_NORMAL },
        [CANVAS_ROLE_EDGE] = { -1, A_DIM, A_DIM },
        [CANVAS_ROLE_INPUT] = { -1, A_BOLD, A_BOLD },
        [CANVAS_ROLE_UNUSED] = { -1, A_DIM, A_DIM },
        [CANVAS_ROLE_IDENTITY] = { -1, A_NORMAL, A_NORMAL },
        [CANVAS_ROLE_CONV] = { COLOR_BLUE, A_BOLD, A_NORMAL },
        [CANVAS_ROLE_SEP_CONV] = { COLOR_MAGENTA, A_NORMAL, A_NORMAL },
        [CANVAS_ROLE_POOL] = { COLOR_GREEN, A_NORMAL, A_NORMAL },
        [CANVAS_ROLE_COMBINE] = { COLOR_CYAN, A_NORMAL, A_NORMAL },
        [CANVAS_ROLE_OUTPUT] = { -1, A_BOLD, A_BOLD },
        [CANVAS_ROLE_TEXT] = { -1, A_NORMAL, A_NORMAL },
    };
    if (role >= UI_ROLE_CANVAS && role < NROLES)
        return &cv[role - UI_ROLE_CANVAS];
    if (role >= 0 && role < UI_ROLE_COUNT)
        return &ui[role];
    return &ui[UI_ROLE_NORMAL];
}

/* Colour pairs are fixed by colour: pair 1 + COLOR_x, so two roles with the
 * same colour share a pair. */
int theme_init(int no_color)
{
    if (no_color || !has_colors() || start_color() == ERR)
        return 0;
    use_default_colors();
    for (short c = 0; c < 8; c++)
        init_pair((short)(1 + c), c, -1);
    return 1;
}

char theme_ascii(uint32_t cp)
{
    if (cp < 0x80)
        return (char)cp;
    if (cp >= 0x2500 && cp <= 0x257f) {
        switch (cp) {
        case 0x2500: case 0x2501: case 0x254c: case 0x2504: return '-';
        case 0x2502: case 0x2503: case 0x254e: case 0x2506: return '|';
        default: return '+';
        }
    }
    if (cp >= 0x2800 && cp <= 0x28ff)
        return cp == 0x2800 ? ' ' : '.';
    if (cp >= 0x2580 && cp <= 0x259f)
        return '#';
    switch (cp) {
    case 0x25b6: case 0x25ba: case 0x2192: case 0x25b8: return '>';
    case 0x25c0: case 0x2190: return '<';
    case 0x25b2: case 0x2191: return '^';
    case 0x25bc: case 0x2193: return 'v';
    case 0x2026: return '~';
    case 0x00b7: case 0x2022: return '*';
    default: return '?';
    }
}

void theme_paint(const UiGrid *g, int utf8, int colored)
{
    for (int y = 0; y < g->height && y < LINES; y++)
        for (int x = 0; x < g->width && x < COLS; x++) {
            const UiGridCell *c = ui_grid_at(g, x, y);
            const RoleStyle *st = style_of(c->role);
            attr_t attr = colored ? st->attr : st->mono;
            short pair = colored && st->fg >= 0 ? (short)(1 + st->fg) : 0;
            wchar_t wc[2] = { (wchar_t)c->ch, 0 };
            if (!utf8 || c->ch < 0x20)
                wc[0] = (wchar_t)(c->ch < 0x20 ? ' ' : theme_ascii(c->ch));
            cchar_t cc;
            setcchar(&cc, wc, attr, pair, NULL);
            mvadd_wch(y, x, &cc);
        }
}
