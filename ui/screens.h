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

#endif
