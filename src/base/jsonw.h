/* jsonw.h - writing JSON and CSV values correctly (escaping, numbers that
 * stay valid JSON).  Callers write the structure; these write the leaves. */
#ifndef NASVIEW_JSONW_H
#define NASVIEW_JSONW_H

#include <stddef.h>
#include <stdio.h>

/* json_string - s as a JSON string literal with quotes; NULL writes null. */
void json_string(FILE *f, const char *s);

/* num_text - the shortest decimal text (printf %g) that reads back as x:
 * as the float x when x is a float widened to double ("0.05", not
 * "0.0500000007"), as the double x otherwise; whole numbers below 1e15 in
 * plain digits ("100", not "1e+02").  buf: at least 32 bytes. */
void num_text(char *buf, size_t n, double x);

/* json_number - x as a JSON number in its shortest form (num_text); NaN
 * and infinities (not JSON) are written as null. */
void json_number(FILE *f, double x);

/* csv_field - s as one CSV field (RFC 4180): quoted when it holds a comma
 * or a quote; inner quotes doubled.  Control characters and bytes that are
 * not UTF-8 are written as \xNN (base/text.h), so a field never holds a
 * line break or a terminal escape. */
void csv_field(FILE *f, const char *s);

#endif
