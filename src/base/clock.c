/* clock.c - the monotonic clock (clock.h). */
#include "config.h"

#include <time.h>

#include "base/clock.h"

double clock_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
