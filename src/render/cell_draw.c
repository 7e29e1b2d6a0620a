/* cell_draw.c - a laid-out cell drawn with characters (see cell_draw.h).
 *
 * Plan, for one style:
 * 1. Ranks without a node are dropped; each remaining rank is a band of
 *    columns as wide as its widest box; gaps between bands carry edges.
 * 2. In each band the items (boxes, and edges passing through the rank)
 *    keep dot's top-to-bottom order; their rows come from dot's y, pushed
 *    apart so none overlap, and the whole must fit the height.
 * 3. In each gap an edge that changes row gets a lane (a column for its
 *    vertical run).  Lanes are given greedily so that no two edges share a
 *    cell unless they leave the same box (fan-out) or enter the same box
 *    (fan-in), which then read as one branching line.
 * 4. Edges are drawn as direction bits per cell, turned into line-drawing
 *    characters at the end, so crossings and branches join correctly; an
 *    arrow head sits just left of every box that has an input; boxes are
 *    drawn last. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/cell_draw.h"
#include "render/cell_legend.h"

#define DIR_L 1u
#define DIR_R 2u
#define DIR_U 4u
#define DIR_D 8u
#define ARROW 0x25BAu /* ► */

typedef struct {
    uint32_t tl, tr, bl, br, hz, vt; /* three-row box */
    uint32_t left, right;            /* one-row box */
} BoxStyle;

static BoxStyle box_style(CanvasRole role)
{
    switch (role) {
    case CANVAS_ROLE_UNUSED:
        return (BoxStyle){ 0x250C, 0x2510, 0x2514, 0x2518, 0x254C, 0x254E, 0x254E, 0x254E };
    case CANVAS_ROLE_IDENTITY:
        return (BoxStyle){ 0x250C, 0x2510, 0x2514, 0x2518, 0x2500, 0x2502, '[', ']' };
    case CANVAS_ROLE_CONV:
        return (BoxStyle){ 0x250F, 0x2513, 0x2517, 0x251B, 0x2501, 0x2503, 0x2503, 0x2503 };
    case CANVAS_ROLE_SEP_CONV:
        return (BoxStyle){ 0x2554, 0x2557, 0x255A, 0x255D, 0x2550, 0x2551, 0x2551, 0x2551 };
    case CANVAS_ROLE_POOL:
        return (BoxStyle){ 0x250D, 0x2511, 0x2515, 0x2519, 0x2501, 0x2502, '<', '>' };
    case CANVAS_ROLE_OUTPUT:
        return (BoxStyle){ 0x2553, 0x2556, 0x2559, 0x255C, 0x2500, 0x2551, '(', ')' };
    default: /* inputs, combines */
        return (BoxStyle){ 0x256D, 0x256E, 0x2570, 0x256F, 0x2500, 0x2502, '(', ')' };
    }
}

/* A rank's band holds items: boxes and edges passing through it. */
typedef struct {
    double y;  /* dot's y (points, upwards) */
    int h;     /* rows */
    int node;  /* node index, or -1 for a passing edge */
    int edge;  /* edge index for a passing edge */
    int top;   /* assigned first row */
} Item;

typedef struct {
    int in, out;   /* rows at the left and right side of the gap */
    int src, dst;  /* keys: node index, or 1000 + edge for a passing edge */
    int lane;      /* -1: straight, no lane */
    int edge;
    int part;      /* 0 whole; 1, 2: halves of an edge jogging through a row */
} Seg;

typedef struct {
    CellDrawStyle style;
    int box_h, abbrev, spacing;
    int nr;                              /* ranks with nodes */
    int rank_of[CELL_MAX_NODES];         /* compressed rank of each node */
    int orig[CELL_MAX_RANKS];            /* original rank of each band */
    int node_w[CELL_MAX_NODES], node_top[CELL_MAX_NODES];
    int bw[CELL_MAX_RANKS], bx[CELL_MAX_RANKS], gw[CELL_MAX_RANKS];
    int row[CELL_MAX_EDGES][CELL_MAX_RANKS]; /* an edge's row in each band */
    int lane[CELL_MAX_EDGES][CELL_MAX_RANKS];
    /* An edge that trades rows with another in a gap jogs: down its first
     * lane to row jog, across to its second lane, then on (jog -1: none). */
    int jog[CELL_MAX_EDGES][CELL_MAX_RANKS];
    int lane2[CELL_MAX_EDGES][CELL_MAX_RANKS];
    int nlanes[CELL_MAX_RANKS];
    int deficit; /* lanes that had to be shared */
    int height;  /* rows of the canvas */
    int width;   /* columns used */
} Plan;

static const char *node_text(const CellNode *n, int abbrev)
{
    return abbrev ? n->abbrev : n->label;
}

static int node_width(const CellNode *n, int box_h, int abbrev)
{
    return (int)strlen(node_text(n, abbrev)) + (box_h == 3 ? 4 : 2);
}

static int node_mid(const Plan *p, int i)
{
    return p->node_top[i] + p->box_h / 2;
}

static int cmp_item(const void *a, const void *b)
{
    const Item *x = a, *y = b;
    if (x->y != y->y)
        return x->y > y->y ? -1 : 1;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return x->edge - y->edge;
}

/* Steps 1 and 2: bands and rows.  Returns 0 when it does not fit. */
static int plan_rows(const CellLayout *l, Plan *p, int height)
{
    int map[CELL_MAX_RANKS];
    for (int r = 0; r < CELL_MAX_RANKS; r++)
        map[r] = -1;
    for (int i = 0; i < l->nnodes; i++)
        map[l->nodes[i].rank] = 1;
    p->nr = 0;
    for (int r = 0; r < l->nranks; r++)
        if (map[r] == 1) {
            p->orig[p->nr] = r;
            map[r] = p->nr++;
        }
    for (int i = 0; i < l->nnodes; i++)
        p->rank_of[i] = map[l->nodes[i].rank];

    double span = l->bb_y1 - l->bb_y0;
    double scale = span > 0 ? (height - 1) / span : 0;
    if (scale > 1.0 / 8) /* about one row per 8 points: boxes 3 rows apart */
        scale = 1.0 / 8;
    double used = span * scale + 1;
    double offset = (height - used) / 2;
    if (offset < 0)
        offset = 0;

    Item items[CELL_MAX_NODES + CELL_MAX_EDGES];
    for (int k = 0; k < p->nr; k++) {
        int n = 0;
        for (int i = 0; i < l->nnodes; i++)
            if (p->rank_of[i] == k)
                items[n++] = (Item){ l->nodes[i].y, p->box_h, i, -1, 0 };
        for (int e = 0; e < l->nedges; e++) {
            const CellEdge *ed = &l->edges[e];
            int a = p->rank_of[ed->from], b = p->rank_of[ed->to];
            if (a < k && k < b)
                items[n++] = (Item){ ed->cross_y[p->orig[k]], 1, -1, e, 0 };
        }
        qsort(items, (size_t)n, sizeof *items, cmp_item);
        for (int i = 0; i < n; i++) {
            double centre = offset + (l->bb_y1 - items[i].y) * scale;
            int top = (int)(centre - (items[i].h - 1) / 2.0 + 0.5);
            if (top < 0)
                top = 0;
            if (i > 0) {
                int gap = items[i].node >= 0 && items[i - 1].node >= 0 ? p->spacing : 0;
                int min = items[i - 1].top + items[i - 1].h + gap;
                if (top < min)
                    top = min;
            }
            items[i].top = top;
        }
        for (int i = n - 1; i >= 0; i--) {
            int max = height - items[i].h;
            if (i + 1 < n) {
                int gap = items[i].node >= 0 && items[i + 1].node >= 0 ? p->spacing : 0;
                if (items[i + 1].top - items[i].h - gap < max)
                    max = items[i + 1].top - items[i].h - gap;
            }
            if (items[i].top > max)
                items[i].top = max;
        }
        if (n > 0 && items[0].top < 0)
            return 0;
        for (int i = 0; i < n; i++) {
            if (items[i].node >= 0)
                p->node_top[items[i].node] = items[i].top;
            else
                p->row[items[i].edge][k] = items[i].top;
        }
    }
    for (int e = 0; e < l->nedges; e++) {
        const CellEdge *ed = &l->edges[e];
        p->row[e][p->rank_of[ed->from]] = node_mid(p, ed->from);
        p->row[e][p->rank_of[ed->to]] = node_mid(p, ed->to);
    }
    return 1;
}

/* Whether segments s and t may not share lanes as placed (step 3). */
static int seg_conflict(const Seg *s, int ls, const Seg *t, int lt)
{
    if ((s->in == t->in && s->src == t->src) ||
        (s->out == t->out && s->dst == t->dst) || s->edge == t->edge)
        return 0;
    int slo = s->in < s->out ? s->in : s->out, shi = s->in + s->out - slo;
    int tlo = t->in < t->out ? t->in : t->out, thi = t->in + t->out - tlo;
    if (ls == lt && slo <= thi && tlo <= shi)
        return 1;
    if (s->in == t->out && lt <= ls)
        return 1;
    if (s->out == t->in && ls <= lt)
        return 1;
    return 0;
}

static int cmp_seg(const void *a, const void *b)
{
    const Seg *x = a, *y = b;
    int xl = x->in < x->out ? x->in : x->out, yl = y->in < y->out ? y->in : y->out;
    if (xl != yl)
        return xl - yl;
    return x->edge - y->edge;
}

/* Conflicts of segment i on lane `lane` with segments 0..i-1, whose lanes
 * at or after `from` are counted one further right (a lane inserted). */
static int seg_conflicts(const Seg *segs, int i, int lane, int from)
{
    int c = 0;
    for (int j = 0; j < i; j++)
        if (segs[j].lane >= 0)
            c += seg_conflict(&segs[i], lane, &segs[j],
                              segs[j].lane + (segs[j].lane >= from));
    return c;
}

/* Step 3 for gap k: lanes for the segments that change rows, first-fit;
 * when no lane is free, a new lane is inserted where the order of lanes
 * suits every neighbour (inserting keeps the others' order, so they stay
 * valid).  Returns the lanes used; segments that still had to share a
 * lane are added to p->deficit. */
static int plan_gap(const CellLayout *l, Plan *p, int k)
{
    Seg segs[CELL_MAX_EDGES * 2];
    int n = 0, used = 0;
    for (int e = 0; e < l->nedges; e++) {
        const CellEdge *ed = &l->edges[e];
        int a = p->rank_of[ed->from], b = p->rank_of[ed->to];
        if (a > k || b <= k)
            continue;
        segs[n++] = (Seg){ p->row[e][k], p->row[e][k + 1],
                           a == k ? ed->from : 1000 + e,
                           b == k + 1 ? ed->to : 1000 + e, -1, e, 0 };
        p->jog[e][k] = -1;
    }
    /* Two edges trading rows (a->b and b->a) cannot both turn once without
     * running along each other: the second jogs through a free row m
     * between them, as two segments b->m and m->a. */
    unsigned char *taken = calloc((size_t)p->height, 1);
    if (!taken) {
        p->deficit++; /* no plan without memory: the text form is used */
        return 0;
    }
    for (int i = 0; i < n; i++)
        taken[segs[i].in] = taken[segs[i].out] = 1;
    for (int i = 0, n0 = n; i < n0; i++)
        for (int j = i + 1; j < n0; j++) {
            Seg *a = &segs[i], *b = &segs[j];
            if (a->in == a->out || b->part || a->part || a->in != b->out ||
                a->out != b->in || a->src == b->src || a->dst == b->dst)
                continue;
            int lo = a->in < a->out ? a->in : a->out, hi = a->in + a->out - lo;
            int m = -1;
            for (int d = 0; m < 0 && d <= (hi - lo) / 2; d++) {
                int c1 = (lo + hi) / 2 - d, c2 = (lo + hi) / 2 + d;
                if (c1 > lo && c1 < hi && !taken[c1])
                    m = c1;
                else if (c2 > lo && c2 < hi && !taken[c2])
                    m = c2;
            }
            if (m < 0 || n >= CELL_MAX_EDGES * 2)
                continue;
            taken[m] = 1;
            segs[n] = *b;
            segs[n].in = m;
            segs[n].part = 2;
            b->out = m;
            b->part = 1;
            n++;
        }
    free(taken);
    qsort(segs, (size_t)n, sizeof *segs, cmp_seg);
    for (int i = 0; i < n; i++) {
        if (segs[i].in == segs[i].out)
            continue;
        int best = -1, best_c = 1 << 30, insert = 0;
        for (int lane = 0; lane < used && best_c; lane++) {
            int c = seg_conflicts(segs, i, lane, 1 << 30);
            if (c < best_c)
                best = lane, best_c = c;
        }
        for (int q = 0; q <= used && best_c; q++) {
            int c = seg_conflicts(segs, i, q, q);
            if (c < best_c)
                best = q, best_c = c, insert = 1;
        }
        if (best_c > 0)
            p->deficit++;
        if (insert) {
            for (int j = 0; j < i; j++)
                if (segs[j].lane >= best)
                    segs[j].lane++;
            used++;
        }
        segs[i].lane = best;
    }
    for (int i = 0; i < n; i++) {
        const Seg *sg = &segs[i];
        if (sg->part == 2)
            p->lane2[sg->edge][k] = sg->lane;
        else
            p->lane[sg->edge][k] = sg->lane;
        if (sg->part == 1)
            p->jog[sg->edge][k] = sg->out;
    }
    return used;
}

/* The whole plan for one style; 0 when it does not fit with a lane for
 * every edge that needs one. */
static int plan_make(const CellLayout *l, Plan *p, int width, int height)
{
    if (!plan_rows(l, p, height))
        return 0;
    int total = 0;
    for (int k = 0; k < p->nr; k++) {
        p->bw[k] = 0;
        for (int i = 0; i < l->nnodes; i++)
            if (p->rank_of[i] == k) {
                p->node_w[i] = node_width(&l->nodes[i], p->box_h, p->abbrev);
                if (p->node_w[i] > p->bw[k])
                    p->bw[k] = p->node_w[i];
            }
        total += p->bw[k];
    }
    int gaps = p->nr - 1, room = width - total;
    if (room < 3 * gaps)
        return 0;
    /* Lanes wanted with no limit, then the width each gap gets. */
    int want = 0;
    p->deficit = 0;
    for (int k = 0; k < gaps; k++) {
        p->nlanes[k] = plan_gap(l, p, k);
        if (p->nlanes[k] < 1)
            p->nlanes[k] = 1;
        want += p->nlanes[k] + 2;
    }
    if (want > room)
        return 0;
    int extra = room - want, each = gaps ? extra / gaps : 0;
    if (each > 4)
        each = 4;
    for (int k = 0; k < gaps; k++)
        p->gw[k] = p->nlanes[k] + 2 + each;
    p->width = total;
    for (int k = 0; k < gaps; k++)
        p->width += p->gw[k];
    int x = (width - p->width) / 2;
    for (int k = 0; k < p->nr; k++) {
        p->bx[k] = x;
        x += p->bw[k] + (k < gaps ? p->gw[k] : 0);
    }
    return 1;
}

/* ---- drawing ------------------------------------------------------------ */

typedef struct {
    int w, h;
    uint8_t *dirs; /* [h][w] DIR_* bits */
} Lines;

static void lines_step(Lines *ln, int x0, int y0, int x1, int y1)
{
    if (x0 < 0 || y0 < 0 || x1 < 0 || y1 < 0 || x0 >= ln->w || x1 >= ln->w ||
        y0 >= ln->h || y1 >= ln->h)
        return;
    uint8_t a = x1 > x0 ? DIR_R : x1 < x0 ? DIR_L : y1 > y0 ? DIR_D : DIR_U;
    uint8_t b = a == DIR_R ? DIR_L : a == DIR_L ? DIR_R : a == DIR_D ? DIR_U : DIR_D;
    ln->dirs[y0 * ln->w + x0] |= a;
    ln->dirs[y1 * ln->w + x1] |= b;
}

/* An axis-aligned run from (x0,y0) to (x1,y1). */
static void lines_run(Lines *ln, int x0, int y0, int x1, int y1)
{
    while (x0 != x1 || y0 != y1) {
        int nx = x0 + (x1 > x0) - (x1 < x0), ny = y0;
        if (nx == x0)
            ny = y0 + (y1 > y0) - (y1 < y0);
        lines_step(ln, x0, y0, nx, ny);
        x0 = nx, y0 = ny;
    }
}

static uint32_t lines_char(uint8_t d)
{
    static const uint32_t table[16] = {
        ' ',    0x2500, 0x2500, 0x2500, /* -, L, R, LR */
        0x2502, 0x2518, 0x2514, 0x2534, /* U, UL, UR, ULR */
        0x2502, 0x2510, 0x250C, 0x252C, /* D, DL, DR, DLR */
        0x2502, 0x2524, 0x251C, 0x253C, /* UD, UDL, UDR, UDLR */
    };
    return table[d & 15];
}

/* Draw edge e along its bands and lanes; returns the arrow cell's x. */
static int draw_edge(const CellLayout *l, const Plan *p, Lines *ln, int e)
{
    const CellEdge *ed = &l->edges[e];
    int a = p->rank_of[ed->from], b = p->rank_of[ed->to];
    int x = p->bx[a] + p->node_w[ed->from], y = p->row[e][a];
    int cap_used;
    for (int k = a; k < b; k++) {
        int gx = p->bx[k] + p->bw[k], ge = gx + p->gw[k] - 1;
        int ny = p->row[e][k + 1];
        if (ny != y && p->lane[e][k] >= 0) {
            cap_used = p->gw[k] - 2;
            int off = (cap_used - p->nlanes[k]) / 2;
            if (off < 0)
                off = 0;
            int lx = gx + 1 + off + p->lane[e][k];
            if (lx > ge - 1)
                lx = ge - 1;
            lines_run(ln, x, y, lx, y);
            if (p->jog[e][k] >= 0) {
                int m = p->jog[e][k], lx2 = gx + 1 + off + p->lane2[e][k];
                if (lx2 > ge - 1)
                    lx2 = ge - 1;
                lines_run(ln, lx, y, lx, m);
                lines_run(ln, lx, m, lx2, m);
                lx = lx2, y = m;
            }
            lines_run(ln, lx, y, lx, ny);
            x = lx, y = ny;
        }
        int end = k + 1 < b ? p->bx[k + 1] + p->bw[k + 1] : ge;
        lines_run(ln, x, y, end, y);
        x = end;
    }
    return x;
}

static void draw_box(Canvas *c, const CellNode *n, const Plan *p, int i, int x)
{
    BoxStyle s = box_style(n->role);
    CanvasRole role = n->role;
    int top = p->node_top[i], w = p->node_w[i];
    const char *text = node_text(n, p->abbrev);
    if (p->box_h == 3) {
        canvas_put(c, x, top, s.tl, role);
        canvas_put(c, x + w - 1, top, s.tr, role);
        canvas_put(c, x, top + 2, s.bl, role);
        canvas_put(c, x + w - 1, top + 2, s.br, role);
        for (int i2 = 1; i2 < w - 1; i2++) {
            canvas_put(c, x + i2, top, s.hz, role);
            canvas_put(c, x + i2, top + 2, s.hz, role);
            canvas_put(c, x + i2, top + 1, ' ', role);
        }
        canvas_put(c, x, top + 1, s.vt, role);
        canvas_put(c, x + w - 1, top + 1, s.vt, role);
        canvas_text(c, x + 2, top + 1, text, role);
    } else {
        canvas_put(c, x, top, s.left, role);
        canvas_text(c, x + 1, top, text, role);
        canvas_put(c, x + w - 1, top, s.right, role);
    }
}

static NvStatus draw_plan(const CellLayout *l, const Plan *p, Canvas *c,
                          NvError *err)
{
    Lines ln = { c->width, c->height, calloc((size_t)c->width * (size_t)c->height, 1) };
    if (!ln.dirs)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory drawing a cell");
    int ax[CELL_MAX_EDGES];
    for (int e = 0; e < l->nedges; e++)
        ax[e] = draw_edge(l, p, &ln, e);
    /* A box narrower than its band is joined to the band's edge. */
    for (int i = 0; i < l->nnodes; i++) {
        int k = p->rank_of[i], y = node_mid(p, i);
        int has_out = 0;
        for (int e = 0; e < l->nedges; e++)
            has_out |= l->edges[e].from == i;
        if (has_out)
            lines_run(&ln, p->bx[k] + p->node_w[i], y, p->bx[k] + p->bw[k], y);
    }
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++)
            if (ln.dirs[y * c->width + x])
                canvas_put(c, x, y, lines_char(ln.dirs[y * c->width + x]),
                           CANVAS_ROLE_EDGE);
    for (int e = 0; e < l->nedges; e++)
        canvas_put(c, ax[e], p->row[e][p->rank_of[l->edges[e].to]], ARROW,
                   CANVAS_ROLE_EDGE);
    for (int i = 0; i < l->nnodes; i++)
        draw_box(c, &l->nodes[i], p, i, p->bx[p->rank_of[i]]);
    free(ln.dirs);
    return NV_OK;
}

/* ---- compact text ------------------------------------------------------- */

/* The node feeding `node` through its n-th incoming edge, or -1. */
static int source_of(const CellLayout *l, int node, int n)
{
    for (int e = 0; e < l->nedges; e++)
        if (l->edges[e].to == node && n-- == 0)
            return l->edges[e].from;
    return -1;
}

typedef struct {
    Canvas *c;
    int x, y, abbrev;
} Pen;

static void pen_text(Pen *p, const char *s, CanvasRole role)
{
    p->x += canvas_text(p->c, p->x, p->y, s, role);
}

/* The name of a state as an operand: "h(i)", "b2". */
static void pen_state(Pen *p, const CellLayout *l, int node)
{
    const CellNode *n = &l->nodes[node];
    char buf[8];
    if (n->kind == CELL_NODE_COMBINE) {
        snprintf(buf, sizeof buf, "b%d", n->state);
        pen_text(p, buf, CANVAS_ROLE_COMBINE);
    } else {
        pen_text(p, node_text(n, p->abbrev), n->role);
    }
}

static void pen_op(Pen *p, const CellLayout *l, int op)
{
    const CellNode *n = &l->nodes[op];
    int src = source_of(l, op, 0);
    const char *name = p->abbrev ? n->abbrev : geno_op_name(n->op);
    pen_text(p, name, n->role);
    if (!p->abbrev && n->stride2)
        pen_text(p, "/2", n->role);
    pen_text(p, "(", CANVAS_ROLE_TEXT);
    if (src >= 0)
        pen_state(p, l, src);
    pen_text(p, ")", CANVAS_ROLE_TEXT);
}

/* Write the compact form; returns the widest line, and the lines
 * written in *lines (may be NULL). */
static int draw_text_lines(const CellLayout *l, Canvas *c, int abbrev,
                           int *lines)
{
    Pen p = { c, 0, 0, abbrev };
    int widest = 0;
    for (int i = 0; i < l->nnodes; i++) {
        const CellNode *n = &l->nodes[i];
        if (n->kind != CELL_NODE_COMBINE && n->kind != CELL_NODE_OUTPUT)
            continue;
        char buf[16];
        p.x = 0;
        if (n->kind == CELL_NODE_COMBINE) {
            snprintf(buf, sizeof buf, "b%d", n->state);
            pen_text(&p, buf, CANVAS_ROLE_COMBINE);
            pen_text(&p, abbrev ? "=" : " = ", CANVAS_ROLE_TEXT);
            if (!abbrev)
                pen_text(&p, geno_comb_name(n->comb), CANVAS_ROLE_COMBINE),
                    pen_text(&p, "(", CANVAS_ROLE_TEXT);
            for (int h = 0; h < 2; h++) {
                int op = source_of(l, i, h);
                if (h)
                    pen_text(&p, abbrev ? (n->comb == GENO_COMB_ADD ? "+" : "&")
                                        : ", ",
                             CANVAS_ROLE_TEXT);
                if (op >= 0)
                    pen_op(&p, l, op);
            }
            if (!abbrev)
                pen_text(&p, ")", CANVAS_ROLE_TEXT);
        } else {
            pen_text(&p, abbrev ? "out=" : "output = concat(", CANVAS_ROLE_OUTPUT);
            for (int h = 0, s; (s = source_of(l, i, h)) >= 0; h++) {
                if (h)
                    pen_text(&p, abbrev ? "," : ", ", CANVAS_ROLE_TEXT);
                if (l->nodes[s].kind == CELL_NODE_FACT_REDUCE) {
                    pen_text(&p, abbrev ? "fr(" : "fact_reduce(", CANVAS_ROLE_IDENTITY);
                    int in = source_of(l, s, 0);
                    if (in >= 0)
                        pen_state(&p, l, in);
                    pen_text(&p, ")", CANVAS_ROLE_TEXT);
                } else {
                    pen_state(&p, l, s);
                }
            }
            if (!abbrev)
                pen_text(&p, ")", CANVAS_ROLE_OUTPUT);
        }
        if (p.x > widest)
            widest = p.x;
        p.y++;
    }
    if (lines)
        *lines = p.y;
    return widest;
}

static int draw_text(const CellLayout *l, Canvas *c, int abbrev)
{
    return draw_text_lines(l, c, abbrev, NULL);
}

/* The length of the longest compact line with full names, measured on a
 * scratch canvas wide enough for any of them. */
static int text_width(const CellLayout *l)
{
    Canvas *scratch = canvas_new(256, CELL_MAX_NODES);
    if (!scratch)
        return 1 << 20;
    int w = draw_text(l, scratch, 0);
    canvas_free(scratch);
    return w;
}

NvStatus cell_draw_layout(const CellLayout *l, int width, int height,
                          Canvas **out, CellDrawStyle *style, NvError *err)
{
    *out = NULL;
    if (width < 1 || height < 1)
        return nv_error_set(err, NV_ERR_USAGE,
                            "a drawing needs at least 1x1 characters, not %dx%d",
                            width, height);
    Canvas *c = canvas_new(width, height);
    Plan *p = malloc(sizeof *p);
    if (!c || !p) {
        canvas_free(c);
        free(p);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory drawing a cell");
    }
    static const struct {
        CellDrawStyle style;
        int box_h, abbrev, spacing;
    } tries[] = {
        { CELL_DRAW_BOXES, 3, 0, 1 },       { CELL_DRAW_BOXES, 3, 0, 0 },
        { CELL_DRAW_ROWS, 1, 0, 1 },        { CELL_DRAW_ROWS, 1, 0, 0 },
        { CELL_DRAW_ABBREVIATED, 1, 1, 1 }, { CELL_DRAW_ABBREVIATED, 1, 1, 0 },
    };
    /* A drawing whose edges would have to share lanes is ambiguous: the
     * compact text says the same thing without misleading. */
    /* Abbreviated labels get a legend on the rows under the drawing. */
    CellLegendEntry legend[CELL_LEGEND_MAX];
    int nlegend = cell_legend_entries(l, legend, CELL_LEGEND_MAX);
    int legend_rows = cell_legend_rows(legend, nlegend, width);
    int found = 0;
    for (size_t t = 0; t < sizeof tries / sizeof tries[0] && !found; t++) {
        int ph = tries[t].abbrev ? height - legend_rows : height;
        if (ph < 1)
            continue;
        memset(p, 0, sizeof *p);
        p->style = tries[t].style;
        p->box_h = tries[t].box_h;
        p->abbrev = tries[t].abbrev;
        p->spacing = tries[t].spacing;
        p->height = ph;
        found = plan_make(l, p, width, ph) && p->deficit == 0;
    }
    NvStatus st = NV_OK;
    CellDrawStyle chosen = CELL_DRAW_TEXT;
    if (found) {
        chosen = p->style;
        st = draw_plan(l, p, c, err);
        if (p->abbrev)
            cell_legend_draw(c, p->height, height - p->height, legend, nlegend);
    } else {
        int abbrev = text_width(l) > width;
        int rows;
        draw_text_lines(l, c, abbrev, &rows);
        if (abbrev && rows < height)
            cell_legend_draw(c, rows, height - rows, legend, nlegend);
    }
    free(p);
    if (st != NV_OK) {
        canvas_free(c);
        return st;
    }
    if (style)
        *style = chosen;
    *out = c;
    return NV_OK;
}

NvStatus cell_draw(CellRender *r, const Genotype *g, int cell, int width,
                   int height, Canvas **out, NvError *err)
{
    *out = NULL;
    CellLayout *l = malloc(sizeof *l);
    if (!l)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory drawing a cell");
    NvStatus st = cell_render_layout(r, g, cell, l, err);
    if (st == NV_OK)
        st = cell_draw_layout(l, width, height, out, NULL, err);
    free(l);
    return st;
}
