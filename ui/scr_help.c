/* scr_help.c - the help screen: every key the screen below takes, then the
 * keys that work everywhere.
 *
 * Layout: the key column is as wide as its longest entry (own and global
 * keys together), at most half the width; a longer key text, and any
 * description longer than its column, wraps at spaces onto further lines,
 * so a key never runs into its description at any width.  The lines are
 * laid out afresh on every draw (a few dozen rows) and scroll with j/k. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"

typedef struct {
    Screen base;
    Screen *of;   /* the screen the help is about (not owned) */
    int scroll;   /* first visible line */
    int page;     /* lines visible at the last draw */
} HelpScreen;

static const UiKey global_keys[] = {
    { "?", "this help" },
    { "q / Esc", "back; quit on the first screen" },
    { "Ctrl-L", "redraw the screen" },
    { "Ctrl-C", "quit at once (a search keeps running)" },
    { NULL, NULL },
};

#define HELP_MAX_ROWS 128
#define HELP_MAX_LINES 512

/* One line on screen: a part of a key text and a part of its description
 * (byte offsets into them), or a section title. */
typedef struct {
    const char *title;     /* non-NULL: a section title line */
    const char *key;
    int key_len;
    const char *what;
    int what_len;
} HelpLine;

static int help_rows(HelpScreen *h, App *a, const UiKey **rows, int max)
{
    int n = 0;
    const UiKey *k = h->of->ops->keys ? h->of->ops->keys(h->of, a) : NULL;
    for (; k && k->keys && n < max; k++)
        rows[n++] = k;
    if (n < max)
        rows[n++] = NULL; /* separator */
    for (k = global_keys; k->keys && n < max; k++)
        rows[n++] = k;
    return n;
}

/* The first piece of s at most width code points wide, broken after the
 * last space that fits (or hard at width when a word is longer): its
 * length in bytes.  *next gets the start of the rest (spaces skipped). */
static int wrap_piece(const char *s, int width, const char **next)
{
    const unsigned char *p = (const unsigned char *)s;
    const char *brk = NULL;
    int cols = 0;
    while (*p) {
        const unsigned char *at = p;
        uint32_t cp = ui_utf8_next(&p);
        if (cols == width) {
            if (cp == ' ')
                brk = (const char *)at;
            p = at;
            break;
        }
        if (cp == ' ')
            brk = (const char *)at;
        cols++;
    }
    const char *end = (const char *)p;
    if (*p && brk && brk > s)
        end = brk;
    const char *rest = end;
    while (*rest == ' ')
        rest++;
    *next = rest;
    while (end > s && end[-1] == ' ')
        end--;
    return (int)(end - s);
}

/* Lay the rows out for a w-wide screen; returns the lines made and sets
 * *key_w to the key column's width. */
static int help_layout(const UiKey **rows, int n, int w, HelpLine *out,
                       int max, int *key_w)
{
    int kw = 1;
    for (int i = 0; i < n; i++)
        if (rows[i] && ui_utf8_width(rows[i]->keys) > kw)
            kw = ui_utf8_width(rows[i]->keys);
    int cap = (w - 6) / 2;
    if (cap < 4)
        cap = 4;
    if (kw > cap)
        kw = cap;
    int dw = w - 3 - kw - 2 - 1;
    if (dw < 8)
        dw = 8;
    *key_w = kw;
    int m = 0;
    for (int i = 0; i < n && m < max; i++) {
        if (!rows[i]) {
            out[m++] = (HelpLine){ "Everywhere", NULL, 0, NULL, 0 };
            continue;
        }
        const char *k = rows[i]->keys, *d = rows[i]->what;
        while ((*k || *d) && m < max) {
            HelpLine *l = &out[m++];
            memset(l, 0, sizeof *l);
            l->key = k;
            l->key_len = *k ? wrap_piece(k, kw, &k) : 0;
            l->what = d;
            l->what_len = *d ? wrap_piece(d, dw, &d) : 0;
        }
    }
    return m;
}

static void help_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    HelpScreen *hs = (HelpScreen *)s;
    char buf[256];
    snprintf(buf, sizeof buf, "Keys of the %s screen", hs->of->ops->name);
    ui_grid_text(g, x + 1, y, buf, UI_ROLE_TITLE);
    const UiKey *rows[HELP_MAX_ROWS];
    int n = help_rows(hs, a, rows, HELP_MAX_ROWS);
    HelpLine *lines = malloc(HELP_MAX_LINES * sizeof *lines);
    if (!lines) {
        ui_grid_text(g, x + 1, y + 2, "out of memory", UI_ROLE_BAD);
        return;
    }
    int kw, m = help_layout(rows, n, w, lines, HELP_MAX_LINES, &kw);
    int page = h - 3 > 1 ? h - 3 : 1; /* title, blank, and a "more" line */
    hs->page = page;
    if (hs->scroll > m - page)
        hs->scroll = m - page > 0 ? m - page : 0;
    int r = 2;
    for (int i = hs->scroll; i < m && r < 2 + page; i++, r++) {
        const HelpLine *l = &lines[i];
        if (l->title) {
            ui_grid_text(g, x + 1, y + r, l->title, UI_ROLE_TITLE);
            continue;
        }
        snprintf(buf, sizeof buf, "%.*s", l->key_len, l->key);
        ui_grid_text(g, x + 3, y + r, buf, UI_ROLE_CHOSEN);
        snprintf(buf, sizeof buf, "%.*s", l->what_len, l->what);
        ui_grid_text(g, x + 3 + kw + 2, y + r, buf, UI_ROLE_NORMAL);
    }
    if (hs->scroll > 0 || hs->scroll + page < m) {
        snprintf(buf, sizeof buf, "lines %d-%d of %d%s", hs->scroll + 1,
                 hs->scroll + page < m ? hs->scroll + page : m, m,
                 hs->scroll + page < m ? "  (j / PgDn: more)" : "");
        ui_grid_text(g, x + 1, y + 2 + page, buf, UI_ROLE_DIM);
    }
    free(lines);
}

static int help_key(Screen *s, App *a, int key)
{
    HelpScreen *hs = (HelpScreen *)s;
    (void)a;
    /* Scrolling past the end is clamped by the next draw. */
    switch (key) {
    case 'j': case UI_KEY_DOWN: hs->scroll++; return 1;
    case 'k': case UI_KEY_UP: if (hs->scroll > 0) hs->scroll--; return 1;
    case UI_KEY_NPAGE: case ' ': hs->scroll += hs->page > 1 ? hs->page - 1 : 1; return 1;
    case UI_KEY_PPAGE:
        hs->scroll -= hs->page > 1 ? hs->page - 1 : 1;
        if (hs->scroll < 0)
            hs->scroll = 0;
        return 1;
    case 'g': case UI_KEY_HOME: hs->scroll = 0; return 1;
    case 'G': case UI_KEY_END: hs->scroll = HELP_MAX_LINES; return 1;
    case '?': app_pop(a); return 1;
    default: return 0;
    }
}

static const UiKey help_keys[] = {
    { "j / k, arrows", "scroll a line" },
    { "PgDn / PgUp, Space", "scroll a page" },
    { "g / G, Home/End", "top / bottom" },
    { "q / Esc / ?", "close the help" },
    { NULL, NULL },
};

static const UiKey *help_keylist(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return help_keys;
}

static const char *help_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "j/k scroll  q close";
}

static void help_free(Screen *s)
{
    free(s);
}

static const ScreenOps help_ops = {
    "Help", help_draw, help_key, NULL, help_keylist, help_hint, help_free,
};

Screen *scr_help_new(App *a, Screen *of)
{
    (void)a;
    HelpScreen *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.ops = &help_ops;
    h->of = of;
    return &h->base;
}
