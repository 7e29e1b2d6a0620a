/* clock.h - the one clock for elapsed time: seconds on the monotonic
 * clock, which no change of the wall clock moves, and the process's CPU
 * time.  Durations only; the
 * times stored in the database are wall-clock seconds (store.c). */
#ifndef NASVIEW_CLOCK_H
#define NASVIEW_CLOCK_H

/* clock_now_s - seconds since an arbitrary fixed point (CLOCK_MONOTONIC),
 * with nanosecond resolution; differences of two calls are durations. */
double clock_now_s(void);

/* clock_cpu_s - CPU seconds this process has used, all its threads
 * together (CLOCK_PROCESS_CPUTIME_ID). */
double clock_cpu_s(void);

/* clock_thread_cpu_s - CPU seconds the calling thread has used
 * (CLOCK_THREAD_CPUTIME_ID): what a layer costs, whatever runs beside it. */
double clock_thread_cpu_s(void);

#endif
