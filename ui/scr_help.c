/* scr_help.c - the help screen: every key the screen below takes, then the
 * keys that work everywhere. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"

typedef struct {
    Screen base;
    Screen *of;   /* the screen the help is about (not owned) */
    int scroll;
} HelpScreen;

static const UiKey global_keys[] = {
    { "?", "this help" },
    { "q / Esc", "back; quit on the first screen" },
    { "Ctrl-L", "redraw the screen" },
    { "Ctrl-C", "quit at once (a search keeps running)" },
    { NULL, NULL },
};

static int help_lines(HelpScreen *h, App *a, const UiKey **rows, int max)
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

static void help_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    HelpScreen *hs = (HelpScreen *)s;
    char title[128];
    snprintf(title, sizeof title, "Keys of the %s screen", hs->of->ops->name);
    ui_grid_text(g, x + 1, y, title, UI_ROLE_TITLE);
    const UiKey *rows[128];
    int n = help_lines(hs, a, rows, 128);
    if (hs->scroll > n - 1)
        hs->scroll = n > 0 ? n - 1 : 0;
    for (int i = hs->scroll, r = 2; i < n && r < h; i++, r++) {
        if (!rows[i]) {
            ui_grid_text(g, x + 1, y + r, "Everywhere", UI_ROLE_TITLE);
            continue;
        }
        ui_grid_text(g, x + 3, y + r, rows[i]->keys, UI_ROLE_CHOSEN);
        ui_grid_text(g, x + 20, y + r, rows[i]->what, UI_ROLE_NORMAL);
    }
}

static int help_key(Screen *s, App *a, int key)
{
    HelpScreen *hs = (HelpScreen *)s;
    (void)a;
    switch (key) {
    case 'j': case UI_KEY_DOWN: hs->scroll++; return 1;
    case 'k': case UI_KEY_UP: if (hs->scroll > 0) hs->scroll--; return 1;
    case 'g': case UI_KEY_HOME: hs->scroll = 0; return 1;
    case '?': app_pop(a); return 1;
    default: return 0;
    }
}

static const UiKey help_keys[] = {
    { "j / k, arrows", "scroll" },
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
