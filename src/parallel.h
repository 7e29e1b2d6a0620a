/* parallel.h - a small persistent pool of worker threads that runs one
 * function split into parts, one part per thread, and waits for all.
 *
 * The training engine splits each layer's work into fixed parts (channel
 * ranges, image ranges) that depend only on the thread count, so results
 * are the same on every run with the same count. */
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

/* parallel_range - the part-th of `parts` near-equal pieces of [0, n):
 * sets *lo and *hi. */
void parallel_range(long n, int part, int parts, long *lo, long *hi);

#endif
