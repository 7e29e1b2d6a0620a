/* test_ui_widgets.c - the UI widgets' pure parts: braille and block
 * encoding, the reward series' incremental aggregates, axis ranges, the
 * plot's text, the compare chart's curves and bands, distribution bars
 * and entropy, the progress bar, and the table's sorting, filtering and
 * cursor. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/bars.h"
#include "check.h"
#include "widgets/curves.h"
#include "widgets/grid.h"
#include "widgets/plot.h"
#include "widgets/progress.h"
#include "widgets/table.h"

static void test_encoding(void)
{
    uint8_t on[8] = { 0 };
    CHECK(plot_encode(PLOT_BRAILLE, on) == ' ', "blank braille cell");
    on[0] = 1;
    CHECK(plot_encode(PLOT_BRAILLE, on) == 0x2801, "dot 1");
    memset(on, 1, 8);
    CHECK(plot_encode(PLOT_BRAILLE, on) == 0x28ff, "all eight dots");
    memset(on, 0, 8);
    on[7] = 1; /* dx 1, dy 3: dot 8 */
    CHECK(plot_encode(PLOT_BRAILLE, on) == 0x2880, "dot 8");
    on[7] = 0;
    on[6] = 1; /* dx 0, dy 3: dot 7 */
    CHECK(plot_encode(PLOT_BRAILLE, on) == 0x2840, "dot 7");
    on[6] = 0;
    on[3] = 1; /* dx 1, dy 1: dot 5 */
    CHECK(plot_encode(PLOT_BRAILLE, on) == 0x2810, "dot 5");
    uint8_t q[4] = { 1, 1, 0, 0 };
    CHECK(plot_encode(PLOT_BLOCK, q) == 0x2580, "upper half block");
    uint8_t q2[4] = { 1, 0, 1, 0 };
    CHECK(plot_encode(PLOT_BLOCK, q2) == 0x258c, "left half block");
    uint8_t q3[4] = { 1, 1, 1, 1 };
    CHECK(plot_encode(PLOT_BLOCK, q3) == 0x2588, "full block");
    uint8_t a[2] = { 1, 1 };
    CHECK(plot_encode(PLOT_ASCII, a) == ':', "ascii both");
    uint8_t b[2] = { 0, 1 };
    CHECK(plot_encode(PLOT_ASCII, b) == '.', "ascii lower");
    int sx, sy;
    plot_mode_dots(PLOT_BRAILLE, &sx, &sy);
    CHECK(sx == 2 && sy == 4, "braille is 2x4");
    plot_mode_dots(PLOT_ASCII, &sx, &sy);
    CHECK(sx == 1 && sy == 2, "ascii is 1x2");
}

static void test_series(void)
{
    RewardSeries s;
    reward_series_init(&s, 3);
    const double r[] = { 0.5, 0.3, 0.7, 0.6, 0.1, 0.9 };
    for (int i = 0; i < 6; i++)
        CHECK(reward_series_push(&s, r[i]) == 0, "push %d", i);
    CHECK(s.n == 6, "n %zu", s.n);
    const double best[] = { 0.5, 0.5, 0.7, 0.7, 0.7, 0.9 };
    const double avg[] = { 0.5, 0.4, 0.5, (0.3 + 0.7 + 0.6) / 3,
                           (0.7 + 0.6 + 0.1) / 3, (0.6 + 0.1 + 0.9) / 3 };
    for (int i = 0; i < 6; i++) {
        CHECK(s.best[i] == best[i], "best[%d] %g", i, s.best[i]);
        CHECK(fabs(s.avg[i] - avg[i]) < 1e-12, "avg[%d] %g vs %g", i, s.avg[i], avg[i]);
    }
    /* Best-so-far is monotone over a long, noisy series. */
    reward_series_clear(&s);
    unsigned x = 12345;
    for (int i = 0; i < 10000; i++) {
        x = x * 1103515245u + 12345u;
        reward_series_push(&s, (x >> 16) % 1000 / 1000.0);
    }
    int mono = 1;
    for (size_t i = 1; i < s.n; i++)
        if (s.best[i] < s.best[i - 1])
            mono = 0;
    CHECK(mono && s.n == 10000, "best-so-far monotone over 10000 samples");
    reward_series_done(&s);
    CHECK(s.n == 0 && s.reward == NULL, "done empties");
}

static void test_range(void)
{
    double lo = 0.113, hi = 0.874;
    plot_nice_range(&lo, &hi);
    CHECK(fabs(lo - 0.1) < 1e-9 && fabs(hi - 0.9) < 1e-9, "range %g..%g", lo, hi);
    lo = hi = 0.5;
    plot_nice_range(&lo, &hi);
    CHECK(lo < 0.5 && hi > 0.5, "flat range widened %g..%g", lo, hi);
    lo = 0.81;
    hi = 0.83;
    plot_nice_range(&lo, &hi);
    CHECK(lo <= 0.81 && hi >= 0.83 && hi - lo <= 0.05 + 1e-9, "tight %g..%g", lo, hi);
}

static int count_cp_range(const UiGrid *g, uint32_t lo, uint32_t hi, UiRole role)
{
    int n = 0;
    for (int i = 0; i < g->width * g->height; i++)
        if (g->cells[i].ch >= lo && g->cells[i].ch <= hi &&
            (role == UI_ROLE_COUNT || g->cells[i].role == role))
            n++;
    return n;
}

static void test_plot(void)
{
    RewardSeries s;
    reward_series_init(&s, 5);
    for (int i = 0; i < 40; i++)
        reward_series_push(&s, 0.2 + 0.015 * i + (i % 3) * 0.05);
    UiGrid *g = ui_grid_new(60, 12);
    PlotOptions o = { PLOT_BRAILLE, 0, s.n, -1, "acc", "samples", 0, 0, NULL, 0, 0 };
    plot_draw(g, 0, 0, 60, 12, &s, &o);
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "samples") != NULL, "x unit shown:\n%s", txt);
    CHECK(strstr(txt, "40") != NULL, "last sample labelled:\n%s", txt);
    CHECK(strstr(txt, "0.900") || strstr(txt, "0.800") || strstr(txt, "1.000"),
          "top label:\n%s", txt);
    CHECK(strstr(txt, "0.200") != NULL, "bottom label:\n%s", txt);
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_BEST) > 5, "best line drawn");
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_COUNT) > 20, "dots drawn");
    free(txt);
    /* The best-so-far line never goes down: its topmost dot row per column
     * is non-increasing from left to right (row 0 is the top). */
    int last_row = 1 << 30, ok = 1;
    for (int x = 7; x < 60; x++) {
        int top = -1;
        for (int y = 0; y < 10 && top < 0; y++)
            if (ui_grid_at(g, x, y)->role == UI_ROLE_BEST)
                top = y;
        if (top >= 0) {
            if (top > last_row)
                ok = 0;
            last_row = top;
        }
    }
    CHECK(ok, "best-so-far line is monotone on screen");
    ui_grid_free(g);

    g = ui_grid_new(40, 8);
    o.mode = PLOT_ASCII;
    plot_draw(g, 0, 0, 40, 8, &s, &o);
    for (int i = 0; i < g->width * g->height; i++)
        CHECK(g->cells[i].ch < 0x80, "ASCII plot has only ASCII");
    ui_grid_free(g);

    /* Without the best-so-far line no character has its role. */
    g = ui_grid_new(60, 12);
    o.mode = PLOT_BRAILLE;
    o.hide_best = 1;
    plot_draw(g, 0, 0, 60, 12, &s, &o);
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_BEST) == 0, "best hidden");
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_AVG) > 5, "average drawn");
    ui_grid_free(g);

    RewardSeries empty;
    reward_series_init(&empty, 5);
    g = ui_grid_new(40, 8);
    PlotOptions e = { PLOT_BRAILLE, 0, 0, -1, "acc", "samples", 0, 0, NULL, 0, 0 };
    plot_draw(g, 0, 0, 40, 8, &empty, &e);
    txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "no samples yet") != NULL, "empty plot says so:\n%s", txt);
    free(txt);
    ui_grid_free(g);
    reward_series_done(&s);
}

/* Topmost row holding a character of role r in column x, or -1. */
static int top_row(const UiGrid *g, int x, UiRole r)
{
    for (int y = 0; y < g->height; y++)
        if (ui_grid_at(g, x, y)->role == r)
            return y;
    return -1;
}

static void test_curves(void)
{
    /* Series 1 rises from 0.2 to 0.8 with a band of +-0.05; series 2 stays
     * at 0.3 with no band, over half as many samples. */
    enum { N = 30 };
    double m1[N], lo1[N], hi1[N], m2[N / 2];
    for (int i = 0; i < N; i++) {
        m1[i] = 0.2 + 0.6 * i / (N - 1);
        lo1[i] = m1[i] - 0.05;
        hi1[i] = m1[i] + 0.05;
    }
    for (int i = 0; i < N / 2; i++)
        m2[i] = 0.3;
    CurveSeries s[2] = {
        { m1, lo1, hi1, N, UI_ROLE_SERIES1, NULL, 0, 0 },
        { m2, NULL, NULL, N / 2, UI_ROLE_SERIES2, NULL, 0, 0 },
    };
    UiGrid *g = ui_grid_new(60, 14);
    curves_draw(g, 0, 0, 60, 14, s, 2, PLOT_BRAILLE, "samples", NULL);
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "samples") != NULL, "x unit:\n%s", txt);
    CHECK(strstr(txt, "30") != NULL, "longest series labels the x axis:\n%s", txt);
    CHECK(strstr(txt, "0.80") || strstr(txt, "0.90") || strstr(txt, "1.00"),
          "top label:\n%s", txt);
    CHECK(strstr(txt, "0.20") || strstr(txt, "0.10") || strstr(txt, "0.00"),
          "bottom label:\n%s", txt);
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_SERIES1) > 30,
          "series 1 with its band");
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_SERIES2) > 10, "series 2");
    /* Series 1 rises: its top row goes up (smaller) from left to right;
     * series 2 ends halfway across. */
    int left = top_row(g, 8, UI_ROLE_SERIES1), right = top_row(g, 58, UI_ROLE_SERIES1);
    CHECK(left > right && right >= 0, "rising curve: rows %d then %d", left, right);
    CHECK(top_row(g, 55, UI_ROLE_SERIES2) < 0, "the shorter series stops");
    free(txt);
    ui_grid_free(g);

    /* The band is drawn: without it series 1 covers fewer characters. */
    g = ui_grid_new(60, 14);
    curves_draw(g, 0, 0, 60, 14, s, 2, PLOT_BRAILLE, "samples", NULL);
    int with_band = count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_SERIES1);
    ui_grid_free(g);
    s[0].lo = s[0].hi = NULL;
    g = ui_grid_new(60, 14);
    curves_draw(g, 0, 0, 60, 14, s, 2, PLOT_BRAILLE, "samples", NULL);
    CHECK(count_cp_range(g, 0x2801, 0x28ff, UI_ROLE_SERIES1) < with_band,
          "the band adds dots");
    ui_grid_free(g);

    g = ui_grid_new(40, 8);
    curves_draw(g, 0, 0, 40, 8, s, 2, PLOT_ASCII, "samples", NULL);
    for (int i = 0; i < g->width * g->height; i++)
        CHECK(g->cells[i].ch < 0x80, "ASCII curves have only ASCII");
    ui_grid_free(g);
}

/* Count of cells in column x holding role r. */
static int col_count(const UiGrid *g, int x, UiRole r)
{
    int n = 0;
    for (int y = 0; y < g->height; y++)
        n += ui_grid_at(g, x, y)->role == r;
    return n;
}

/* The y title and ticks; two overlapping bands both stay visible; runs
 * drawn thin; markers tell the series apart without colour. */
static void test_curves_axes_bands(void)
{
    enum { N = 40 };
    double m1[N], lo1[N], hi1[N], m2[N], lo2[N], hi2[N], r1[N], r2[N];
    for (int i = 0; i < N; i++) {
        m1[i] = 0.5;
        lo1[i] = 0.2;
        hi1[i] = 0.8;
        m2[i] = 0.55; /* a second, wider band over the first */
        lo2[i] = 0.1;
        hi2[i] = 0.9;
        r1[i] = 0.45;
        r2[i] = 0.65;
    }
    CurveSeries s[2] = {
        { m1, lo1, hi1, N, UI_ROLE_SERIES1, NULL, 0, 'o' },
        { m2, lo2, hi2, N, UI_ROLE_SERIES2, NULL, 0, '+' },
    };
    UiGrid *g = ui_grid_new(60, 20);
    curves_draw(g, 0, 0, 60, 20, s, 2, PLOT_BRAILLE, "samples",
                "val acc, best so far");
    char *txt = ui_grid_to_utf8(g);
    CHECK(strncmp(txt, "val acc, best so far", 20) == 0, "y title:\n%s", txt);
    /* ticks: several labelled rows with a tick mark on the axis */
    int ticks = 0;
    for (int y = 1; y < 18; y++)
        if (ui_grid_at(g, 6, y)->ch == 0x2524 && ui_grid_at(g, 4, y)->ch >= '0' &&
            ui_grid_at(g, 4, y)->ch <= '9')
            ticks++;
    CHECK(ticks >= 4, "y ticks %d:\n%s", ticks, txt);
    CHECK(strstr(txt, "0.40") != NULL, "a tick at 0.40:\n%s", txt);
    /* series 1's band lies inside series 2's: its edges still show */
    CHECK(col_count(g, 30, UI_ROLE_SERIES1) >= 2,
          "the inner band is not painted over:\n%s", txt);
    CHECK(col_count(g, 30, UI_ROLE_SERIES2) >= 2, "the outer band:\n%s", txt);
    /* markers */
    CHECK(strchr(txt, 'o') && strchr(txt, '+'), "markers:\n%s", txt);
    free(txt);
    ui_grid_free(g);

    /* Runs instead of bands: dotted lines in the series' role. */
    const double *runs[2] = { r1, r2 };
    CurveSeries t = { m1, NULL, NULL, N, UI_ROLE_SERIES1, runs, 2, 0 };
    g = ui_grid_new(60, 20);
    curves_draw(g, 0, 0, 60, 20, &t, 1, PLOT_BRAILLE, "samples", NULL);
    CHECK(col_count(g, 30, UI_ROLE_SERIES1) == 3, "mean and two runs: %d",
          col_count(g, 30, UI_ROLE_SERIES1));
    /* a run's character has at most 2 of the 8 dots lit (thin) */
    int thin = 1;
    for (int y = 1; y < 18; y++) {
        uint32_t ch = ui_grid_at(g, 30, y)->ch;
        if (ch > 0x2800 && ch <= 0x28ff && __builtin_popcount(ch - 0x2800) > 2)
            thin = 0;
    }
    CHECK(thin, "runs and mean are thin");
    ui_grid_free(g);
}

static const char *label_fn(int v, void *ctx)
{
    (void)ctx;
    static const char *names[] = { "identity", "conv_3x3", "max_pool_3x3" };
    return names[v];
}

static void test_bars(void)
{
    float uni[4] = { 0.25f, 0.25f, 0.25f, 0.25f };
    CHECK(fabs(bars_entropy(uni, 4) - log(4)) < 1e-6, "uniform entropy ln 4");
    float one[3] = { 1, 0, 0 };
    CHECK(bars_entropy(one, 3) == 0, "one-hot entropy 0");
    CHECK(bars_level(0) == 0 && bars_level(0.001) == 1 && bars_level(1) == 8,
          "levels");
    UiGrid *g = ui_grid_new(50, 3);
    float p[3] = { 0.1f, 0.7f, 0.2f };
    int rows = bars_draw(g, 0, 0, 50, 3, p, 3, 1, label_fn, NULL, PLOT_BRAILLE);
    CHECK(rows == 3, "three rows");
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "\u25b6 conv_3x3") != NULL, "chosen marked:\n%s", txt);
    CHECK(strstr(txt, "70.0%") != NULL, "percentage:\n%s", txt);
    free(txt);
    CHECK(ui_grid_at(g, 2, 1)->role == UI_ROLE_CHOSEN, "chosen role");
    ui_grid_free(g);
    g = ui_grid_new(5, 1);
    bars_spark(g, 0, 0, p, 3, 1, PLOT_BRAILLE);
    CHECK(ui_grid_at(g, 1, 0)->ch == 0x2580 + 8,
          "spark scaled to the row's max: 0.7 of 0.7 is 8/8 (%x)",
          ui_grid_at(g, 1, 0)->ch);
    CHECK(ui_grid_at(g, 1, 0)->role == UI_ROLE_CHOSEN, "spark chosen role");
    ui_grid_free(g);
    /* Near uniform over 13 values: full blocks and a shorter one, not a
     * row of the lowest eighth. */
    float u[13];
    for (int i = 0; i < 13; i++)
        u[i] = i == 4 ? 0.04f : 0.08f;
    g = ui_grid_new(13, 1);
    bars_spark(g, 0, 0, u, 13, 0, PLOT_BRAILLE);
    CHECK(ui_grid_at(g, 0, 0)->ch == 0x2580 + 8 && ui_grid_at(g, 4, 0)->ch ==
          0x2580 + 4, "near-uniform row scaled (%x %x)",
          ui_grid_at(g, 0, 0)->ch, ui_grid_at(g, 4, 0)->ch);
    ui_grid_free(g);
}

static void test_progress(void)
{
    UiGrid *g = ui_grid_new(40, 1);
    progress_draw(g, 0, 0, 40, 0.5, "epoch 1/2", PLOT_ASCII);
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "  50% epoch 1/2") != NULL, "label and percent: %s", txt);
    CHECK(txt[0] == '[' && strchr(txt, ']'), "brackets: %s", txt);
    int hashes = 0;
    for (char *c = txt; *c; c++)
        hashes += *c == '#';
    CHECK(hashes == 11, "half of 22 cells filled: %d in %s", hashes, txt);
    free(txt);
    ui_grid_free(g);
}

static const TableColumn cols[] = { { "id", 4, 1 }, { "name", 10, 0 },
                                    { "reward", 8, 1 } };

/* The last column scrolls sideways: text past its width comes into view,
 * the title says from where, and scrolling stops at the longest text. */
static void test_table_hscroll(void)
{
    static const TableColumn hc[] = { { "id", 4, 1 }, { "genotype", 0, 0 } };
    Table t;
    table_init(&t, hc, 2);
    const char *text[2] = { "1", "abcdefghijklmnopqrstuvwxyz0123456789" };
    double key[2] = { 1, NAN };
    table_add_row(&t, 1, text, key, UI_ROLE_NORMAL);
    table_update(&t);
    UiGrid *g = ui_grid_new(20, 3);
    table_draw(&t, g, 0, 0, 20, 3, 0);
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "abcdef") && !strstr(txt, "789"), "start shown:\n%s", txt);
    free(txt);
    table_hscroll(&t, 100);
    ui_grid_free(g);
    g = ui_grid_new(20, 3);
    table_draw(&t, g, 0, 0, 20, 3, 0);
    txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "0123456789") != NULL, "end scrolled into view:\n%s", txt);
    CHECK(strstr(txt, "(from") != NULL, "title says so:\n%s", txt);
    CHECK(t.hscroll == 36 - 15, "stops at the end: %d", t.hscroll);
    free(txt);
    table_hscroll(&t, -1000);
    CHECK(t.hscroll == 0, "back to the start");
    ui_grid_free(g);
    table_done(&t);
}

static void test_table(void)
{
    Table t;
    table_init(&t, cols, 3);
    const char *names[] = { "alpha", "beta", "gamma", "delta", "Alphabet" };
    const double rewards[] = { 0.5, 0.9, 0.1, 0.7, 0.3 };
    for (int i = 0; i < 5; i++) {
        char id[8], rw[16];
        snprintf(id, sizeof id, "%d", i);
        snprintf(rw, sizeof rw, "%.2f", rewards[i]);
        const char *text[3] = { id, names[i], rw };
        double key[3] = { i, NAN, rewards[i] };
        CHECK(table_add_row(&t, i, text, key, UI_ROLE_NORMAL) == 0, "add");
    }
    table_update(&t);
    CHECK(t.nview == 5 && table_current(&t)->id == 0, "by id");
    table_sort(&t, 2, 1);
    CHECK(t.rows[t.view[0]].id == 1 && t.rows[t.view[4]].id == 2,
          "reward descending");
    CHECK(table_current(&t)->id == 0, "cursor follows its row after sort");
    table_sort(&t, 1, 0);
    CHECK(!strcmp(t.rows[t.view[0]].text[1], "Alphabet"), "text sort");
    table_set_filter(&t, "ALPHA");
    CHECK(t.nview == 2, "filter is case-insensitive: %zu", t.nview);
    table_jump(&t, 0);
    int64_t first = table_current(&t)->id;
    CHECK(table_next_match(&t, 1) && table_current(&t)->id != first, "n moves");
    CHECK(table_next_match(&t, 1) && table_current(&t)->id == first, "n wraps");
    CHECK(table_next_match(&t, -1) && table_current(&t)->id != first, "N moves");
    table_set_filter(&t, "zzz");
    CHECK(t.nview == 0 && table_current(&t) == NULL, "no match, empty view");
    table_set_filter(&t, "");
    CHECK(t.nview == 5, "filter cleared");
    table_move(&t, 100);
    CHECK(t.cursor == 4, "move clamps");
    table_move(&t, -100);
    CHECK(t.cursor == 0, "move clamps up");
    UiGrid *g = ui_grid_new(30, 4);
    table_sort(&t, 0, 0);
    t.cursor = 4;
    table_draw(&t, g, 0, 0, 30, 4, 0);
    char *txt = ui_grid_to_utf8(g);
    CHECK(strstr(txt, "id\u25b2") != NULL, "sort arrow in header:\n%s", txt);
    CHECK(strstr(txt, "Alphabet") != NULL, "cursor row visible:\n%s", txt);
    CHECK(t.top == 2, "scrolled to keep the cursor visible: top %zu", t.top);
    free(txt);
    ui_grid_free(g);
    /* Rows arriving later keep the cursor on its row. */
    t.cursor = 0;
    int64_t keep = table_current(&t)->id;
    table_sort(&t, 2, 1);
    const char *text[3] = { "9", "omega", "0.99" };
    double key[3] = { 9, NAN, 0.99 };
    table_add_row(&t, 9, text, key, UI_ROLE_NORMAL);
    table_update(&t);
    CHECK(table_current(&t)->id == keep, "cursor kept over new rows");
    CHECK(t.rows[t.view[0]].id == 9, "new best on top");
    table_done(&t);
    test_table_hscroll();
}

static void test_grid(void)
{
    UiGrid *g = ui_grid_new(6, 2);
    CHECK(ui_grid_text(g, 4, 0, "h\u00e9llo", UI_ROLE_NORMAL) == 2, "clipped");
    char *t = ui_grid_to_utf8(g);
    CHECK(!strcmp(t, "    h\u00e9\n\n"), "utf8 out: '%s'", t);
    free(t);
    Canvas *c = canvas_new(3, 1);
    canvas_text(c, 0, 0, "abc", CANVAS_ROLE_CONV);
    ui_grid_blit_canvas(g, 0, 1, 2, 1, c, 1, 0);
    CHECK(ui_grid_at(g, 0, 1)->ch == 'b' &&
          ui_grid_at(g, 0, 1)->role == UI_ROLE_CANVAS + CANVAS_ROLE_CONV,
          "canvas blitted with its role");
    CHECK(ui_grid_at(g, 2, 1)->ch == ' ', "blit clipped to its window");
    canvas_free(c);
    ui_grid_free(g);
    CHECK(ui_utf8_width("\u2801ab") == 3, "width in code points");
}

int main(void)
{
    test_encoding();
    test_series();
    test_range();
    test_plot();
    test_curves();
    test_curves_axes_bands();
    test_bars();
    test_progress();
    test_table();
    test_grid();
    return check_exit("test_ui_widgets");
}
