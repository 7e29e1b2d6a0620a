/* parallel.c - persistent worker threads woken per call (mutex + condition
 * variables, no spinning: the machine is shared). */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/parallel.h"

typedef struct {
    ParallelPool *pool;
    int index;
} Worker;

struct ParallelPool {
    int threads;
    pthread_t *tid;
    Worker *workers;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t go, done, met;
    unsigned long gen;
    unsigned long bar_gen; /* barriers completed */
    int bar_waiting;       /* parts at the current barrier */
    int pending, quit;
    ParallelFn fn;
    void *arg;
};

static void *parallel_worker(void *vp)
{
    Worker *w = vp;
    ParallelPool *p = w->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->gen == seen && !p->quit)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit)
            break;
        seen = p->gen;
        ParallelFn fn = p->fn;
        void *arg = p->arg;
        pthread_mutex_unlock(&p->mu);
        fn(arg, w->index, p->threads);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

ParallelPool *parallel_new(int threads)
{
    if (threads < 1)
        threads = 1;
    ParallelPool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->threads = threads;
    p->tid = calloc((size_t)threads, sizeof *p->tid);
    p->workers = calloc((size_t)threads, sizeof *p->workers);
    if (!p->tid || !p->workers) {
        free(p->tid);
        free(p->workers);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    pthread_cond_init(&p->met, NULL);
    for (int i = 1; i < threads; i++) {
        p->workers[i] = (Worker){ p, i };
        if (pthread_create(&p->tid[i], NULL, parallel_worker, &p->workers[i])) {
            p->threads = i; /* run with the workers that did start */
            break;
        }
        p->started = i;
    }
    return p;
}

void parallel_free(ParallelPool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i <= p->started; i++)
        pthread_join(p->tid[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->met);
    free(p->tid);
    free(p->workers);
    free(p);
}

int parallel_threads(const ParallelPool *p)
{
    return p ? p->threads : 1;
}

void parallel_run(ParallelPool *p, ParallelFn fn, void *arg)
{
    if (!p || p->threads == 1) {
        fn(arg, 0, 1);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->pending = p->threads - 1;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    fn(arg, 0, p->threads);
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void parallel_barrier(ParallelPool *p)
{
    if (!p || p->threads == 1)
        return;
    pthread_mutex_lock(&p->mu);
    unsigned long gen = p->bar_gen;
    if (++p->bar_waiting == p->threads) {
        p->bar_waiting = 0;
        p->bar_gen++;
        pthread_cond_broadcast(&p->met);
    } else {
        while (p->bar_gen == gen)
            pthread_cond_wait(&p->met, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
}

void parallel_range(long n, int part, int parts, long *lo, long *hi)
{
    *lo = n * part / parts;
    *hi = n * (part + 1) / parts;
}
