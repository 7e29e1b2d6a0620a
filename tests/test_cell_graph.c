/* test_cell_graph.c - a cell as a Graphviz graph: nodes and edges for
 * NASNet-A and for random genotypes using all 13 operations and both
 * combine modes, the layout read back, SVG and DOT rendering, hostile
 * input and output paths, and memory that stays flat over thousands of
 * renders (measured directly, so no leak can hide behind the sanitizer's
 * suppressions of Graphviz). */
#include "config.h"

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/canvas.h"
#include "render/cell_draw.h"
#include "render/cell_graph.h"
#include "check.h"
#include "space/genotype.h"
#include "base/rng.h"

#if defined(__SANITIZE_ADDRESS__)
#define USING_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define USING_ASAN 1
#endif
#endif
#ifdef USING_ASAN
/* From the sanitizer runtime (sanitizer/allocator_interface.h, which not
 * every compiler installs). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* Bytes the process has allocated and not freed. */
static size_t heap_in_use(void)
{
#ifdef USING_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#endif
}

static int count_kind(const CellLayout *l, CellNodeKind kind)
{
    int n = 0;
    for (int i = 0; i < l->nnodes; i++)
        n += l->nodes[i].kind == kind;
    return n;
}

static int has_edge(const CellLayout *l, int from, int to)
{
    for (int e = 0; e < l->nedges; e++)
        if (l->edges[e].from == from && l->edges[e].to == to)
            return 1;
    return 0;
}

/* The node standing for hidden state s (input or combine), or -1. */
static int state_node(const CellLayout *l, int s)
{
    for (int i = 0; i < l->nnodes; i++) {
        const CellNode *n = &l->nodes[i];
        if ((s < 2 && n->kind == CELL_NODE_INPUT && n->state == s) ||
            (s >= 2 && n->kind == CELL_NODE_COMBINE && n->state == s - 2))
            return i;
    }
    return -1;
}

static int op_node(const CellLayout *l, int block, int half)
{
    for (int i = 0; i < l->nnodes; i++)
        if (l->nodes[i].kind == CELL_NODE_OP && l->nodes[i].state == block &&
            l->nodes[i].half == half)
            return i;
    return -1;
}

/* Check that layout l of cell `cell` is exactly genotype g's cell: every op
 * labelled with its name, every edge present, coordinates inside the box
 * and edges running forward in rank. */
static void check_cell(const Genotype *g0, int cell, const CellLayout *l,
                       const char *what)
{
    Genotype g = *g0;
    geno_canonicalize(&g);
    unsigned mask = geno_cell_output_mask(&g, cell);
    CHECK(count_kind(l, CELL_NODE_INPUT) == 2, "%s: inputs", what);
    CHECK(count_kind(l, CELL_NODE_OP) == 2 * GENO_BLOCKS, "%s: ops", what);
    CHECK(count_kind(l, CELL_NODE_COMBINE) == GENO_BLOCKS, "%s: combines", what);
    CHECK(count_kind(l, CELL_NODE_OUTPUT) == 1, "%s: output", what);
    int out = -1;
    for (int i = 0; i < l->nnodes; i++)
        if (l->nodes[i].kind == CELL_NODE_OUTPUT)
            out = i;
    int expected_edges = 4 * GENO_BLOCKS;
    for (int b = 0; b < GENO_BLOCKS; b++) {
        const GenoBlock *k = &g.cells[cell].blocks[b];
        int comb = state_node(l, 2 + b);
        CHECK(comb >= 0 && l->nodes[comb].comb == k->comb, "%s: b%d comb", what, b);
        char want[CELL_LABEL_MAX];
        snprintf(want, sizeof want, "b%d %s", b, geno_comb_name(k->comb));
        CHECK(comb >= 0 && strcmp(l->nodes[comb].label, want) == 0,
              "%s: b%d label '%s'", what, b, comb >= 0 ? l->nodes[comb].label : "");
        for (int half = 1; half <= 2; half++) {
            int in = half == 1 ? k->in1 : k->in2, op = half == 1 ? k->op1 : k->op2;
            int n = op_node(l, b, half);
            CHECK(n >= 0, "%s: b%d op%d missing", what, b, half);
            if (n < 0)
                continue;
            int strided = cell == GENO_CELL_REDUCE && in < 2;
            snprintf(want, sizeof want, "%s%s", geno_op_name(op), strided ? " /2" : "");
            CHECK(l->nodes[n].op == op && strcmp(l->nodes[n].label, want) == 0,
                  "%s: b%d op%d label '%s', expected '%s'", what, b, half,
                  l->nodes[n].label, want);
            CHECK(l->nodes[n].stride2 == strided, "%s: b%d op%d stride", what, b, half);
            CHECK(has_edge(l, state_node(l, in), n), "%s: edge %s -> b%d op%d",
                  what, geno_state_name(in), b, half);
            CHECK(has_edge(l, n, comb), "%s: edge b%d op%d -> combine", what, b, half);
        }
    }
    for (int s = 0; s < GENO_STATES; s++) {
        if (!((mask >> s) & 1))
            continue;
        expected_edges++;
        int from = state_node(l, s);
        if (s < 2)
            CHECK(l->nodes[from].unused && l->nodes[from].role == CANVAS_ROLE_UNUSED,
                  "%s: unused input %d not marked", what, s);
        if (s < 2 && cell == GENO_CELL_REDUCE) {
            int fr = -1;
            for (int i = 0; i < l->nnodes; i++)
                if (l->nodes[i].kind == CELL_NODE_FACT_REDUCE && l->nodes[i].state == s)
                    fr = i;
            CHECK(fr >= 0 && has_edge(l, from, fr) && has_edge(l, fr, out),
                  "%s: unused input %d must pass a factorized reduce", what, s);
            expected_edges++;
        } else {
            CHECK(has_edge(l, from, out), "%s: %s -> output", what, geno_state_name(s));
        }
    }
    CHECK(l->nedges == expected_edges, "%s: %d edges, expected %d", what,
          l->nedges, expected_edges);
    for (int i = 0; i < l->nnodes; i++) {
        const CellNode *n = &l->nodes[i];
        CHECK(n->x >= l->bb_x0 && n->x <= l->bb_x1 && n->y >= l->bb_y0 &&
                  n->y <= l->bb_y1 && n->w > 0 && n->h > 0,
              "%s: node %s outside the layout", what, n->label);
        CHECK(n->rank >= 0 && n->rank < l->nranks, "%s: rank", what);
    }
    for (int e = 0; e < l->nedges; e++)
        CHECK(l->nodes[l->edges[e].from].rank < l->nodes[l->edges[e].to].rank,
              "%s: edge %d runs backwards", what, e);
}

static void test_nasnet(CellRender *r)
{
    CellLayout l;
    NvError err;
    const Genotype *g = geno_nasnet_a();
    CHECK(cell_render_layout(r, g, GENO_CELL_NORMAL, &l, &err) == NV_OK, "%s", err.msg);
    check_cell(g, GENO_CELL_NORMAL, &l, "nasnet-a normal");
    CHECK(l.nnodes == 18 && l.nedges == 25, "normal: %d nodes %d edges", l.nnodes,
          l.nedges);
    CHECK(l.nranks == 4, "normal: %d ranks", l.nranks);
    CHECK(cell_render_layout(r, g, GENO_CELL_REDUCE, &l, &err) == NV_OK, "%s", err.msg);
    check_cell(g, GENO_CELL_REDUCE, &l, "nasnet-a reduce");
    int strided = 0;
    for (int i = 0; i < l.nnodes; i++)
        strided += l.nodes[i].stride2;
    CHECK(strided == 7, "reduce: %d strided ops, expected 7", strided);
    CHECK(l.nedges == 23, "reduce: %d edges", l.nedges);
    CHECK(cell_render_layout(r, g, 2, &l, &err) == NV_ERR_USAGE, "cell 2");
}

static void test_unused_inputs(CellRender *r)
{
    Genotype g;
    NvError err;
    CellLayout l;
    /* Both cells leave h(i-1) unused. */
    CHECK(geno_parse("normal: 1 1 conv_3x3 conv_1x1 concat; 2 1 identity "
                     "sep_conv_3x3 add; 3 2 max_pool_5x5 max_pool_7x7 add; 4 1 "
                     "dil_conv_3x3 conv_1x3_3x1 concat; 5 1 conv_1x7_7x1 "
                     "avg_pool_3x3 add | reduce: 1 1 conv_3x3 conv_1x1 concat; 2 "
                     "1 identity sep_conv_3x3 add; 3 2 max_pool_5x5 max_pool_7x7 "
                     "add; 4 1 dil_conv_3x3 conv_1x3_3x1 concat; 5 1 "
                     "conv_1x7_7x1 avg_pool_3x3 add",
                     &g, &err) == NV_OK,
          "%s", err.msg);
    for (int c = 0; c < GENO_CELLS; c++) {
        CHECK(cell_render_layout(r, &g, c, &l, &err) == NV_OK, "%s", err.msg);
        check_cell(&g, c, &l, c ? "unused reduce" : "unused normal");
        CHECK(count_kind(&l, CELL_NODE_FACT_REDUCE) == c, "fact_reduce nodes");
        CHECK(l.nranks >= 2 * GENO_BLOCKS, "a chain of blocks: %d ranks", l.nranks);
    }
}

static void test_random(CellRender *r)
{
    Rng rng;
    rng_seed(&rng, 20261128, 0);
    unsigned ops_seen = 0, combs_seen = 0;
    int n = 0;
    CellLayout l;
    NvError err;
    while ((ops_seen != (1u << GENO_OPS) - 1 || combs_seen != 3 || n < 12) && n < 200) {
        Genotype g;
        geno_sample_uniform(&g, &rng);
        for (int c = 0; c < GENO_CELLS; c++) {
            for (int b = 0; b < GENO_BLOCKS; b++) {
                const GenoBlock *k = &g.cells[c].blocks[b];
                ops_seen |= 1u << k->op1 | 1u << k->op2;
                combs_seen |= 1u << k->comb;
            }
            char what[32];
            snprintf(what, sizeof what, "random %d %s", n, geno_cell_name(c));
            CHECK(cell_render_layout(r, &g, c, &l, &err) == NV_OK, "%s: %s", what,
                  err.msg);
            check_cell(&g, c, &l, what);
        }
        n++;
    }
    CHECK(ops_seen == (1u << GENO_OPS) - 1 && combs_seen == 3,
          "random genotypes did not cover every op and combine");
}

static int count_str(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_svg_dot(CellRender *r)
{
    char *data;
    size_t len;
    NvError err;
    const Genotype *g = geno_nasnet_a();
    CHECK(cell_render_data(r, g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, &data, &len,
                           &err) == NV_OK,
          "%s", err.msg);
    if (data) {
        CHECK(strlen(data) == len && strstr(data, "<svg") && strstr(data, "</svg>"),
              "svg document");
        /* 18 nodes per cell and a title each, and the legend's caption
         * and nine kinds of node */
        CHECK(count_str(data, "class=\"node\"") == 48, "svg: %d nodes",
              count_str(data, "class=\"node\""));
        CHECK(count_str(data, "<title>legend_") == 10, "svg legend nodes");
        CHECK(count_str(data, ">sep_conv</text>") == 1 &&
                  count_str(data, ">stride 2 (/2)</text>") == 1 &&
                  count_str(data, ">unused input (dashed)</text>") == 1,
              "svg legend labels");
        CHECK(count_str(data, "<title>cell</title>") == 1, "untitled svg's name");
        CHECK(count_str(data, ">sep_conv_3x3</text>") == 4, "svg sep_conv_3x3");
        CHECK(count_str(data, ">sep_conv_7x7 /2</text>") == 2, "svg sep_conv_7x7 /2");
        CHECK(count_str(data, ">normal cell</text>") == 1, "svg normal title");
        free(data);
    }
    CHECK(cell_render_data(r, g, CELL_SELECT_REDUCE, RENDER_FORMAT_SVG, &data,
                           &len, &err) == NV_OK,
          "%s", err.msg);
    if (data) {
        CHECK(count_str(data, "class=\"node\"") == 29, "reduce svg nodes");
        CHECK(count_str(data, "reduction cell") == 1, "reduce svg title");
        free(data);
    }
    CHECK(cell_render_data(NULL, g, CELL_SELECT_NORMAL, RENDER_FORMAT_DOT, &data,
                           &len, &err) == NV_OK,
          "%s", err.msg);
    if (data) {
        CHECK(strncmp(data, "digraph", 7) == 0, "dot header");
        CHECK(count_str(data, "label=\"b0 add\"") == 1, "dot label");
        /* 25 edges of the cell and 2 invisible ones placing its title */
        CHECK(count_str(data, "->") == 27, "dot: %d edges", count_str(data, "->"));
        CHECK(count_str(data, "legend") == 0, "dot with a legend");
        free(data);
    }
    /* A title: the caption at the top and the SVG's <title>, shown as
     * given (Graphviz escapes and XML specials included). */
    const char *title = "search a\\N<&> (rl, seed 1), sample #2: reward 0.5000";
    CHECK(cell_render_picture(r, g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, title,
                              &data, &len, &err) == NV_OK, "%s", err.msg);
    if (data) {
        const char *want = "search a\\N&lt;&amp;&gt; (rl, seed 1), sample #2: "
                           "reward 0.5000";
        char buf[256];
        snprintf(buf, sizeof buf, "<title>%s</title>", want);
        CHECK(count_str(data, buf) == 1, "titled svg's <title>:\n%.600s", data);
        snprintf(buf, sizeof buf, ">%s</text>", want);
        CHECK(count_str(data, buf) == 1, "titled svg's caption");
        CHECK(count_str(data, "<title>legend_") == 10, "titled svg's legend");
        free(data);
    }
    CHECK(cell_render_picture(r, g, CELL_SELECT_NORMAL, RENDER_FORMAT_DOT, title,
                              &data, &len, &err) == NV_OK, "%s", err.msg);
    if (data) {
        CHECK(strstr(data, "label=\"search a\\\\N<&>") != NULL,
              "titled dot: %.300s", data);
        free(data);
    }
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_hostile(CellRender *r)
{
    char dir[] = "/tmp/nasview-render.XXXXXX", file[300], bad_path[320];
    NvError err;
    CellLayout l;
    Canvas *c;
    char *data;
    size_t len;
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    Genotype g = *geno_nasnet_a();
    g.cells[1].blocks[3].op2 = 99;
    g.cells[0].blocks[2].in1 = 6;
    CHECK(cell_render_layout(r, &g, 0, &l, &err) == NV_ERR_PARSE, "bad layout");
    CHECK(strstr(err.msg, "block 2") != NULL, "message names the block: %s", err.msg);
    CHECK(cell_draw(r, &g, 0, 80, 24, &c, &err) == NV_ERR_PARSE && c == NULL,
          "bad draw");
    CHECK(cell_render_data(r, &g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, &data, &len,
                           &err) == NV_ERR_PARSE && data == NULL,
          "bad svg");
    /* a format or selection outside the enums is refused, not guessed */
    data = (char *)1;
    CHECK(cell_render_data(r, geno_nasnet_a(), CELL_SELECT_BOTH,
                           (RenderFormat)7, &data, &len, &err) == NV_ERR_USAGE &&
              data == NULL && strstr(err.msg, "format"),
          "render format 7 accepted: %s", err.msg);
    CHECK(cell_render_data(r, geno_nasnet_a(), (CellSelect)3, RENDER_FORMAT_DOT,
                           &data, &len, &err) == NV_ERR_USAGE && data == NULL,
          "cell selection 3 accepted: %s", err.msg);
    snprintf(file, sizeof file, "%s/cell.svg", dir);
    CHECK(cell_render_file(&g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, file, &err) ==
              NV_ERR_PARSE,
          "bad file");
    CHECK(dir_entries(dir) == 0, "a malformed genotype left a file behind");

    /* An existing file is replaced whole; a failure leaves it alone. */
    const Genotype *ok = geno_nasnet_a();
    CHECK(cell_render_file(ok, CELL_SELECT_NORMAL, RENDER_FORMAT_DOT, file, &err) ==
              NV_OK,
          "%s", err.msg);
    struct stat sb;
    CHECK(stat(file, &sb) == 0 && sb.st_size > 100, "written");
    CHECK(cell_render_file(&g, CELL_SELECT_NORMAL, RENDER_FORMAT_SVG, file, &err) ==
              NV_ERR_PARSE,
          "bad over existing");
    struct stat sb2;
    CHECK(stat(file, &sb2) == 0 && sb2.st_size == sb.st_size, "existing file kept");
    CHECK(dir_entries(dir) == 1, "temporary files left: %d entries", dir_entries(dir));

    /* Unwritable destinations: a directory, a path through a file, a
     * missing directory. */
    CHECK(cell_render_file(ok, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, dir, &err) ==
              NV_ERR_IO,
          "directory");
    CHECK(strstr(err.msg, dir) && strstr(err.msg, "directory"), "message: %s", err.msg);
    snprintf(bad_path, sizeof bad_path, "%s/sub/x.svg", file);
    CHECK(cell_render_file(ok, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, bad_path, &err) ==
              NV_ERR_IO,
          "through a file");
    CHECK(strstr(err.msg, "cannot write") && strstr(err.msg, bad_path), "message: %s",
          err.msg);
    snprintf(bad_path, sizeof bad_path, "%s/missing/x.svg", dir);
    CHECK(cell_render_file(ok, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, bad_path, &err) ==
              NV_ERR_IO,
          "missing directory");
    CHECK(strstr(err.msg, "No such file"), "message: %s", err.msg);
    CHECK(dir_entries(dir) == 1, "temporary files left after failures");
    CHECK(cell_render_file(ok, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, "", &err) !=
              NV_OK,
          "empty path");
    CellSelect sel;
    CHECK(cell_select_parse("both", &sel, &err) == NV_OK && sel == CELL_SELECT_BOTH,
          "both");
    CHECK(cell_select_parse("reduction", &sel, &err) == NV_ERR_USAGE, "reduction");
    unlink(file);
    rmdir(dir);
}

/* Thousands of layouts and drawings and some SVG renders with one context:
 * the heap must not grow.  A graph or layout left behind costs tens of
 * kilobytes each time, so 1 MiB over the run is a leak. */
static void test_memory_flat(CellRender *r)
{
#ifdef USING_ASAN
    const int rounds = 1000;
#else
    const int rounds = 2500;
#endif
    Rng rng;
    rng_seed(&rng, 7, 0);
    NvError err;
    Genotype g;
    size_t before = 0;
    int failures = 0;
    for (int i = 0; i < rounds + 50; i++) {
        if (i == 50)
            before = heap_in_use();
        geno_sample_uniform(&g, &rng);
        Canvas *c = NULL;
        failures += cell_draw(r, &g, i & 1, 80 - i % 40, 24 - i % 12, &c, &err) != NV_OK;
        canvas_free(c);
        if (i % 10 == 0) {
            char *data = NULL;
            size_t len;
            failures += cell_render_data(r, &g, CELL_SELECT_BOTH,
                                         i % 20 ? RENDER_FORMAT_SVG : RENDER_FORMAT_DOT,
                                         &data, &len, &err) != NV_OK;
            free(data);
        }
    }
    size_t after = heap_in_use();
    CHECK(failures == 0, "%d renders failed", failures);
    CHECK(after < before + (1u << 20), "heap grew by %zu bytes over %d renders",
          after - before, rounds);
    printf("heap in use: %zu bytes before, %zu after %d renders\n", before, after,
           rounds);
}

int main(void)
{
    CellRender *r = NULL;
    NvError err;
    CHECK(cell_render_new(&r, &err) == NV_OK, "%s", err.msg);
    if (!r)
        return check_exit("test_cell_graph");
    test_nasnet(r);
    test_unused_inputs(r);
    test_random(r);
    test_svg_dot(r);
    test_hostile(r);
    test_memory_flat(r);
    cell_render_free(r);
    cell_render_free(NULL);
    return check_exit("test_cell_graph");
}
