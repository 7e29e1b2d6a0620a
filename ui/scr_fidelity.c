/* scr_fidelity.c - a fidelity panel (`nasview fidelity`) on screen: the
 * scatter plot of one cheap fidelity's scores (x) against the reference's
 * (y) for every architecture scored at both, and the correlation table
 * of every fidelity against the reference (Spearman rho and Kendall tau
 * with their 95% bootstrap intervals, top-k overlap, seconds per child
 * and cost against the reference), as compare/fidelity.h computes them
 * for the report.  Re-read when the database changes, so a panel that is
 * training fills in as its results arrive.  Never writes the database.
 *
 * Keys: n / N the next or previous panel, Tab / Shift-Tab the fidelity
 * plotted against the reference. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/fidelity.h"
#include "store/store_fidelity.h"
#include "widgets/plot.h"
#include "screens.h"

#define FID_TOP_K 5
#define FID_REPS 200

typedef struct {
    Screen base;
    int panel;                 /* index in the list of panels */
    int level;                 /* the level plotted (not the reference) */
    StorePanel *panels;
    size_t npanels;
    StorePanelMember *mem;
    StorePanelLevel *lev;
    size_t nmem, nlev;
    double *score, *secs;      /* [nmem][nlev] */
    FidelityRow *rows;         /* [nlev] */
    int have_rows;
    char problem[NV_ERROR_MAX];
} FidScreen;

static void fid_clear(FidScreen *fs)
{
    free(fs->mem);
    free(fs->lev);
    free(fs->score);
    free(fs->secs);
    free(fs->rows);
    fs->mem = NULL;
    fs->lev = NULL;
    fs->score = fs->secs = NULL;
    fs->rows = NULL;
    fs->nmem = fs->nlev = 0;
    fs->have_rows = 0;
}

/* fid_load - the panels, and the rows of the one shown. */
static void fid_load(FidScreen *fs, App *a)
{
    Store *st = ui_data_store(a->data);
    NvError err;
    StorePanelResult *res = NULL;
    size_t nres = 0;
    fid_clear(fs);
    free(fs->panels);
    fs->panels = NULL;
    fs->npanels = 0;
    fs->problem[0] = '\0';
    if (!st)
        return;
    if (store_panel_list(st, &fs->panels, &fs->npanels, &err) != NV_OK) {
        snprintf(fs->problem, sizeof fs->problem, "%s", err.msg);
        return;
    }
    if (fs->npanels == 0)
        return;
    if (fs->panel >= (int)fs->npanels)
        fs->panel = (int)fs->npanels - 1;
    int64_t id = fs->panels[fs->panel].id;
    if (store_panel_members(st, id, &fs->mem, &fs->nmem, &err) != NV_OK ||
        store_panel_levels(st, id, &fs->lev, &fs->nlev, &err) != NV_OK ||
        store_panel_results(st, id, &res, &nres, &err) != NV_OK) {
        snprintf(fs->problem, sizeof fs->problem, "%s", err.msg);
        fid_clear(fs);
        return;
    }
    size_t cells = fs->nmem * fs->nlev;
    fs->score = malloc(sizeof(double) * (cells ? cells : 1));
    fs->secs = malloc(sizeof(double) * (cells ? cells : 1));
    fs->rows = calloc(fs->nlev ? fs->nlev : 1, sizeof *fs->rows);
    FidelityMember *fm = calloc(fs->nmem ? fs->nmem : 1, sizeof *fm);
    FidelityLevel *fl = calloc(fs->nlev ? fs->nlev : 1, sizeof *fl);
    if (!fs->score || !fs->secs || !fs->rows || !fm || !fl) {
        snprintf(fs->problem, sizeof fs->problem, "out of memory");
        free(fm);
        free(fl);
        free(res);
        fid_clear(fs);
        return;
    }
    for (size_t i = 0; i < cells; i++)
        fs->score[i] = fs->secs[i] = NAN;
    for (size_t i = 0; i < nres; i++) {
        size_t m = (size_t)res[i].member_idx, l = (size_t)res[i].level_idx;
        if (m < fs->nmem && l < fs->nlev && strcmp(res[i].status, "failed")) {
            fs->score[m * fs->nlev + l] = res[i].score;
            fs->secs[m * fs->nlev + l] = res[i].seconds;
        }
    }
    free(res);
    for (size_t m = 0; m < fs->nmem; m++) {
        fm[m].source = fs->mem[m].source;
        fm[m].genotype = fs->mem[m].genotype;
    }
    for (size_t l = 0; l < fs->nlev; l++) {
        fl[l].name = fs->lev[l].name;
        fl[l].score = fs->lev[l].score;
        fl[l].spec = fs->lev[l].spec;
    }
    if (fs->nlev >= 1) {
        FidelityInput in = { fs->panels[fs->panel].name,
                             fs->panels[fs->panel].seed, fs->nmem, fs->nlev,
                             fm, fl, fs->score, fs->secs, 0, FID_TOP_K,
                             FID_REPS };
        fs->have_rows = fidelity_analyse(&in, fs->rows, &err) == NV_OK;
    }
    free(fm);
    free(fl);
    if (fs->level < 1 || fs->level >= (int)fs->nlev)
        fs->level = fs->nlev > 1 ? 1 : 0;
}

/* draw_scatter - level l (x) against the reference (y) in the w x h area
 * at (x0, y0): y labels on the left, then the dots. */
static void draw_scatter(FidScreen *fs, App *a, UiGrid *g, int x0, int y0,
                         int w, int h, int l)
{
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    size_t n = 0;
    for (size_t m = 0; m < fs->nmem; m++) {
        double xv = fs->score[m * fs->nlev + (size_t)l];
        double yv = fs->score[m * fs->nlev];
        if (!isfinite(xv) || !isfinite(yv))
            continue;
        xlo = fmin(xlo, xv);
        xhi = fmax(xhi, xv);
        ylo = fmin(ylo, yv);
        yhi = fmax(yhi, yv);
        n++;
    }
    const int lw = 8, pw = w - lw, ph = h - 1;
    if (n == 0 || pw < 4 || ph < 2) {
        ui_grid_text(g, x0, y0, "no architecture scored at both yet",
                     UI_ROLE_DIM);
        return;
    }
    if (xhi <= xlo) {
        xlo -= 0.5;
        xhi += 0.5;
    }
    if (yhi <= ylo) {
        ylo -= 0.5;
        yhi += 0.5;
    }
    int sx, sy;
    plot_mode_dots(a->cfg.plot_mode, &sx, &sy);
    uint8_t *on = calloc((size_t)pw * ph * sx * sy, 1);
    if (!on)
        return;
    for (size_t m = 0; m < fs->nmem; m++) {
        double xv = fs->score[m * fs->nlev + (size_t)l];
        double yv = fs->score[m * fs->nlev];
        if (!isfinite(xv) || !isfinite(yv))
            continue;
        int dx = (int)lround((xv - xlo) / (xhi - xlo) * (pw * sx - 1));
        int dy = (int)lround((yhi - yv) / (yhi - ylo) * (ph * sy - 1));
        int cx = dx / sx, cy = dy / sy;
        on[((size_t)cy * pw + cx) * sx * sy + (size_t)(dy % sy) * sx +
           (dx % sx)] = 1;
    }
    for (int cy = 0; cy < ph; cy++)
        for (int cx = 0; cx < pw; cx++) {
            uint32_t ch = plot_encode(a->cfg.plot_mode,
                                      on + ((size_t)cy * pw + cx) * sx * sy);
            if (ch != ' ')
                ui_grid_put(g, x0 + lw + cx, y0 + cy, ch, UI_ROLE_SCATTER);
        }
    free(on);
    char buf[64];
    snprintf(buf, sizeof buf, "%7.4g", yhi);
    ui_grid_text(g, x0, y0, buf, UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%7.4g", ylo);
    ui_grid_text(g, x0, y0 + ph - 1, buf, UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%.4g", xlo);
    ui_grid_text(g, x0 + lw, y0 + ph, buf, UI_ROLE_AXIS);
    snprintf(buf, sizeof buf, "%.4g", xhi);
    ui_grid_text(g, x0 + w - (int)strlen(buf), y0 + ph, buf, UI_ROLE_AXIS);
}

static void interval(char *buf, size_t n, const RankInterval *r)
{
    snprintf(buf, n, "%+.2f [%+.2f, %+.2f]", r->value, r->lo, r->hi);
}

static void fid_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w,
                     int h)
{
    FidScreen *fs = (FidScreen *)s;
    char line[512];
    if (fs->problem[0]) {
        ui_grid_text(g, x, y, fs->problem, UI_ROLE_BAD);
        return;
    }
    if (fs->npanels == 0) {
        ui_grid_text(g, x, y, "No fidelity panel in this database: "
                              "`nasview fidelity --panel NAME ...` makes one.",
                     UI_ROLE_DIM);
        return;
    }
    const StorePanel *p = &fs->panels[fs->panel];
    snprintf(line, sizeof line, "Fidelity panel %s  (%d of %d)  %zu "
                                "architectures, %zu fidelities, reference %s",
             p->name, fs->panel + 1, (int)fs->npanels, fs->nmem, fs->nlev,
             fs->nlev ? fs->lev[0].name : "-");
    ui_grid_text_clip(g, x, y, x + w, line, UI_ROLE_TITLE);
    int ty = y + 2;
    snprintf(line, sizeof line, "%-12s %-9s %4s  %-21s %-21s %5s %8s %8s",
             "FIDELITY", "SCORE", "N", "RHO [95%]", "TAU [95%]", "TOP-K",
             "S/CHILD", "COST");
    ui_grid_text_clip(g, x, ty++, x + w, line, UI_ROLE_TITLE);
    for (size_t l = 0; l < fs->nlev && fs->have_rows; l++) {
        const FidelityRow *r = &fs->rows[l];
        char rho[40] = "reference", tau[40] = "", top[16] = "", sec[16] = "-",
             cost[16] = "-";
        if (l > 0 && r->n >= 2) {
            interval(rho, sizeof rho, &r->rho);
            interval(tau, sizeof tau, &r->tau);
            snprintf(top, sizeof top, "%zu/%zu", r->overlap, r->k);
        } else if (l > 0)
            snprintf(rho, sizeof rho, "-");
        if (!isnan(r->seconds))
            snprintf(sec, sizeof sec, "%.3g", r->seconds);
        if (!isnan(r->cost_ratio))
            snprintf(cost, sizeof cost, "%.2gx", r->cost_ratio);
        snprintf(line, sizeof line, "%-12.12s %-9.9s %4zu  %-21s %-21s %5s "
                                    "%8s %8s",
                 fs->lev[l].name, fs->lev[l].score, l ? r->n : r->results,
                 rho, tau, top, sec, cost);
        ui_grid_text_clip(g, x, ty++, x + w, line,
                          (int)l == fs->level ? UI_ROLE_SELECT
                                              : UI_ROLE_NORMAL);
    }
    if (fs->nlev < 2)
        return;
    ty++;
    snprintf(line, sizeof line, "%s (x) against %s (y), one dot per "
                                "architecture  (Tab: another fidelity)",
             fs->lev[fs->level].name, fs->lev[0].name);
    ui_grid_text_clip(g, x, ty++, x + w, line, UI_ROLE_TITLE);
    if (h - (ty - y) >= 4)
        draw_scatter(fs, a, g, x, ty, w < 80 ? w : 80, h - (ty - y),
                     fs->level);
}

static int fid_key(Screen *s, App *a, int key)
{
    FidScreen *fs = (FidScreen *)s;
    switch (key) {
    case 'n':
    case 'N':
        if (fs->npanels > 1) {
            int d = key == 'n' ? 1 : (int)fs->npanels - 1;
            fs->panel = (fs->panel + d) % (int)fs->npanels;
            fid_load(fs, a);
        }
        return 1;
    case '\t':
    case UI_KEY_BTAB:
        if (fs->nlev > 1) {
            int k = (int)fs->nlev - 1; /* the levels but the reference */
            int i = fs->level - 1;
            i = key == '\t' ? (i + 1) % k : (i + k - 1) % k;
            fs->level = i + 1;
        }
        return 1;
    default:
        return 0;
    }
}

static int fid_tick(Screen *s, App *a)
{
    if (!ui_data_changed(a->data))
        return 0;
    fid_load((FidScreen *)s, a);
    return 1;
}

static const UiKey fid_keys[] = {
    { "n / N", "next / previous panel" },
    { "Tab / Shift-Tab", "the fidelity plotted against the reference" },
    { "q / Esc", "back" },
    { NULL, NULL },
};

static const UiKey *fid_keylist(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return fid_keys;
}

static const char *fid_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "n/N panel  Tab fidelity  q back";
}

static void fid_free(Screen *s)
{
    FidScreen *fs = (FidScreen *)s;
    fid_clear(fs);
    free(fs->panels);
    free(fs);
}

static const ScreenOps fid_ops = {
    "Fidelity", fid_draw, fid_key, fid_tick, fid_keylist, fid_hint, fid_free,
};

Screen *scr_fidelity_new(App *a)
{
    FidScreen *fs = calloc(1, sizeof *fs);
    if (!fs)
        return NULL;
    fs->base.ops = &fid_ops;
    fid_load(fs, a);
    return &fs->base;
}
