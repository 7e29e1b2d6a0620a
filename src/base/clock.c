/* clock.c - the monotonic clock (clock.h). */
#include "config.h"

#include <time.h>

#include "base/clock.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double clock_now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

double clock_cpu_s(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

double clock_thread_cpu_s(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}
