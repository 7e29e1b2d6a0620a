/* cell_graph.c - a cell as a Graphviz graph: build, lay out with dot,
 * render to SVG or DOT (see cell_graph.h).
 *
 * Invariants, from Debian 12's Graphviz 2.42 (PLATFORM.md):
 * 1. Only this file includes gvc.h (it clashes with curses.h over `box`).
 * 2. Every graph is freed in the order gvFreeLayout -> agclose, and no
 *    graph is changed while a layout is attached to it.
 * 3. Every node is fixedsize with a width computed from its label, so the
 *    layout does not depend on which text-layout plugin is installed and
 *    golden drawings stay stable.
 * 4. Layout coordinates are read from ND_coord/ND_rank/ED_spl/GD_bb, never
 *    from the "pos" attributes (they exist only after attach_attrs).
 * 5. One Graphviz context for the whole process, made on first use and
 *    never freed: Graphviz's pango text-layout plugin keeps, in a static
 *    variable, a pointer to a font name owned by the context it last
 *    served, so a context made after another was freed reads freed memory
 *    (seen under AddressSanitizer with 2.42).  This is the one piece of
 *    process-wide state in nasview; Graphviz is not thread-safe anyway. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "base/outfile.h"
#include "render/cell_graph.h"

struct CellRender {
    GVC_t *gvc; /* the process's context (invariant 5), not owned */
};

static GVC_t *process_gvc;

/* The message for a missing plugin: Debian's libgvc6 ships the plugins
 * and registers them when installed (graphviz depends on it). */
#define PLUGIN_HINT                                                          \
    "install the Debian packages libgvc6 and graphviz (apt-get install "     \
    "libgvc6 graphviz); if they are installed, register the plugins with "  \
    "'dot -c' as root"

static const char *const op_abbrev[GENO_OPS] = {
    "id", "c13", "c17", "dil3", "avg3", "max3", "max5",
    "max7", "c1", "c3", "sep3", "sep5", "sep7",
};

static CanvasRole op_role(int op)
{
    switch (op) {
    case GENO_OP_IDENTITY:
        return CANVAS_ROLE_IDENTITY;
    case GENO_OP_AVG_POOL_3X3:
    case GENO_OP_MAX_POOL_3X3:
    case GENO_OP_MAX_POOL_5X5:
    case GENO_OP_MAX_POOL_7X7:
        return CANVAS_ROLE_POOL;
    case GENO_OP_SEP_CONV_3X3:
    case GENO_OP_SEP_CONV_5X5:
    case GENO_OP_SEP_CONV_7X7:
        return CANVAS_ROLE_SEP_CONV;
    default:
        return CANVAS_ROLE_CONV;
    }
}

NvStatus cell_render_new(CellRender **out, NvError *err)
{
    *out = NULL;
    CellRender *r = calloc(1, sizeof *r);
    if (!r)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    if (!process_gvc) {
        /* Graphviz prints its own errors on stderr; ours say more, and
         * name the package to install. */
        agseterr(AGMAX);
        process_gvc = gvContext();
    }
    r->gvc = process_gvc;
    if (!r->gvc) {
        free(r);
        return nv_error_set(err, NV_ERR_DEPENDENCY,
                            "Graphviz could not start: " PLUGIN_HINT);
    }
    *out = r;
    return NV_OK;
}

void cell_render_free(CellRender *r)
{
    free(r); /* the Graphviz context lives on (invariant 5) */
}

NvStatus cell_select_parse(const char *text, CellSelect *out, NvError *err)
{
    static const char *const names[] = { "normal", "reduce", "both" };
    enum { N = sizeof names / sizeof names[0] };
    _Static_assert(N == CELL_SELECT_BOTH + 1, "a name for every selection");
    for (int i = 0; i < N; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (CellSelect)i;
            return NV_OK;
        }
    return nv_error_set(err, NV_ERR_USAGE,
                        "--cell '%s' is not one of normal, reduce, both", text);
}

/* ---- the graph as plain data ------------------------------------------ */

static CellNode *add_node(CellLayout *l, CellNodeKind kind, int state,
                          CanvasRole role)
{
    CellNode *n = &l->nodes[l->nnodes++];
    n->kind = kind;
    n->state = state;
    n->op = -1;
    n->comb = -1;
    n->role = role;
    return n;
}

static void add_edge(CellLayout *l, int from, int to, int unused)
{
    CellEdge *e = &l->edges[l->nedges++];
    e->from = from;
    e->to = to;
    e->unused = unused;
}

void cell_graph_build(const Genotype *g0, int cell, CellLayout *l)
{
    Genotype g = *g0;
    int state_node[GENO_STATES], gathered[GENO_STATES], ngathered = 0;
    geno_canonicalize(&g);
    memset(l, 0, sizeof *l);
    l->cell = cell;
    unsigned mask = geno_cell_output_mask(&g, cell);

    for (int s = 0; s < 2; s++) {
        int unused = (mask >> s) & 1;
        CellNode *n = add_node(l, CELL_NODE_INPUT, s,
                               unused ? CANVAS_ROLE_UNUSED : CANVAS_ROLE_INPUT);
        n->unused = unused;
        snprintf(n->label, sizeof n->label, "%s", geno_state_name(s));
        snprintf(n->abbrev, sizeof n->abbrev, "%s", s ? "h" : "h-1");
        state_node[s] = l->nnodes - 1;
    }
    for (int b = 0; b < GENO_BLOCKS; b++) {
        const GenoBlock *k = &g.cells[cell].blocks[b];
        int ops[2];
        for (int half = 0; half < 2; half++) {
            int in = half ? k->in2 : k->in1, op = half ? k->op2 : k->op1;
            CellNode *n = add_node(l, CELL_NODE_OP, b, op_role(op));
            n->op = op;
            n->half = half + 1;
            n->stride2 = cell == GENO_CELL_REDUCE && in < 2;
            snprintf(n->label, sizeof n->label, "%s%s", geno_op_name(op),
                     n->stride2 ? " /2" : "");
            snprintf(n->abbrev, sizeof n->abbrev, "%s%s", op_abbrev[op],
                     n->stride2 ? "/2" : "");
            ops[half] = l->nnodes - 1;
            add_edge(l, state_node[in], ops[half], in < 2 && ((mask >> in) & 1));
        }
        CellNode *c = add_node(l, CELL_NODE_COMBINE, b, CANVAS_ROLE_COMBINE);
        c->comb = k->comb;
        snprintf(c->label, sizeof c->label, "b%d %s", b, geno_comb_name(k->comb));
        snprintf(c->abbrev, sizeof c->abbrev, "b%d%c", b,
                 k->comb == GENO_COMB_ADD ? '+' : '&');
        state_node[2 + b] = l->nnodes - 1;
        add_edge(l, ops[0], state_node[2 + b], 0);
        add_edge(l, ops[1], state_node[2 + b], 0);
    }
    for (int s = 0; s < GENO_STATES; s++) {
        if (!((mask >> s) & 1))
            continue;
        int src = state_node[s];
        if (s < 2 && cell == GENO_CELL_REDUCE) {
            CellNode *f = add_node(l, CELL_NODE_FACT_REDUCE, s,
                                   CANVAS_ROLE_IDENTITY);
            snprintf(f->label, sizeof f->label, "fact_reduce");
            snprintf(f->abbrev, sizeof f->abbrev, "fr");
            add_edge(l, src, l->nnodes - 1, 1);
            src = l->nnodes - 1;
        }
        gathered[ngathered++] = src;
    }
    CellNode *o = add_node(l, CELL_NODE_OUTPUT, -1, CANVAS_ROLE_OUTPUT);
    snprintf(o->label, sizeof o->label, "output concat");
    snprintf(o->abbrev, sizeof o->abbrev, "out");
    for (int i = 0; i < ngathered; i++) {
        int from = gathered[i];
        int unused = l->nodes[from].kind != CELL_NODE_COMBINE;
        add_edge(l, from, l->nnodes - 1, unused);
    }
}

/* ---- the graph in Graphviz --------------------------------------------- */

/* Shape, style and fill of a node: families differ in both shape and
 * colour, so a monochrome print still tells them apart. */
static void style_node(Agnode_t *n, const CellNode *cn)
{
    const char *shape = "box", *style = "filled", *fill = "#ffffff";
    switch (cn->role) {
    case CANVAS_ROLE_INPUT:
        shape = "parallelogram", fill = "#e8e8e8";
        break;
    case CANVAS_ROLE_UNUSED:
        shape = "parallelogram", style = "dashed", fill = "#ffffff";
        break;
    case CANVAS_ROLE_IDENTITY:
        shape = "box", style = "rounded,filled", fill = "#dddddd";
        break;
    case CANVAS_ROLE_CONV:
        shape = "box", fill = "#9ecae1";
        break;
    case CANVAS_ROLE_SEP_CONV:
        shape = "box3d", fill = "#a1d99b";
        break;
    case CANVAS_ROLE_POOL:
        shape = "hexagon", fill = "#fdd0a2";
        break;
    case CANVAS_ROLE_COMBINE:
        shape = "ellipse", fill = "#fff3b0";
        break;
    case CANVAS_ROLE_OUTPUT:
        shape = "doubleoctagon", fill = "#dadaeb";
        break;
    default:
        break;
    }
    char width[32];
    /* 10-point Helvetica averages under 6 points a character; the margin
     * leaves room for slanted and pointed shapes. */
    snprintf(width, sizeof width, "%.2f",
             ((double)strlen(cn->label) * 6.2 + 26.0) / 72.0);
    agsafeset(n, "label", (char *)cn->label, "");
    agsafeset(n, "shape", (char *)shape, "");
    agsafeset(n, "style", (char *)style, "");
    agsafeset(n, "fillcolor", (char *)fill, "");
    agsafeset(n, "width", width, "");
    if (cn->stride2)
        agsafeset(n, "peripheries", "2", "");
    if (cn->role == CANVAS_ROLE_UNUSED)
        agsafeset(n, "color", "#777777", "");
}

/* Add cell l's nodes and edges to graph (or subgraph) sg, node names
 * prefixed by prefix.  nodes/edges receive the Graphviz objects. */
static int graph_add_cell(Agraph_t *sg, const CellLayout *l, const char *prefix,
                          Agnode_t **nodes, Agedge_t **edges)
{
    char name[32];
    for (int i = 0; i < l->nnodes; i++) {
        snprintf(name, sizeof name, "%s%d", prefix, i);
        nodes[i] = agnode(sg, name, 1);
        if (!nodes[i])
            return -1;
        style_node(nodes[i], &l->nodes[i]);
    }
    for (int i = 0; i < l->nedges; i++) {
        edges[i] = agedge(sg, nodes[l->edges[i].from], nodes[l->edges[i].to],
                          NULL, 1);
        if (!edges[i])
            return -1;
        if (l->edges[i].unused)
            agsafeset(edges[i], "style", "dashed", "");
    }
    return 0;
}

/* A new root graph named name (an SVG's <title>) with the defaults every
 * picture shares. */
static Agraph_t *graph_open(const char *name)
{
    Agraph_t *g = agopen((char *)name, Agdirected, NULL);
    if (!g)
        return NULL;
    agattr(g, AGRAPH, "rankdir", "LR");
    agattr(g, AGRAPH, "nodesep", "0.12");
    agattr(g, AGRAPH, "ranksep", "0.3");
    agattr(g, AGRAPH, "fontname", "Helvetica");
    agattr(g, AGRAPH, "fontsize", "12");
    agattr(g, AGNODE, "fixedsize", "true");
    agattr(g, AGNODE, "height", "0.32");
    agattr(g, AGNODE, "fontname", "Helvetica");
    agattr(g, AGNODE, "fontsize", "10");
    agattr(g, AGNODE, "color", "#333333");
    agattr(g, AGEDGE, "color", "#555555");
    agattr(g, AGEDGE, "arrowsize", "0.6");
    return g;
}

static NvStatus layout_error(NvError *err)
{
    return nv_error_set(err, NV_ERR_DEPENDENCY,
                        "Graphviz's dot layout could not be loaded: " PLUGIN_HINT);
}

/* Points of an edge's splines, each cubic sampled, in order. */
#define SPLINE_SAMPLES 8
static int spline_points(Agedge_t *e, double (*pts)[2], int max)
{
    int n = 0;
    splines *spl = ED_spl(e);
    if (!spl)
        return 0;
    for (int b = 0; b < spl->size; b++) {
        const bezier *bz = &spl->list[b];
        for (int i = 0; i + 3 < bz->size; i += 3) {
            const pointf *p = &bz->list[i];
            for (int s = (i == 0 ? 0 : 1); s <= SPLINE_SAMPLES && n < max; s++) {
                double t = (double)s / SPLINE_SAMPLES, u = 1.0 - t;
                double a = u * u * u, bb = 3 * u * u * t, c = 3 * u * t * t,
                       d = t * t * t;
                pts[n][0] = a * p[0].x + bb * p[1].x + c * p[2].x + d * p[3].x;
                pts[n][1] = a * p[0].y + bb * p[1].y + c * p[2].y + d * p[3].y;
                n++;
            }
        }
    }
    return n;
}

/* y of the polyline pts where it crosses x (nearest point if it never
 * does). */
static double polyline_y_at(double (*pts)[2], int n, double x, double fallback)
{
    double best = fallback, bestd = 1e300;
    for (int i = 0; i + 1 < n; i++) {
        double x0 = pts[i][0], x1 = pts[i + 1][0];
        if ((x0 <= x && x <= x1) || (x1 <= x && x <= x0)) {
            if (x1 == x0)
                return pts[i][1];
            double t = (x - x0) / (x1 - x0);
            return pts[i][1] + t * (pts[i + 1][1] - pts[i][1]);
        }
    }
    for (int i = 0; i < n; i++) {
        double d = pts[i][0] > x ? pts[i][0] - x : x - pts[i][0];
        if (d < bestd)
            bestd = d, best = pts[i][1];
    }
    return best;
}

static void read_layout(Agraph_t *g, Agnode_t **nodes, Agedge_t **edges,
                        CellLayout *l)
{
    boxf bb = GD_bb(g);
    l->bb_x0 = bb.LL.x, l->bb_y0 = bb.LL.y;
    l->bb_x1 = bb.UR.x, l->bb_y1 = bb.UR.y;
    l->nranks = 0;
    for (int i = 0; i < l->nnodes; i++) {
        CellNode *n = &l->nodes[i];
        n->x = ND_coord(nodes[i]).x;
        n->y = ND_coord(nodes[i]).y;
        n->w = ND_width(nodes[i]) * 72.0;
        n->h = ND_height(nodes[i]) * 72.0;
        n->rank = ND_rank(nodes[i]);
        if (n->rank < 0)
            n->rank = 0;
        if (n->rank >= CELL_MAX_RANKS)
            n->rank = CELL_MAX_RANKS - 1;
        if (n->rank + 1 > l->nranks)
            l->nranks = n->rank + 1;
    }
    /* Centre line of each rank; a rank without a real node (rare) gets
     * one between its neighbours. */
    int have[CELL_MAX_RANKS] = { 0 };
    for (int i = 0; i < l->nnodes; i++) {
        l->rank_x[l->nodes[i].rank] = l->nodes[i].x;
        have[l->nodes[i].rank] = 1;
    }
    for (int r = 0; r < l->nranks; r++)
        if (!have[r]) {
            int a = r - 1, b = r + 1;
            while (b < l->nranks && !have[b])
                b++;
            double xa = a >= 0 ? l->rank_x[a] : l->bb_x0;
            double xb = b < l->nranks ? l->rank_x[b] : l->bb_x1;
            l->rank_x[r] = xa + (xb - xa) * (r - a) / (double)(b - a);
        }
    double pts[256][2];
    for (int i = 0; i < l->nedges; i++) {
        CellEdge *e = &l->edges[i];
        const CellNode *u = &l->nodes[e->from], *v = &l->nodes[e->to];
        int n = spline_points(edges[i], pts, 256);
        for (int r = u->rank + 1; r < v->rank; r++) {
            double t = (l->rank_x[r] - u->x) / (v->x - u->x);
            double lin = u->y + t * (v->y - u->y);
            e->cross_y[r] = n ? polyline_y_at(pts, n, l->rank_x[r], lin) : lin;
        }
    }
}

NvStatus cell_render_layout(CellRender *r, const Genotype *g, int cell,
                            CellLayout *out, NvError *err)
{
    CellRender *own = NULL;
    NvStatus st;
    if (cell != GENO_CELL_NORMAL && cell != GENO_CELL_REDUCE)
        return nv_error_set(err, NV_ERR_USAGE, "no cell %d (0 normal, 1 reduce)",
                            cell);
    if ((st = geno_validate(g, err)) != NV_OK)
        return st;
    if (!r) {
        if ((st = cell_render_new(&own, err)) != NV_OK)
            return st;
        r = own;
    }
    cell_graph_build(g, cell, out);
    Agnode_t *nodes[CELL_MAX_NODES];
    Agedge_t *edges[CELL_MAX_EDGES];
    Agraph_t *gr = graph_open("cell");
    if (!gr || graph_add_cell(gr, out, "n", nodes, edges) != 0)
        st = nv_error_set(err, NV_ERR_NOMEM, "out of memory building a graph");
    else if (gvLayout(r->gvc, gr, "dot") != 0)
        st = layout_error(err);
    else {
        read_layout(gr, nodes, edges, out);
        gvFreeLayout(r->gvc, gr);
    }
    if (gr)
        agclose(gr);
    cell_render_free(own);
    return st;
}

/* ---- SVG and DOT ------------------------------------------------------- */

static const char *cell_title(int cell)
{
    return cell == GENO_CELL_NORMAL ? "normal cell"
                                    : "reduction cell\n(/2: stride 2)";
}

/* A plaintext caption node. */
static Agnode_t *caption_node(Agraph_t *gr, const char *name, const char *label)
{
    Agnode_t *n = agnode(gr, (char *)name, 1);
    if (!n)
        return NULL;
    agsafeset(n, "label", (char *)label, "");
    agsafeset(n, "shape", "plaintext", "");
    agsafeset(n, "fixedsize", "false", "");
    agsafeset(n, "fontsize", "12", "");
    return n;
}

/* The legend of shapes and colours, as one more component: a caption,
 * then one node per kind of node (styled as style_node styles it, named
 * "legend_*"), chained by invisible edges into a row.  Made before the
 * cells, dot puts it under them.  Returns 0 on success. */
static int graph_legend(Agraph_t *gr)
{
    static const struct {
        const char *name, *label;
        CanvasRole role;
        int stride2;
    } kinds[] = {
        { "legend_input", "input h(i-1), h(i)", CANVAS_ROLE_INPUT, 0 },
        { "legend_unused", "unused input (dashed)", CANVAS_ROLE_UNUSED, 0 },
        { "legend_identity", "identity, fact_reduce", CANVAS_ROLE_IDENTITY, 0 },
        { "legend_conv", "conv", CANVAS_ROLE_CONV, 0 },
        { "legend_sep_conv", "sep_conv", CANVAS_ROLE_SEP_CONV, 0 },
        { "legend_pool", "pool", CANVAS_ROLE_POOL, 0 },
        { "legend_combine", "add, concat", CANVAS_ROLE_COMBINE, 0 },
        { "legend_output", "output", CANVAS_ROLE_OUTPUT, 0 },
        { "legend_stride", "stride 2 (/2)", CANVAS_ROLE_TEXT, 1 },
    };
    Agnode_t *prev = caption_node(gr, "legend_title", "legend");
    if (!prev)
        return -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        CellNode cn;
        memset(&cn, 0, sizeof cn);
        cn.role = kinds[i].role;
        cn.stride2 = kinds[i].stride2;
        snprintf(cn.label, sizeof cn.label, "%s", kinds[i].label);
        Agnode_t *n = agnode(gr, (char *)kinds[i].name, 1);
        Agedge_t *e = n ? agedge(gr, prev, n, NULL, 1) : NULL;
        if (!e)
            return -1;
        style_node(n, &cn);
        agsafeset(e, "style", "invis", "");
        prev = n;
    }
    return 0;
}

/* The picture of the chosen cells.  Both cells share one graph as two
 * components, each with a title node left of its inputs: clusters would
 * look similar, but dot 2.42 leaks about 10 KB on every layout of a graph
 * with clusters (virtual edges of the cluster skeleton).  A title (may be
 * NULL) labels the whole graph at the top; legend adds graph_legend. */
static Agraph_t *graph_picture(const Genotype *g, CellSelect which,
                               const char *title, int legend)
{
    Agraph_t *gr = graph_open(title && title[0] ? title : "cell");
    if (!gr)
        return NULL;
    CellLayout *l = malloc(sizeof *l);
    if (!l) {
        agclose(gr);
        return NULL;
    }
    Agnode_t *nodes[CELL_MAX_NODES];
    Agedge_t *edges[CELL_MAX_EDGES];
    int ok = 1;
    if (title && title[0]) {
        /* A backslash starts an escape in Graphviz labels ("\\N", "\\n"):
         * doubled, the title is shown as it is. */
        char esc[2 * CELL_TITLE_MAX];
        size_t k = 0;
        for (const char *p = title; *p && k + 2 < sizeof esc; p++) {
            if (*p == '\\')
                esc[k++] = '\\';
            esc[k++] = *p;
        }
        esc[k] = '\0';
        agsafeset(gr, "label", esc, "");
        agsafeset(gr, "labelloc", "t", "");
        agsafeset(gr, "labeljust", "l", "");
        agsafeset(gr, "fontsize", "14", "");
    }
    if (legend)
        ok = graph_legend(gr) == 0;
    /* dot stacks components bottom up in the order they are made: the
     * reduction cell first puts the normal cell on top. */
    for (int c = GENO_CELLS - 1; c >= 0 && ok; c--) {
        if (which != CELL_SELECT_BOTH && (int)which != c)
            continue;
        cell_graph_build(g, c, l);
        ok = graph_add_cell(gr, l, c ? "r" : "n", nodes, edges) == 0;
        Agnode_t *caption = ok ? caption_node(gr, c ? "reduce_title" : "normal_title",
                                              cell_title(c))
                               : NULL;
        ok = caption != NULL;
        if (!ok)
            break;
        for (int s = 0; s < 2 && ok; s++) {
            Agedge_t *e = agedge(gr, caption, nodes[s], NULL, 1);
            ok = e != NULL;
            if (ok)
                agsafeset(e, "style", "invis", "");
        }
    }
    free(l);
    if (!ok) {
        agclose(gr);
        return NULL;
    }
    return gr;
}

NvStatus cell_render_data(CellRender *r, const Genotype *g, CellSelect which,
                          RenderFormat fmt, char **data, size_t *len,
                          NvError *err)
{
    return cell_render_picture(r, g, which, fmt, NULL, data, len, err);
}

NvStatus cell_render_picture(CellRender *r, const Genotype *g, CellSelect which,
                             RenderFormat fmt, const char *title, char **data,
                             size_t *len, NvError *err)
{
    CellRender *own = NULL;
    NvStatus st;
    *data = NULL;
    *len = 0;
    if (which != CELL_SELECT_NORMAL && which != CELL_SELECT_REDUCE &&
        which != CELL_SELECT_BOTH)
        return nv_error_set(err, NV_ERR_USAGE, "no cell selection %d", (int)which);
    if (fmt != RENDER_FORMAT_SVG && fmt != RENDER_FORMAT_DOT)
        return nv_error_set(err, NV_ERR_USAGE, "no render format %d (svg or dot)",
                            (int)fmt);
    if ((st = geno_validate(g, err)) != NV_OK)
        return st;
    Agraph_t *gr = graph_picture(g, which, title, fmt == RENDER_FORMAT_SVG);
    if (!gr)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory building a graph");
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) {
        agclose(gr);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory rendering");
    }
    if (fmt == RENDER_FORMAT_DOT) {
        if (agwrite(gr, f) != 0)
            st = nv_error_set(err, NV_ERR_RUNTIME, "Graphviz could not write DOT");
    } else if (!r && (st = cell_render_new(&own, err)) != NV_OK) {
        /* st and err are set */
    } else {
        if (!r)
            r = own;
        if (gvLayout(r->gvc, gr, "dot") != 0)
            st = layout_error(err);
        else {
            if (gvRender(r->gvc, gr, "svg", f) != 0)
                st = nv_error_set(err, NV_ERR_DEPENDENCY,
                                  "Graphviz's svg renderer could not be "
                                  "loaded: " PLUGIN_HINT);
            gvFreeLayout(r->gvc, gr);
        }
    }
    agclose(gr);
    cell_render_free(own);
    if (fclose(f) != 0 && st == NV_OK)
        st = nv_error_set(err, NV_ERR_NOMEM, "out of memory rendering");
    if (st != NV_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = n;
    return NV_OK;
}

/* ---- writing files ------------------------------------------------------ */

static NvStatus write_stdout(const char *data, size_t len, NvError *err)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
        return nv_error_set(err, NV_ERR_IO, "cannot write to standard output: %s",
                            strerror(errno));
    return NV_OK;
}

NvStatus cell_render_write(CellRender *r, const Genotype *g, CellSelect which,
                           RenderFormat fmt, const char *file, NvError *err)
{
    return cell_render_write_titled(r, g, which, fmt, NULL, file, err);
}

NvStatus cell_render_write_titled(CellRender *r, const Genotype *g,
                                  CellSelect which, RenderFormat fmt,
                                  const char *title, const char *file,
                                  NvError *err)
{
    char *data;
    size_t len;
    NvStatus st = cell_render_picture(r, g, which, fmt, title, &data, &len, err);
    if (st != NV_OK)
        return st;
    st = strcmp(file, "-") == 0 ? write_stdout(data, len, err)
                                : outfile_write(file, data, len, err);
    free(data);
    return st;
}

NvStatus cell_render_file(const Genotype *g, CellSelect which,
                          RenderFormat fmt, const char *file, NvError *err)
{
    return cell_render_write(NULL, g, which, fmt, file, err);
}
