/* cell_graph.h - a cell as a graph, laid out and rendered by Graphviz.
 *
 * This module is the only one that talks to Graphviz (libgvc/libcgraph).
 * A cell becomes a directed graph: the inputs h(i-1) and h(i), one node per
 * operation (labelled with its name, "/2" when strided in a reduction
 * cell), one node per combine ("b0 add", "b3 concat"), a factorized-reduce
 * node for each unused input of a reduction cell, and the output concat
 * gathering every unused state.  `dot` lays it out left to right; the
 * layout is handed out as plain data (CellLayout) for the terminal drawing
 * (cell_draw.h), and the same graph is rendered to SVG or written as DOT.
 *
 * It does not draw characters (cell_draw.c does) and knows nothing about
 * curses.  Graphviz is not thread-safe: use one CellRender per thread at
 * most, and only one thread at a time in the whole process. */
#ifndef NASVIEW_CELL_GRAPH_H
#define NASVIEW_CELL_GRAPH_H

#include <stdio.h>

#include "render/canvas.h"
#include "space/genotype.h"
#include "base/nv_error.h"

/* Most nodes of one cell: 2 inputs + 2 ops and 1 combine per block + 2
 * factorized reduces + the output. */
#define CELL_MAX_NODES (2 + 3 * GENO_BLOCKS + 2 + 1)
/* Most edges: 4 per block, 2 into factorized reduces, GENO_STATES into the
 * output, with room to spare. */
#define CELL_MAX_EDGES (4 * GENO_BLOCKS + 2 + GENO_STATES + 3)
/* Most ranks of a layout: input, then op and combine per block, output. */
#define CELL_MAX_RANKS (2 * GENO_BLOCKS + 2)
#define CELL_LABEL_MAX 24
/* Longest picture title used (cell_render_picture); longer ones are cut. */
#define CELL_TITLE_MAX 512

typedef enum {
    CELL_SELECT_NORMAL = 0,
    CELL_SELECT_REDUCE = 1,
    CELL_SELECT_BOTH = 2
} CellSelect;

typedef enum { RENDER_FORMAT_SVG = 0, RENDER_FORMAT_DOT } RenderFormat;

typedef enum {
    CELL_NODE_INPUT = 0,   /* h(i-1) (state 0) or h(i) (state 1) */
    CELL_NODE_OP,          /* an operation of a block */
    CELL_NODE_COMBINE,     /* a block's add / concat: hidden state 2+block */
    CELL_NODE_FACT_REDUCE, /* factorized reduce of an unused reduction input */
    CELL_NODE_OUTPUT       /* the cell's output concat */
} CellNodeKind;

typedef struct {
    CellNodeKind kind;
    int state;   /* INPUT/FACT_REDUCE: 0 or 1; OP/COMBINE: the block */
    int op;      /* OP: GenoOp; otherwise -1 */
    int half;    /* OP: 1 or 2 (op1 / op2); otherwise 0 */
    int comb;    /* COMBINE: GenoComb; otherwise -1 */
    int stride2; /* OP: applied with stride 2 (reduction cell, on an input) */
    int unused;  /* INPUT: no block uses it (it goes to the output only) */
    CanvasRole role;               /* colour role (op family, input, ...) */
    char label[CELL_LABEL_MAX];    /* "sep_conv_5x5 /2", "b0 add", "h(i)" */
    char abbrev[CELL_LABEL_MAX];   /* "sep5/2", "b0+", "h" */
    /* Layout, in points, y growing upwards (Graphviz's frame): centre,
     * size, and dot's rank (0 = the inputs' side). */
    double x, y, w, h;
    int rank;
} CellNode;

typedef struct {
    int from, to; /* node indices */
    int unused;   /* from an unused input */
    /* y (points) where the laid-out edge crosses the centre line of each
     * rank strictly between its ends' ranks; other entries are 0. */
    double cross_y[CELL_MAX_RANKS];
} CellEdge;

/* One cell's graph and (after cell_render_layout) its layout, as plain
 * data: no pointers, nothing to free. */
typedef struct {
    int cell; /* GenoCellKind */
    int nnodes, nedges;
    CellNode nodes[CELL_MAX_NODES];
    CellEdge edges[CELL_MAX_EDGES];
    double bb_x0, bb_y0, bb_x1, bb_y1; /* bounding box of the layout */
    int nranks;                        /* ranks 0..nranks-1 */
    double rank_x[CELL_MAX_RANKS];     /* centre line of each rank */
} CellLayout;

typedef struct CellRender CellRender;

/* cell_render_new - a handle on Graphviz, reused for any number of
 * layouts and renders.  The first call in a process creates Graphviz's
 * context (several milliseconds), which then lives until the process ends
 * and is shared by every handle: Graphviz 2.42 cannot safely make a second
 * context after freeing one.  *out is owned by the caller
 * (cell_render_free).  Fails with NV_ERR_NOMEM or NV_ERR_DEPENDENCY. */
NvStatus cell_render_new(CellRender **out, NvError *err);

/* cell_render_free - release handle r; NULL is a no-op. */
void cell_render_free(CellRender *r);

/* cell_graph_build - the nodes and edges of cell `cell` (GenoCellKind) of
 * the canonical form of g, without coordinates.  Pure; g must be valid
 * (geno_validate). */
void cell_graph_build(const Genotype *g, int cell, CellLayout *out);

/* cell_render_layout - build cell `cell` of g and lay it out with dot,
 * filling *out (coordinates, ranks, edge crossings).  r may be NULL (a
 * context is then made and freed here, which is slow).  Errors:
 * NV_ERR_PARSE for an invalid genotype, NV_ERR_DEPENDENCY when Graphviz's
 * dot layout plugin cannot be loaded (the message names the Debian
 * package), NV_ERR_USAGE for a bad cell, NV_ERR_NOMEM. */
NvStatus cell_render_layout(CellRender *r, const Genotype *g, int cell,
                            CellLayout *out, NvError *err);

/* cell_render_data - render the chosen cells of g as SVG (laid out by dot)
 * or DOT (Graphviz's own writer) into a malloc'ed, NUL-terminated buffer
 * *data of *len bytes, owned by the caller (free()).  r may be NULL.
 * Errors as cell_render_layout, plus NV_ERR_DEPENDENCY when the svg
 * renderer cannot be loaded and NV_ERR_USAGE for a bad which or fmt. */
NvStatus cell_render_data(CellRender *r, const Genotype *g, CellSelect which,
                          RenderFormat fmt, char **data, size_t *len,
                          NvError *err);

/* cell_render_picture - as cell_render_data, with title (NULL or "" for
 * none; shown as it is, cut at CELL_TITLE_MAX bytes) as the picture's
 * caption at its top (in the DOT text, the graph's label).  An SVG also gets a legend under the cells: one node of each
 * kind, in its shape and colour, named by what it stands for (inputs, an
 * unused input, identity and fact_reduce, conv, sep_conv, pool, add and
 * concat, the output, stride 2); DOT gets no legend.  Errors and
 * ownership as cell_render_data. */
NvStatus cell_render_picture(CellRender *r, const Genotype *g, CellSelect which,
                             RenderFormat fmt, const char *title, char **data,
                             size_t *len, NvError *err);

/* cell_render_file - render as cell_render_data (with a context of its
 * own) and write the result to file ("-" = standard output).  A file is
 * written to a temporary file in the same directory and renamed over file,
 * so an error leaves nothing behind (and an existing file untouched).
 * NV_ERR_IO names the path and the reason; other errors as
 * cell_render_data. */
NvStatus cell_render_file(const Genotype *g, CellSelect which,
                          RenderFormat fmt, const char *file, NvError *err);

/* cell_render_write - the same with a caller's context r (may be NULL). */
NvStatus cell_render_write(CellRender *r, const Genotype *g, CellSelect which,
                           RenderFormat fmt, const char *file, NvError *err);

/* cell_render_write_titled - cell_render_write with a title, as
 * cell_render_picture (title may be NULL). */
NvStatus cell_render_write_titled(CellRender *r, const Genotype *g,
                                  CellSelect which, RenderFormat fmt,
                                  const char *title, const char *file,
                                  NvError *err);

/* cell_select_parse - "normal", "reduce" or "both"; NV_ERR_USAGE otherwise. */
NvStatus cell_select_parse(const char *text, CellSelect *out, NvError *err);

#endif
