/* plot.h - the reward chart: raw rewards as a scatter, their moving
 * average, and the best-so-far line, drawn with braille dots (2x4 per
 * character), quadrant blocks (2x2) or ASCII (1x2) into a UiGrid, with
 * labelled axes.  The series aggregates incrementally (one push per new
 * sample, O(1) each) so a live view with 10,000 samples stays cheap.
 * Pure: no curses, no database. */
#ifndef NASVIEW_UI_PLOT_H
#define NASVIEW_UI_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "widgets/grid.h"

typedef enum { PLOT_BRAILLE = 0, PLOT_BLOCK, PLOT_ASCII } PlotMode;

/* plot_mode_dots - dots per character cell in mode: *sx across, *sy down. */
void plot_mode_dots(PlotMode mode, int *sx, int *sy);

/* plot_braille_bit - the bit of braille dot (dx 0..1, dy 0..3) in the
 * Unicode braille block (U+2800 + bits). */
unsigned plot_braille_bit(int dx, int dy);

/* plot_encode - the character showing the dots of one cell: on[dy*sx+dx]
 * non-zero for lit dots, sx x sy as plot_mode_dots gives for mode.  Blank
 * cells give ' '. */
uint32_t plot_encode(PlotMode mode, const uint8_t *on);

typedef struct {
    double *reward;    /* [n] raw rewards in sample order */
    double *best;      /* [n] best-so-far (monotone, never smoothed) */
    double *avg;       /* [n] trailing moving average of reward */
    size_t n, cap;
    int window;        /* moving-average window (>= 1) */
    double window_sum; /* sum of the last min(n, window) rewards */
} RewardSeries;

/* reward_series_init - empty series with a moving-average window (>= 1). */
void reward_series_init(RewardSeries *s, int window);

/* reward_series_push - append one reward; updates best and average in
 * O(1).  Returns 0, or -1 when memory ran out (the series is unchanged). */
int reward_series_push(RewardSeries *s, double reward);

/* reward_series_clear - forget every value, keep the buffers. */
void reward_series_clear(RewardSeries *s);

/* reward_series_done - release the buffers; the series is empty again. */
void reward_series_done(RewardSeries *s);

/* plot_nice_range - widen [*lo, *hi] to multiples of a readable step (0.01,
 * 0.02, 0.05, 0.1, ...) with hi > lo. */
void plot_nice_range(double *lo, double *hi);

typedef struct {
    PlotMode mode;
    size_t from, to;     /* window of samples to show: [from, to) */
    int mark;            /* sample index to mark on the x axis, or -1 */
    const char *y_unit;  /* e.g. "val acc" */
    const char *x_unit;  /* e.g. "samples" */
    int hide_best;       /* do not draw the best-so-far line */
    int hide_avg;        /* do not draw the moving average */
    const char *mark_label; /* with mark >= 0: the marked value is drawn as
                               a marker (CHOSEN role) and "LABEL VALUE" is
                               written in the plot's top right corner */
    long long x_first, x_last; /* x axis labels of the first and last
                                  point (e.g. batches); both 0: sample
                                  numbers from + 1 and to */
} PlotOptions;

/* plot_draw - draw s[from, to) into the w x h area of g at (x, y): y labels
 * on the left, x axis and labels on the two bottom rows, scatter, moving
 * average and best-so-far in their roles (best over average over
 * scatter where they share a character).  With mark_label set, the marked
 * sample (or the only one, when there is one) gets a marker of its own
 * and its value in the top right corner.  Needs w >= 16 and h >= 4;
 * smaller areas are left blank. */
void plot_draw(UiGrid *g, int x, int y, int w, int h, const RewardSeries *s,
               const PlotOptions *opt);

#endif
