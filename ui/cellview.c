/* cellview.c - cells and decisions of a sample (see cellview.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "widgets/bars.h"
#include "cellview.h"

UiRole cellview_op_role(int op)
{
    CanvasRole r;
    switch (op) {
    case GENO_OP_IDENTITY: r = CANVAS_ROLE_IDENTITY; break;
    case GENO_OP_SEP_CONV_3X3: case GENO_OP_SEP_CONV_5X5:
    case GENO_OP_SEP_CONV_7X7: r = CANVAS_ROLE_SEP_CONV; break;
    case GENO_OP_AVG_POOL_3X3: case GENO_OP_MAX_POOL_3X3:
    case GENO_OP_MAX_POOL_5X5: case GENO_OP_MAX_POOL_7X7:
        r = CANVAS_ROLE_POOL; break;
    default: r = CANVAS_ROLE_CONV; break;
    }
    return (UiRole)(UI_ROLE_CANVAS + r);
}

int cellview_draw_text(UiGrid *grid, int x, int y, int w, int h,
                       const Genotype *g, int cell)
{
    int rows = 0, end = x + w;
    char buf[128];
    const UiRole comb_role = (UiRole)(UI_ROLE_CANVAS + CANVAS_ROLE_COMBINE);
    for (int b = 0; b < GENO_BLOCKS && rows < h; b++, rows++) {
        const GenoBlock *bl = &g->cells[cell].blocks[b];
        int cx = x;
        snprintf(buf, sizeof buf, "b%d = ", b);
        cx += ui_grid_text_clip(grid, cx, y + rows, end, buf, UI_ROLE_DIM);
        int in[2] = { bl->in1, bl->in2 }, op[2] = { bl->op1, bl->op2 };
        for (int k = 0; k < 2; k++) {
            cx += ui_grid_text_clip(grid, cx, y + rows, end, geno_op_name(op[k]),
                                    cellview_op_role(op[k]));
            snprintf(buf, sizeof buf, "(%s)", geno_state_name(in[k]));
            cx += ui_grid_text_clip(grid, cx, y + rows, end, buf, UI_ROLE_NORMAL);
            if (k == 0)
                cx += ui_grid_text_clip(grid, cx, y + rows, end,
                                        bl->comb == GENO_COMB_ADD ? " + " : " ++ ",
                                        comb_role);
        }
    }
    if (rows < h) {
        unsigned mask = geno_cell_output_mask(g, cell);
        int cx = x + ui_grid_text_clip(grid, x, y + rows, end, "out = concat(",
                                       UI_ROLE_DIM);
        int first = 1;
        for (int s = 0; s < GENO_STATES; s++)
            if (mask & (1u << s)) {
                snprintf(buf, sizeof buf, "%s%s", first ? "" : ", ",
                         geno_state_name(s));
                cx += ui_grid_text_clip(grid, cx, y + rows, end, buf,
                                        (UiRole)(UI_ROLE_CANVAS + CANVAS_ROLE_OUTPUT));
                first = 0;
            }
        ui_grid_text_clip(grid, cx, y + rows, end, ")", UI_ROLE_DIM);
        rows++;
    }
    if (rows < h)
        ui_grid_text_clip(grid, x, y + rows++, end, "(+ add, ++ concat)", UI_ROLE_DIM);
    return rows;
}

int cellview_decisions(UiGrid *grid, int x, int y, int w, int h,
                       const StoreDecision *dec, int n, int top, int sel,
                       PlotMode mode)
{
    int rows = 0;
    char buf[160];
    for (int i = top; i < n && rows < h; i++, rows++) {
        const StoreDecision *d = &dec[i];
        int r = y + rows;
        if (i == sel)
            for (int c = 0; c < w; c++)
                ui_grid_put(grid, x + c, r, ' ', UI_ROLE_SELECT);
        UiRole base = i == sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL;
        snprintf(buf, sizeof buf, "%c b%d %-4s", d->cell ? 'R' : 'N', d->block,
                 geno_field_name(d->field));
        ui_grid_text(grid, x, r, buf, i == sel ? UI_ROLE_SELECT : UI_ROLE_DIM);
        const char *label = geno_decision_label(d->step, d->chosen);
        snprintf(buf, sizeof buf, "%-13.13s", label ? label : "?");
        UiRole lr = base;
        if (i != sel && (d->field == GENO_FIELD_OP1 || d->field == GENO_FIELD_OP2))
            lr = cellview_op_role(d->chosen);
        ui_grid_text(grid, x + 11, r, buf, lr);
        float p = d->chosen >= 0 && d->chosen < d->support ? d->probs[d->chosen] : 0;
        snprintf(buf, sizeof buf, "%4.2f %4.2f", (double)p,
                 bars_entropy(d->probs, d->support));
        /* Narrow panes drop the numbers before the distribution. */
        if (25 + 10 + GENO_MAX_SUPPORT <= w) {
            ui_grid_text(grid, x + 25, r, buf, base);
            bars_spark(grid, x + 35, r, d->probs, d->support, d->chosen, mode);
        } else if (25 + d->support <= w) {
            bars_spark(grid, x + 25, r, d->probs, d->support, d->chosen, mode);
        }
    }
    return rows;
}

void cellview_decisions_title(UiGrid *grid, int x, int y, int w)
{
    char buf[80];
    if (25 + 10 + GENO_MAX_SUPPORT <= w)
        snprintf(buf, sizeof buf, "%-11s%-14s%4s %4s %s", "Decisions", "chosen",
                 "p", "H", "dist./row max");
    else
        snprintf(buf, sizeof buf, "%-11s%-14s%s", "Decisions", "chosen",
                 "dist./row max");
    ui_grid_text(grid, x, y, buf, UI_ROLE_TITLE);
}

int cellview_genotype_wrap(const char *t, int w, int *start, int *len, int max)
{
    int n = 0, pos = 0, tl = (int)strlen(t);
    if (w < 1)
        w = 1;
    while (pos < tl && n < max) {
        int best = -1;
        /* The text is canonical (ASCII): a byte is a column. */
        for (int i = pos; i < tl && i - pos < w; i++)
            if (t[i] == ';' || t[i] == '|' || i == tl - 1) {
                best = i + 1;
                if (t[i] == '|')
                    break;
            }
        if (best < 0) {
            for (int i = pos + w; i > pos && best < 0; i--)
                if (t[i] == ' ')
                    best = i;
            if (best < 0)
                best = pos + w;
        }
        start[n] = pos;
        len[n] = best - pos;
        n++;
        pos = best;
        while (t[pos] == ' ')
            pos++;
    }
    return n;
}
