/* parallel.h - a small persistent pool of worker threads that runs one
 * function split into parts, one part per thread, and waits for all; the
 * parts may meet at barriers on the way.
 *
 * The training engine gives each thread a fixed range of the batch's
 * images for a whole pass over the network (the ranges depend only on the
 * thread count), so results are the same on every run with the same
 * count. */
#ifndef NASVIEW_PARALLEL_H
#define NASVIEW_PARALLEL_H

typedef struct ParallelPool ParallelPool;

/* fn(arg, part, parts): do part `part` (0-based) of `parts`. */
typedef void (*ParallelFn)(void *arg, int part, int parts);

/* parallel_new - a pool of `threads` (>= 1) threads, the caller being one
 * of them (threads-1 workers are started).  NULL when threads cannot be
 * started; free with parallel_free. */
ParallelPool *parallel_new(int threads);

/* parallel_free - stop and join the workers; NULL is a no-op. */
void parallel_free(ParallelPool *p);

/* parallel_threads - the pool's thread count (1 for a NULL pool). */
int parallel_threads(const ParallelPool *p);

/* parallel_run - fn(arg, t, T) for every t in [0, T), T the thread count,
 * part 0 on the calling thread; returns when all parts are done.  A NULL
 * pool runs fn(arg, 0, 1). */
void parallel_run(ParallelPool *p, ParallelFn fn, void *arg);

/* parallel_barrier - called by every part of the running parallel_run
 * (the same number of times): returns when all parts have reached it.
 * Memory written before it by any part is visible after it to all.  A
 * NULL or one-thread pool returns at once. */
void parallel_barrier(ParallelPool *p);

/* parallel_range - the part-th of `parts` near-equal pieces of [0, n):
 * sets *lo and *hi. */
void parallel_range(long n, int part, int parts, long *lo, long *hi);

#endif
