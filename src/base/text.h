/* text.h - strings from users and from database files, made safe to print
 * on a terminal.  A name, a message or a dataset path read from a crafted
 * database may hold escape sequences (ESC [ 2 J clears the screen, OSC
 * sequences retitle the window) or a newline that breaks a table; every
 * text output passes such strings through here.  JSON output escapes them
 * itself (base/jsonw.h). */
#ifndef NASVIEW_TEXT_H
#define NASVIEW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* text_is_clean - true when s is valid UTF-8 holding no control character:
 * none of U+0000-U+001F, U+007F (DEL) or U+0080-U+009F (C1).  NULL is
 * clean. */
bool text_is_clean(const char *s);

/* text_put - write s to f with every control character and every byte that
 * is not part of valid UTF-8 written as \xNN, so what is printed is plain
 * text and shows what was there.  NULL prints nothing. */
void text_put(FILE *f, const char *s);

/* text_putn - text_put of at most the first n bytes of s.  A character
 * cut by the limit is escaped byte by byte. */
void text_putn(FILE *f, const char *s, size_t n);

/* text_clean - the same as text_put into buf (n > 0 bytes, always
 * NUL-terminated), cut at a character boundary when it does not fit.
 * Returns buf. */
char *text_clean(const char *s, char *buf, size_t n);

#endif
