/* clipboard.h - text to the terminal's clipboard with the OSC 52 escape
 * sequence (xterm's "manipulate selection data"): ESC ] 52 ; c ; BASE64
 * BEL.  Terminals that allow it (xterm with allowWindowOps, kitty,
 * WezTerm, iTerm2, tmux with set-clipboard on, and through it the outer
 * terminal) put the text on the system clipboard; others ignore it, and a
 * program cannot tell which happened.  No curses here: the sequence is
 * written straight to the terminal's file descriptor between two
 * refreshes, which changes nothing on the screen. */
#ifndef NASVIEW_UI_CLIPBOARD_H
#define NASVIEW_UI_CLIPBOARD_H

#include <stddef.h>

#include "base/nv_error.h"

/* clipboard_osc52 - the whole OSC 52 sequence for text[0..len) into a
 * malloc'ed NUL-terminated string owned by the caller (free()); NULL when
 * memory runs out.  Base64 as RFC 4648 with padding, on one line. */
char *clipboard_osc52(const char *text, size_t len);

/* clipboard_send - write clipboard_osc52(text) to file descriptor fd (the
 * terminal), retrying short writes.  Errors: NV_ERR_NOMEM, NV_ERR_IO
 * (with the reason). */
NvStatus clipboard_send(int fd, const char *text, NvError *err);

#endif
