/* screens.h - constructors of the UI's screens.  Each returns a new
 * Screen owned by the caller (normally handed to app_push), or NULL when
 * memory ran out. */
#ifndef NASVIEW_UI_SCREENS_H
#define NASVIEW_UI_SCREENS_H

#include <stdint.h>

#include "app.h"

/* scr_help_new - every key of screen `of` and the global keys. */
Screen *scr_help_new(App *a, Screen *of);

/* scr_searches_new - every search in the database; the first screen.
 * Greets a newcomer when there is none. */
Screen *scr_searches_new(App *a);

/* scr_form_new - the form that starts a new search. */
Screen *scr_form_new(App *a);

/* scr_live_new - the live view of search id: header, the child in
 * training, the reward plot, the sample's cell and its decisions. */
Screen *scr_live_new(App *a, int64_t search_id);

/* scr_samples_new - the samples of search id as a sortable, filterable
 * table. */
Screen *scr_samples_new(App *a, int64_t search_id);

/* scr_detail_new - one sample: both cells, the 50 decisions with their
 * distributions, its training curve, its genotype; SVG export. */
Screen *scr_detail_new(App *a, int64_t search_id, int idx);

/* scr_compare_new - compare searches by strategy: pick them, their
 * curves with 95% bands, the statistics table and the verdict. */
Screen *scr_compare_new(App *a);

/* scr_fidelity_new - the fidelity panels of the database: one panel's
 * correlation table and the scatter plot of a cheap fidelity against the
 * reference, re-read as results arrive. */
Screen *scr_fidelity_new(App *a);

#endif
