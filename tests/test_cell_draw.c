/* test_cell_draw.c - the terminal drawing of a cell.
 *
 * 1. Golden text: NASNet-A's normal and reduction cells at 130x48 (boxes),
 *    80x24 and 40x12 compared with tests/golden/nasnet_a_CELL_WxH.txt.
 *    To regenerate after a deliberate change (then review them by eye):
 *        NASVIEW_UPDATE_GOLDEN=1 make check TESTS=tests/test_cell_draw
 * 2. Colour roles: op families, inputs, output and edges carry their role.
 * 3. Random genotypes using all 13 operations and both combine modes: every
 *    node's label is drawn, and every edge of the graph can be followed on
 *    the canvas, along line-drawing characters, from its source box to an
 *    arrow head in front of its target box.
 * 4. Degradation: smaller canvases give abbreviated labels, then text;
 *    nothing is drawn outside the canvas; tiny and invalid sizes.
 * 5. The legend of abbreviations: drawings with abbreviated labels explain
 *    every abbreviation they use (and no other) on rows under the drawing;
 *    drawings with full labels have none; a legend with too few rows says
 *    that it is cut. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/canvas.h"
#include "render/cell_draw.h"
#include "render/cell_graph.h"
#include "render/cell_legend.h"
#include "check.h"
#include "space/genotype.h"
#include "base/rng.h"

#define ARROW 0x25BAu

static const char *srcdir(void)
{
    const char *s = getenv("SRCDIR");
    return s ? s : ".";
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static Canvas *draw(CellRender *r, const Genotype *g, int cell, int w, int h,
                    CellDrawStyle *style)
{
    CellLayout l;
    NvError err;
    Canvas *c = NULL;
    if (cell_render_layout(r, g, cell, &l, &err) != NV_OK) {
        CHECK(0, "layout: %s", err.msg);
        return NULL;
    }
    CHECK(cell_draw_layout(&l, w, h, &c, style, &err) == NV_OK, "draw: %s", err.msg);
    return c;
}

static void test_golden(CellRender *r)
{
    static const struct {
        int cell, w, h;
        CellDrawStyle style;
    } cases[] = {
        { GENO_CELL_NORMAL, 130, 48, CELL_DRAW_BOXES },
        { GENO_CELL_REDUCE, 130, 48, CELL_DRAW_BOXES },
        { GENO_CELL_NORMAL, 80, 24, CELL_DRAW_ROWS },
        { GENO_CELL_REDUCE, 80, 24, CELL_DRAW_ABBREVIATED },
        { GENO_CELL_NORMAL, 40, 12, CELL_DRAW_ABBREVIATED },
        { GENO_CELL_REDUCE, 40, 12, CELL_DRAW_TEXT },
    };
    int update = getenv("NASVIEW_UPDATE_GOLDEN") != NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/golden/nasnet_a_%s_%dx%d.txt", srcdir(),
                 geno_cell_name(cases[i].cell), cases[i].w, cases[i].h);
        CellDrawStyle style;
        Canvas *c = draw(r, geno_nasnet_a(), cases[i].cell, cases[i].w, cases[i].h,
                         &style);
        if (!c)
            continue;
        char *text = canvas_to_utf8(c);
        CHECK(style == cases[i].style, "%s: style %d, expected %d", path, style,
              cases[i].style);
        if (update) {
            FILE *f = fopen(path, "w");
            CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
            printf("wrote %s\n", path);
        } else {
            char *want = read_file(path);
            CHECK(want != NULL, "missing golden file %s", path);
            if (want && strcmp(want, text) != 0)
                CHECK(0, "%s differs; got:\n%s", path, text);
            free(want);
        }
        free(text);
        canvas_free(c);
    }
}

/* Whether the text starting at (x, y) spells s (ASCII). */
static int text_at(const Canvas *c, int x, int y, const char *s)
{
    for (int i = 0; s[i]; i++)
        if (x + i >= c->width || c->cells[y * c->width + x + i].ch != (uint32_t)s[i])
            return 0;
    return 1;
}

static void test_roles(CellRender *r)
{
    Canvas *c = draw(r, geno_nasnet_a(), GENO_CELL_NORMAL, 130, 48, NULL);
    if (!c)
        return;
    static const struct {
        const char *text;
        CanvasRole role;
    } want[] = {
        { "sep_conv_5x5", CANVAS_ROLE_SEP_CONV }, { "avg_pool_3x3", CANVAS_ROLE_POOL },
        { "identity", CANVAS_ROLE_IDENTITY },     { "h(i-1)", CANVAS_ROLE_INPUT },
        { "b2 add", CANVAS_ROLE_COMBINE },        { "output concat", CANVAS_ROLE_OUTPUT },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        for (int y = 0; y < c->height && !found; y++)
            for (int x = 0; x < c->width && !found; x++)
                if (text_at(c, x, y, want[i].text)) {
                    found = 1;
                    CHECK(c->cells[y * c->width + x].role == want[i].role &&
                              c->cells[y * c->width + x - 2].role == want[i].role,
                          "%s has role %d", want[i].text,
                          c->cells[y * c->width + x].role);
                }
        CHECK(found, "'%s' not drawn", want[i].text);
    }
    int arrows = 0;
    for (int i = 0; i < c->width * c->height; i++)
        if (c->cells[i].ch == ARROW) {
            arrows++;
            CHECK(c->cells[i].role == CANVAS_ROLE_EDGE, "arrow role");
        }
    /* every op, combine and the output has one arrow in front */
    CHECK(arrows == 16, "%d arrow heads, expected 16", arrows);
    canvas_free(c);

    /* an unused input is drawn dashed with the UNUSED role */
    Genotype g;
    NvError err;
    CHECK(geno_parse("normal: 1 1 conv_3x3 conv_1x1 concat; 2 1 identity "
                     "sep_conv_3x3 add; 3 2 max_pool_5x5 max_pool_7x7 add; 4 1 "
                     "dil_conv_3x3 conv_1x3_3x1 concat; 5 1 conv_1x7_7x1 "
                     "avg_pool_3x3 add | reduce: 1 1 conv_3x3 conv_1x1 concat; 2 "
                     "1 identity sep_conv_3x3 add; 3 2 max_pool_5x5 max_pool_7x7 "
                     "add; 4 1 dil_conv_3x3 conv_1x3_3x1 concat; 5 1 "
                     "conv_1x7_7x1 avg_pool_3x3 add",
                     &g, &err) == NV_OK,
          "%s", err.msg);
    c = draw(r, &g, GENO_CELL_REDUCE, 200, 40, NULL);
    if (!c)
        return;
    int dashed = 0, fr = 0;
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++) {
            if (text_at(c, x, y, "h(i-1)"))
                dashed = c->cells[y * c->width + x].role == CANVAS_ROLE_UNUSED &&
                         (c->cells[y * c->width + x - 1].ch == 0x254E ||
                          c->cells[y * c->width + x - 2].ch == 0x254E);
            fr += text_at(c, x, y, "fact_reduce");
        }
    CHECK(dashed, "unused h(i-1) not drawn dashed");
    CHECK(fr == 1, "factorized reduce of the unused input drawn %d times", fr);
    canvas_free(c);
}

/* Line directions of a canvas character, for following edges. */
enum { L = 1, R = 2, U = 4, D = 8 };
static int dirs_of(uint32_t ch)
{
    switch (ch) {
    case 0x2500: return L | R;
    case 0x2502: return U | D;
    case 0x250C: return D | R;
    case 0x2510: return D | L;
    case 0x2514: return U | R;
    case 0x2518: return U | L;
    case 0x251C: return U | D | R;
    case 0x2524: return U | D | L;
    case 0x252C: return L | R | D;
    case 0x2534: return L | R | U;
    case 0x253C: return L | R | U | D;
    case ARROW: return L;
    default: return 0;
    }
}

/* The node whose label starts 1-3 cells right of (x, y), or -1. */
static int node_right_of(const Canvas *c, const CellLayout *l, int x, int y)
{
    int best = -1;
    size_t best_len = 0;
    for (int off = 2; off <= 3; off++)
        for (int i = 0; i < l->nnodes; i++) {
            size_t n = strlen(l->nodes[i].label);
            if (n > best_len && text_at(c, x + off, y, l->nodes[i].label) &&
                x + off + (int)n < c->width &&
                dirs_of(c->cells[y * c->width + x + off + (int)n].ch) == 0 &&
                c->cells[y * c->width + x + off + (int)n].ch != '/')
                best = i, best_len = n;
        }
    return best;
}

/* For every occurrence of node i's label, follow the lines leaving its box
 * and mark, in reach[], the nodes whose arrow heads they lead to. */
static int follow_from(const Canvas *c, const CellLayout *l, int i, int *reach)
{
    const char *label = l->nodes[i].label;
    int n = (int)strlen(label), found = 0;
    unsigned char *seen = calloc((size_t)c->width * (size_t)c->height, 1);
    int *stack = malloc(sizeof *stack * (size_t)c->width * (size_t)c->height);
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x + n < c->width; x++) {
            if (!text_at(c, x, y, label))
                continue;
            uint32_t next = c->cells[y * c->width + x + n].ch;
            if (next == ' ' && x + n + 1 < c->width &&
                c->cells[y * c->width + x + n + 1].ch == '/')
                continue; /* "sep_conv_3x3 /2" is another node */
            found = 1;
            /* the first line cell after the box's right border */
            int sx = -1;
            for (int k = x + n; k < x + n + 4 && k < c->width; k++)
                if (dirs_of(c->cells[y * c->width + k].ch) & L) {
                    sx = k;
                    break;
                }
            if (sx < 0)
                continue;
            int top = 0;
            stack[top++] = y * c->width + sx;
            seen[y * c->width + sx] = 1;
            while (top) {
                int p = stack[--top], px = p % c->width, py = p / c->width;
                uint32_t ch = c->cells[p].ch;
                if (ch == ARROW) {
                    /* labels repeat ("identity" twice): every node
                     * with the label counts as reached */
                    int t = node_right_of(c, l, px, py);
                    for (int j = 0; t >= 0 && j < l->nnodes; j++)
                        if (strcmp(l->nodes[j].label, l->nodes[t].label) == 0)
                            reach[j] = 1;
                    continue;
                }
                int d = dirs_of(ch);
                static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
                static const int need[4] = { R, L, D, U }; /* neighbour's side */
                for (int k = 0; k < 4; k++) {
                    if (!(d & (1 << k)))
                        continue;
                    int nx = px + dx[k], ny = py + dy[k];
                    if (nx < 0 || ny < 0 || nx >= c->width || ny >= c->height)
                        continue;
                    int q = ny * c->width + nx;
                    if (!seen[q] && (dirs_of(c->cells[q].ch) & need[k])) {
                        seen[q] = 1;
                        stack[top++] = q;
                    }
                }
            }
        }
    free(seen);
    free(stack);
    return found;
}

static void check_drawing_edges(const Canvas *c, const CellLayout *l, const char *what)
{
    for (int i = 0; i < l->nnodes; i++) {
        int reach[CELL_MAX_NODES] = { 0 };
        int found = follow_from(c, l, i, reach);
        CHECK(found, "%s: label '%s' not drawn", what, l->nodes[i].label);
        for (int e = 0; e < l->nedges; e++)
            if (l->edges[e].from == i)
                CHECK(reach[l->edges[e].to], "%s: edge %s -> %s not drawn", what,
                      l->nodes[i].label, l->nodes[l->edges[e].to].label);
    }
}

static void test_random(CellRender *r)
{
    Rng rng;
    rng_seed(&rng, 42, 1);
    unsigned ops_seen = 0, combs_seen = 0;
    NvError err;
    for (int n = 0; n < 24; n++) {
        Genotype g;
        geno_sample_uniform(&g, &rng);
        for (int cell = 0; cell < GENO_CELLS; cell++) {
            for (int b = 0; b < GENO_BLOCKS; b++) {
                const GenoBlock *k = &g.cells[cell].blocks[b];
                ops_seen |= 1u << k->op1 | 1u << k->op2;
                combs_seen |= 1u << k->comb;
            }
            CellLayout l;
            CHECK(cell_render_layout(r, &g, cell, &l, &err) == NV_OK, "%s", err.msg);
            static const int sizes[][2] = { { 220, 70 }, { 120, 40 } };
            for (int s = 0; s < 2; s++) {
                Canvas *c = NULL;
                CellDrawStyle style;
                char what[64];
                snprintf(what, sizeof what, "random %d %s %dx%d", n,
                         geno_cell_name(cell), sizes[s][0], sizes[s][1]);
                CHECK(cell_draw_layout(&l, sizes[s][0], sizes[s][1], &c, &style,
                                       &err) == NV_OK,
                      "%s", err.msg);
                if (!c)
                    continue;
                if (s == 0)
                    CHECK(style <= CELL_DRAW_ROWS, "%s: style %d", what, style);
                if (style <= CELL_DRAW_ROWS)
                    check_drawing_edges(c, &l, what);
                canvas_free(c);
            }
        }
    }
    CHECK(ops_seen == (1u << GENO_OPS) - 1 && combs_seen == 3,
          "random genotypes did not cover every op and combine");
}

static void test_sizes(CellRender *r)
{
    NvError err;
    Canvas *c = NULL;
    CHECK(cell_draw(r, geno_nasnet_a(), 0, 0, 10, &c, &err) == NV_ERR_USAGE && !c,
          "zero width");
    CHECK(cell_draw(r, geno_nasnet_a(), 1, 10, -1, &c, &err) == NV_ERR_USAGE && !c,
          "negative height");
    for (int w = 1; w <= 90; w += 7)
        for (int h = 1; h <= 30; h += 5)
            for (int cell = 0; cell < GENO_CELLS; cell++) {
                CellDrawStyle style;
                c = draw(r, geno_nasnet_a(), cell, w, h, &style);
                if (!c)
                    continue;
                CHECK(c->width == w && c->height == h, "size %dx%d", w, h);
                int ink = 0;
                for (int i = 0; i < w * h; i++)
                    ink += c->cells[i].ch != ' ';
                CHECK(ink > 0, "%dx%d: empty drawing", w, h);
                canvas_free(c);
            }
    /* a context-free call works too (slowly) */
    CHECK(cell_draw(NULL, geno_nasnet_a(), 0, 80, 24, &c, &err) == NV_OK, "%s", err.msg);
    canvas_free(c);
}

/* The canvas itself: sizes, clipping, UTF-8 in and out. */
static void test_canvas(void)
{
    CHECK(canvas_new(0, 5) == NULL && canvas_new(5, -1) == NULL,
          "empty canvas made");
    /* more cells than an int counts: refused, not wrapped */
    CHECK(canvas_new(46341, 46341) == NULL, "46341x46341 canvas made");
    Canvas *c = canvas_new(6, 3);
    CHECK(c != NULL, "canvas_new(6, 3)");
    if (!c)
        return;
    /* clipped at the right edge; the count is of cells written */
    CHECK(canvas_text(c, 2, 0, "abcdef", CANVAS_ROLE_TEXT) == 4, "clip count");
    /* multi-byte characters are one cell each; invalid bytes become
     * U+FFFD; a sequence cut by the end of the string stops there */
    CHECK(canvas_text(c, 0, 1, "\xe2\x94\x80\xff\xc3", CANVAS_ROLE_EDGE) == 3,
          "utf-8 count");
    CHECK(c->cells[6].ch == 0x2500 && c->cells[7].ch == 0xfffd &&
              c->cells[8].ch == 0xfffd && c->cells[6].role == CANVAS_ROLE_EDGE,
          "utf-8 decode %x %x %x", c->cells[6].ch, c->cells[7].ch,
          c->cells[8].ch);
    canvas_put(c, -1, 0, 'x', CANVAS_ROLE_TEXT);
    canvas_put(c, 6, 0, 'x', CANVAS_ROLE_TEXT);
    canvas_put(c, 0, 3, 'x', CANVAS_ROLE_TEXT);
    canvas_put(c, 5, 2, 0x1F600, CANVAS_ROLE_TEXT);
    char *text = canvas_to_utf8(c);
    CHECK(text && strcmp(text, "  abcd\n\xe2\x94\x80\xef\xbf\xbd\xef\xbf\xbd\n"
                               "     \xf0\x9f\x98\x80\n") == 0,
          "canvas text:\n%s", text ? text : "(null)");
    free(text);
    canvas_free(c);
    canvas_free(NULL);
}

/* Whether the canvas text has "key=" for the legend entry key. */
static int has_key(const char *text, const char *key)
{
    char want[16];
    snprintf(want, sizeof want, "%s=", key);
    for (const char *p = strstr(text, want); p; p = strstr(p + 1, want))
        if (p == text || p[-1] == ' ' || p[-1] == '\n')
            return 1;
    return 0;
}

static void check_legend(const Canvas *c, const CellLayout *l, CellDrawStyle style,
                         const char *what)
{
    char *text = canvas_to_utf8(c);
    if (!text)
        return;
    int abbrev = style == CELL_DRAW_ABBREVIATED ||
                 (style == CELL_DRAW_TEXT && !strstr(text, " = "));
    if (!abbrev) {
        static const char *const keys[] = { "sep", "max", "avg", "dil", "c",
                                            "c13", "c17", "id", "/2", "+",
                                            "&", "fr" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            CHECK(!has_key(text, keys[i]), "%s: full labels with a legend:\n%s",
                  what, text);
        free(text);
        return;
    }
    int stride = 0, add = 0, concat = 0;
    for (int i = 0; i < l->nnodes; i++) {
        const CellNode *n = &l->nodes[i];
        add |= n->kind == CELL_NODE_COMBINE && n->comb == GENO_COMB_ADD;
        concat |= n->kind == CELL_NODE_COMBINE && n->comb == GENO_COMB_CONCAT;
        if (n->kind != CELL_NODE_OP)
            continue;
        stride |= n->stride2;
        /* "sep5/2" is explained by "sep=", "c13" by "c13=" */
        char key[CELL_LABEL_MAX], fam[CELL_LABEL_MAX];
        snprintf(key, sizeof key, "%s", n->abbrev);
        char *slash = strchr(key, '/');
        if (slash)
            *slash = '\0';
        size_t k = 0;
        while (key[k] >= 'a' && key[k] <= 'z')
            k++;
        snprintf(fam, sizeof fam, "%.*s", (int)k, key);
        CHECK(has_key(text, key) || has_key(text, fam),
              "%s: '%s' not in the legend:\n%s", what, n->abbrev, text);
    }
    CHECK(has_key(text, "/2") == stride, "%s: legend and stride 2 disagree:\n%s",
          what, text);
    CHECK(has_key(text, "+") == add && has_key(text, "&") == concat,
          "%s: legend and combines disagree:\n%s", what, text);
    free(text);
}

static void test_legend(CellRender *r)
{
    Rng rng;
    rng_seed(&rng, 7, 1);
    NvError err;
    int abbreviated = 0;
    for (int n = 0; n < 16; n++) {
        Genotype g;
        geno_sample_uniform(&g, &rng);
        for (int cell = 0; cell < GENO_CELLS; cell++) {
            CellLayout l;
            CHECK(cell_render_layout(r, &g, cell, &l, &err) == NV_OK, "%s", err.msg);
            static const int sizes[][2] = { { 140, 48 }, { 80, 24 }, { 60, 20 },
                                            { 40, 14 } };
            for (int s = 0; s < 4; s++) {
                Canvas *c = NULL;
                CellDrawStyle style;
                char what[64];
                snprintf(what, sizeof what, "legend %d %s %dx%d", n,
                         geno_cell_name(cell), sizes[s][0], sizes[s][1]);
                if (cell_draw_layout(&l, sizes[s][0], sizes[s][1], &c, &style,
                                     &err) != NV_OK) {
                    CHECK(0, "%s: %s", what, err.msg);
                    continue;
                }
                abbreviated += style == CELL_DRAW_ABBREVIATED;
                check_legend(c, &l, style, what);
                canvas_free(c);
            }
        }
    }
    CHECK(abbreviated > 0, "no random cell was drawn abbreviated");
    /* Too few rows: as many entries as fit, then "...". */
    CellLayout l;
    CellLegendEntry e[CELL_LEGEND_MAX];
    CHECK(cell_render_layout(r, geno_nasnet_a(), GENO_CELL_REDUCE, &l, &err) == NV_OK,
          "%s", err.msg);
    int n = cell_legend_entries(&l, e, CELL_LEGEND_MAX);
    CHECK(n == 6, "NASNet-A's reduction cell: %d legend entries", n);
    CHECK(cell_legend_rows(e, n, 80) == 1 && cell_legend_rows(e, n, 30) == 3,
          "legend rows %d at 80, %d at 30", cell_legend_rows(e, n, 80),
          cell_legend_rows(e, n, 30));
    Canvas *c = canvas_new(31, 1); /* room for two entries and "  ..." */
    if (c) {
        CHECK(cell_legend_draw(c, 0, 1, e, n) == 1, "legend on one row");
        char *text = canvas_to_utf8(c);
        CHECK(text && strcmp(text, "sep=sep_conv  max=max_pool  ...\n") == 0,
              "cut legend: %s", text ? text : "(null)");
        free(text);
        canvas_free(c);
    }
}

int main(void)
{
    CellRender *r = NULL;
    NvError err;
    CHECK(cell_render_new(&r, &err) == NV_OK, "%s", err.msg);
    if (!r)
        return check_exit("test_cell_draw");
    test_canvas();
    test_golden(r);
    test_roles(r);
    test_random(r);
    test_sizes(r);
    test_legend(r);
    cell_render_free(r);
    return check_exit("test_cell_draw");
}
