/* jsonw.h - writing JSON and CSV values correctly (escaping, numbers that
 * stay valid JSON).  Callers write the structure; these write the leaves. */
#ifndef NASVIEW_JSONW_H
#define NASVIEW_JSONW_H

#include <stdio.h>

/* json_string - s as a JSON string literal with quotes; NULL writes null. */
void json_string(FILE *f, const char *s);

/* json_number - x as a JSON number with up to 9 significant digits; NaN
 * and infinities (not JSON) are written as null. */
void json_number(FILE *f, double x);

/* csv_field - s as one CSV field (RFC 4180): quoted when it holds a comma
 * or a quote; inner quotes doubled.  Control characters and bytes that are
 * not UTF-8 are written as \xNN (base/text.h), so a field never holds a
 * line break or a terminal escape. */
void csv_field(FILE *f, const char *s);

#endif
