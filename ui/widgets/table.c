/* table.c - sortable, filterable table model (see table.h). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/table.h"

void table_init(Table *t, const TableColumn *cols, int ncols)
{
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->ncols = ncols;
    t->keep_id = -1;
}

static void row_free(Table *t, TableRow *r)
{
    for (int c = 0; c < t->ncols; c++)
        free(r->text[c]);
    free(r->text);
    free(r->key);
}

void table_clear(Table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        row_free(t, &t->rows[i]);
    t->nrows = 0;
    t->nview = 0;
    t->cursor = t->top = 0;
}

void table_truncate(Table *t, size_t n)
{
    if (t->nview && t->keep_id < 0)
        t->keep_id = t->rows[t->view[t->cursor]].id;
    while (t->nrows > n)
        row_free(t, &t->rows[--t->nrows]);
    t->nview = 0; /* rebuilt by table_update; the cursor row may be gone */
}

void table_done(Table *t)
{
    table_clear(t);
    free(t->rows);
    free(t->view);
    t->rows = NULL;
    t->view = NULL;
    t->cap = 0;
}

int table_add_row(Table *t, int64_t id, const char *const *text,
                  const double *key, UiRole role)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        TableRow *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        t->rows = rows;
        size_t *view = realloc(t->view, cap * sizeof *view);
        if (!view)
            return -1;
        t->view = view;
        t->cap = cap;
    }
    TableRow r = { calloc((size_t)t->ncols, sizeof(char *)),
                   malloc((size_t)t->ncols * sizeof(double)), id, role };
    if (!r.text || !r.key) {
        free(r.text);
        free(r.key);
        return -1;
    }
    for (int c = 0; c < t->ncols; c++) {
        r.text[c] = strdup(text[c] ? text[c] : "");
        r.key[c] = key ? key[c] : NAN;
        if (!r.text[c]) {
            row_free(t, &r);
            return -1;
        }
    }
    t->rows[t->nrows++] = r;
    return 0;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 1;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int row_matches(const Table *t, const TableRow *r)
{
    if (!t->filter[0])
        return 1;
    for (int c = 0; c < t->ncols; c++)
        if (contains_nocase(r->text[c], t->filter))
            return 1;
    return 0;
}

/* qsort has no context argument: sort pairs that carry their keys. */
typedef struct {
    size_t index;
    double key;
    const char *text;
    int64_t id;
} SortItem;

static int sort_item_cmp(const void *pa, const void *pb)
{
    const SortItem *a = pa, *b = pb;
    if (a->text) {
        int c = strcmp(a->text, b->text);
        if (c)
            return c;
    } else if (a->key != b->key) {
        if (isnan(a->key))
            return -1;
        if (isnan(b->key))
            return 1;
        return a->key < b->key ? -1 : 1;
    }
    return (a->id > b->id) - (a->id < b->id);
}

void table_update(Table *t)
{
    int64_t keep = t->keep_id;
    int had = t->nview > 0 || keep >= 0;
    if (t->nview > 0)
        keep = t->rows[t->view[t->cursor]].id;
    t->keep_id = -1;
    SortItem *items = malloc((t->nrows ? t->nrows : 1) * sizeof *items);
    if (!items)
        return;
    size_t n = 0;
    int col = t->sort_col;
    int by_text = 1;
    for (size_t i = 0; i < t->nrows; i++)
        if (!isnan(t->rows[i].key[col]))
            by_text = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (!row_matches(t, &t->rows[i]))
            continue;
        items[n++] = (SortItem){ i, t->rows[i].key[col],
                                 by_text ? t->rows[i].text[col] : NULL,
                                 t->rows[i].id };
    }
    qsort(items, n, sizeof *items, sort_item_cmp);
    for (size_t i = 0; i < n; i++)
        t->view[i] = items[t->sort_desc ? n - 1 - i : i].index;
    free(items);
    t->nview = n;
    if (t->cursor >= n)
        t->cursor = n ? n - 1 : 0;
    if (had)
        table_select_id(t, keep);
}

void table_sort(Table *t, int col, int desc)
{
    t->sort_col = ((col % t->ncols) + t->ncols) % t->ncols;
    t->sort_desc = desc;
    table_update(t);
}

void table_set_filter(Table *t, const char *pattern)
{
    size_t n = strlen(pattern);
    if (n >= sizeof t->filter)
        n = sizeof t->filter - 1;
    memcpy(t->filter, pattern, n);
    t->filter[n] = '\0';
    table_update(t);
}

void table_move(Table *t, long delta)
{
    if (!t->nview)
        return;
    long c = (long)t->cursor + delta;
    if (c < 0)
        c = 0;
    if (c >= (long)t->nview)
        c = (long)t->nview - 1;
    t->cursor = (size_t)c;
}

void table_jump(Table *t, int end)
{
    t->cursor = end && t->nview ? t->nview - 1 : 0;
}

int table_next_match(Table *t, int dir)
{
    if (t->nview < 2)
        return 0;
    for (size_t step = 1; step < t->nview; step++) {
        size_t i = dir > 0 ? (t->cursor + step) % t->nview
                           : (t->cursor + t->nview - step) % t->nview;
        if (row_matches(t, &t->rows[t->view[i]])) {
            t->cursor = i;
            return 1;
        }
    }
    return 0;
}

const TableRow *table_current(const Table *t)
{
    return t->nview ? &t->rows[t->view[t->cursor]] : NULL;
}

int table_select_id(Table *t, int64_t id)
{
    for (size_t i = 0; i < t->nview; i++)
        if (t->rows[t->view[i]].id == id) {
            t->cursor = i;
            return 1;
        }
    return 0;
}

/* Write s into w columns at (x, y), right-aligned when right, clipped. */
static void cell_text(UiGrid *g, int x, int y, int w, const char *s, int right,
                      UiRole role)
{
    int len = ui_utf8_width(s);
    int off = right && len < w ? w - len : 0;
    const unsigned char *p = (const unsigned char *)s;
    for (int i = 0; *p && off + i < w; i++)
        ui_grid_put(g, x + off + i, y, ui_utf8_next(&p), role);
}

void table_hscroll(Table *t, int delta)
{
    t->hscroll += delta;
    if (t->hscroll < 0)
        t->hscroll = 0;
}

/* skip_chars - s after its first n characters (UTF-8), or its end. */
static const char *skip_chars(const char *s, int n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (int i = 0; i < n && *p; i++)
        ui_utf8_next(&p);
    return (const char *)p;
}

/* clamp_hscroll - no further than to show the end of the longest text of
 * the last column on rows top .. top+page-1 in a column cw wide. */
static void clamp_hscroll(Table *t, int page, int cw)
{
    int longest = 0;
    for (int r = 0; r < page && t->top + (size_t)r < t->nview; r++) {
        int len = ui_utf8_width(t->rows[t->view[t->top + (size_t)r]].text[t->ncols - 1]);
        if (len > longest)
            longest = len;
    }
    int max = longest - (cw - 1);
    if (t->hscroll > max)
        t->hscroll = max > 0 ? max : 0;
}

void table_draw(Table *t, UiGrid *g, int x, int y, int w, int h, int ascii)
{
    if (w < 1 || h < 1)
        return;
    int page = h - 1;
    int cx = x;
    if (page >= 1) {
        if (t->cursor < t->top)
            t->top = t->cursor;
        if (t->cursor >= t->top + (size_t)page)
            t->top = t->cursor - (size_t)page + 1;
        int lx = x;
        for (int c = 0; c < t->ncols - 1; c++)
            lx += t->cols[c].width;
        clamp_hscroll(t, page, x + w - lx);
    }
    for (int c = 0; c < t->ncols && cx < x + w; c++) {
        int cw = c == t->ncols - 1 ? x + w - cx : t->cols[c].width;
        if (cx + cw > x + w)
            cw = x + w - cx;
        char title[64];
        const char *arrow = "";
        if (c == t->sort_col)
            arrow = t->sort_desc ? (ascii ? "v" : "\u25bc") : (ascii ? "^" : "\u25b2");
        if (c == t->ncols - 1 && t->hscroll > 0)
            snprintf(title, sizeof title, "%s%s (from character %d)",
                     t->cols[c].title, arrow, t->hscroll + 1);
        else
            snprintf(title, sizeof title, "%s%s", t->cols[c].title, arrow);
        cell_text(g, cx, y, cw - 1 > 0 ? cw - 1 : cw, title, t->cols[c].right,
                  UI_ROLE_TITLE);
        cx += cw;
    }
    if (page < 1)
        return;
    if (t->cursor < t->top)
        t->top = t->cursor;
    if (t->cursor >= t->top + (size_t)page)
        t->top = t->cursor - (size_t)page + 1;
    for (int r = 0; r < page && t->top + (size_t)r < t->nview; r++) {
        size_t vi = t->top + (size_t)r;
        const TableRow *row = &t->rows[t->view[vi]];
        int sel = vi == t->cursor;
        if (sel)
            for (int i = 0; i < w; i++)
                ui_grid_put(g, x + i, y + 1 + r, ' ', UI_ROLE_SELECT);
        cx = x;
        for (int c = 0; c < t->ncols && cx < x + w; c++) {
            int cw = c == t->ncols - 1 ? x + w - cx : t->cols[c].width;
            if (cx + cw > x + w)
                cw = x + w - cx;
            const char *txt = c == t->ncols - 1
                                  ? skip_chars(row->text[c], t->hscroll)
                                  : row->text[c];
            cell_text(g, cx, y + 1 + r, cw - 1 > 0 ? cw - 1 : cw, txt,
                      t->cols[c].right, sel ? UI_ROLE_SELECT : row->role);
            cx += cw;
        }
    }
}
