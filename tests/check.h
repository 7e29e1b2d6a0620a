/* check.h - the few macros the test programs share.  A failed CHECK prints
 * where and why and counts; check_exit() turns the count into the exit
 * status that automake's test driver reads (0 pass, 1 fail). */
#ifndef NASVIEW_TESTS_CHECK_H
#define NASVIEW_TESTS_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__,  \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            check_failures++;                                                 \
        }                                                                     \
    } while (0)

static inline int check_exit(const char *name)
{
    if (check_failures)
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    else
        printf("%s: all checks passed\n", name);
    return check_failures ? 1 : 0;
}

#endif
