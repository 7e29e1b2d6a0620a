/* compare_svg.h - a Comparison drawn as an SVG picture, written by the
 * program itself (no Graphviz): three panels side by side (best so far,
 * mean of the top 5 so far, mean of the top 25 so far) against the number
 * of samples, and when the cost of every sample is known a fourth, best
 * so far against the CPU-seconds spent (the mean across seeds of both at
 * each sample count), one colour per strategy, the mean across seeds as a
 * line and its 95% interval (compare_band: cut to [0,1]) as a translucent
 * band, or, below COMPARE_BAND_MIN_SEEDS seeds, every run's curve as a thin
 * dashed line instead of the band, axes with ticks and units,
 * a title and a legend with n per strategy.  Readable on its own. */
#ifndef NASVIEW_COMPARE_SVG_H
#define NASVIEW_COMPARE_SVG_H

#include <stdio.h>

#include "compare/compare.h"
#include "base/nv_error.h"

/* compare_svg_write - the SVG document for c on f.  Returns NV_OK, or
 * NV_ERR_IO when f reports a write error (the message names `what`, the
 * file's name for messages). */
NvStatus compare_svg_write(FILE *f, const char *what, const Comparison *c,
                           NvError *err);

/* compare_svg_save - compare_svg_write into the file at path ("-" for
 * standard output), created or replaced.  NV_ERR_IO names the path. */
NvStatus compare_svg_save(const char *path, const Comparison *c, NvError *err);

/* compare_svg_color - the colour ("#rrggbb") of the i-th strategy; the
 * same order as the groups of a Comparison, cycling after eight. */
const char *compare_svg_color(size_t i);

#endif
