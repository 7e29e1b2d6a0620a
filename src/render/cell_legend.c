/* cell_legend.c - the legend of abbreviated cell labels (see
 * cell_legend.h).  The abbreviations themselves are made in cell_graph.c
 * (op_abbrev and the input, combine and factorized-reduce labels); the
 * families here follow them: "sep3/5/7", "max3/5/7", "avg3", "dil3",
 * "c1", "c3" (conv KxK), "c13", "c17". */
#include "config.h"

#include <string.h>

#include "render/cell_legend.h"

/* The family entry of operation op (GenoOp). */
static CellLegendEntry op_entry(int op)
{
    switch (op) {
    case GENO_OP_IDENTITY:
        return (CellLegendEntry){ "id", "identity", CANVAS_ROLE_IDENTITY };
    case GENO_OP_CONV_1X3_3X1:
        return (CellLegendEntry){ "c13", "conv_1x3_3x1", CANVAS_ROLE_CONV };
    case GENO_OP_CONV_1X7_7X1:
        return (CellLegendEntry){ "c17", "conv_1x7_7x1", CANVAS_ROLE_CONV };
    case GENO_OP_DIL_CONV_3X3:
        return (CellLegendEntry){ "dil", "dil_conv", CANVAS_ROLE_CONV };
    case GENO_OP_AVG_POOL_3X3:
        return (CellLegendEntry){ "avg", "avg_pool", CANVAS_ROLE_POOL };
    case GENO_OP_MAX_POOL_3X3:
    case GENO_OP_MAX_POOL_5X5:
    case GENO_OP_MAX_POOL_7X7:
        return (CellLegendEntry){ "max", "max_pool", CANVAS_ROLE_POOL };
    case GENO_OP_CONV_1X1:
    case GENO_OP_CONV_3X3:
        return (CellLegendEntry){ "c", "conv", CANVAS_ROLE_CONV };
    default:
        return (CellLegendEntry){ "sep", "sep_conv", CANVAS_ROLE_SEP_CONV };
    }
}

static int add_entry(CellLegendEntry *out, int n, int max, CellLegendEntry e)
{
    for (int i = 0; i < n; i++)
        if (strcmp(out[i].key, e.key) == 0)
            return n;
    if (n < max)
        out[n++] = e;
    return n;
}

int cell_legend_entries(const CellLayout *l, CellLegendEntry *out, int max)
{
    int n = 0, stride = 0, add = 0, concat = 0, fr = 0, id = 0;
    for (int i = 0; i < l->nnodes; i++) {
        const CellNode *nd = &l->nodes[i];
        if (nd->kind == CELL_NODE_OP) {
            stride |= nd->stride2;
            if (nd->op == GENO_OP_IDENTITY)
                id = 1;
            else
                n = add_entry(out, n, max, op_entry(nd->op));
        } else if (nd->kind == CELL_NODE_COMBINE) {
            add |= nd->comb == GENO_COMB_ADD;
            concat |= nd->comb == GENO_COMB_CONCAT;
        } else if (nd->kind == CELL_NODE_FACT_REDUCE) {
            fr = 1;
        }
    }
    if (id)
        n = add_entry(out, n, max, op_entry(GENO_OP_IDENTITY));
    if (stride)
        n = add_entry(out, n, max,
                      (CellLegendEntry){ "/2", "stride 2", CANVAS_ROLE_TEXT });
    if (add)
        n = add_entry(out, n, max,
                      (CellLegendEntry){ "+", "add", CANVAS_ROLE_COMBINE });
    if (concat)
        n = add_entry(out, n, max,
                      (CellLegendEntry){ "&", "concat", CANVAS_ROLE_COMBINE });
    if (fr)
        n = add_entry(out, n, max, (CellLegendEntry){ "fr", "fact_reduce",
                                                      CANVAS_ROLE_IDENTITY });
    return n;
}

static int entry_width(const CellLegendEntry *e)
{
    return (int)(strlen(e->key) + 1 + strlen(e->what));
}

/* Row of each entry when laid out at width; returns the rows. */
static int legend_place(const CellLegendEntry *e, int n, int width, int *row,
                        int *col)
{
    int r = 0, x = 0;
    for (int i = 0; i < n; i++) {
        int ew = entry_width(&e[i]);
        if (x > 0 && x + 2 + ew > width) {
            r++;
            x = 0;
        }
        if (x > 0)
            x += 2;
        row[i] = r;
        col[i] = x;
        x += ew;
    }
    return n ? r + 1 : 0;
}

int cell_legend_rows(const CellLegendEntry *e, int n, int width)
{
    int row[CELL_LEGEND_MAX], col[CELL_LEGEND_MAX];
    if (n > CELL_LEGEND_MAX)
        n = CELL_LEGEND_MAX;
    return legend_place(e, n, width, row, col);
}

int cell_legend_draw(Canvas *c, int y, int rows, const CellLegendEntry *e,
                     int n)
{
    int row[CELL_LEGEND_MAX], col[CELL_LEGEND_MAX];
    if (n > CELL_LEGEND_MAX)
        n = CELL_LEGEND_MAX;
    int need = legend_place(e, n, c->width, row, col);
    if (rows <= 0 || n == 0)
        return 0;
    int cut = need > rows, used = cut ? rows : need;
    for (int i = 0; i < n && row[i] < used; i++) {
        int last = cut && row[i] == used - 1;
        if (last && col[i] + entry_width(&e[i]) + 5 > c->width) {
            canvas_text(c, col[i], y + row[i], "...", CANVAS_ROLE_TEXT);
            break;
        }
        int x = col[i];
        x += canvas_text(c, x, y + row[i], e[i].key, e[i].role);
        x += canvas_text(c, x, y + row[i], "=", CANVAS_ROLE_TEXT);
        x += canvas_text(c, x, y + row[i], e[i].what, CANVAS_ROLE_TEXT);
        if (last && (i + 1 == n || row[i + 1] >= used))
            canvas_text(c, x + 2, y + row[i], "...", CANVAS_ROLE_TEXT);
    }
    return used;
}
