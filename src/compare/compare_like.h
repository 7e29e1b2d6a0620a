/* compare_like.h - like-with-like over stored searches: the bridge from
 * StoreSearch to compare_check_like's protocols (compare.h), for the
 * command and the Compare screen.  Pure: no database, no I/O. */
#ifndef NASVIEW_COMPARE_LIKE_H
#define NASVIEW_COMPARE_LIKE_H

#include <stddef.h>

#include "compare/compare.h"
#include "store/store.h"

/* compare_protocol_of - what of search s must agree with the others, into
 * p (borrowing s's strings: s must outlive p). */
void compare_protocol_of(const StoreSearch *s, CompareProtocol *p);

/* compare_like_text - compare_check_like over searches s[0..n): returns
 * how many fields differ (0: like with like, why gets ""), and the first
 * difference as compare_diff_text writes it into why[whylen], e.g.
 * "'rl-1' and 'random-2' differ in validation size (5000 vs 48)", with
 * "; and N more" when more fields differ.  n < 2 is alike. */
size_t compare_like_text(const StoreSearch *s, size_t n, char *why,
                         size_t whylen);

#endif
