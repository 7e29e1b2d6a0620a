/* oom_alloc.c - the failing allocator (oom_alloc.h).  Counters are atomic
 * because a child network may allocate from its worker threads. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "oom_alloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
char *__real_strdup(const char *s);
FILE *__real_open_memstream(char **buf, size_t *n);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);
char *__wrap_strdup(const char *s);
FILE *__wrap_open_memstream(char **buf, size_t *n);

static int source;          /* OomSource being counted */
static long calls;          /* its allocations since oom_arm */
static long fail_at;        /* the one to refuse, 1-based */
static int hit;             /* it was refused */
static OomSource last = OOM_NASVIEW;

void oom_arm(OomSource src, long n)
{
    __atomic_store_n(&source, OOM_OFF, __ATOMIC_SEQ_CST);
    calls = 0;
    fail_at = n;
    hit = 0;
    last = src;
    __atomic_store_n(&source, src, __ATOMIC_SEQ_CST);
}

void oom_disarm(void)
{
    __atomic_store_n(&source, OOM_OFF, __ATOMIC_SEQ_CST);
}

int oom_hit(void)
{
    return __atomic_load_n(&hit, __ATOMIC_SEQ_CST);
}

OomSource oom_last(void)
{
    return last;
}

const char *oom_source_name(OomSource src)
{
    return src == OOM_SQLITE ? "SQLite" : "nasview";
}

static int refuses(OomSource src)
{
    if (__atomic_load_n(&source, __ATOMIC_SEQ_CST) != (int)src)
        return 0;
    if (__atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST) != fail_at)
        return 0;
    __atomic_store_n(&hit, 1, __ATOMIC_SEQ_CST);
    errno = ENOMEM;
    return 1;
}

int oom_sqlite_refuses(void)
{
    return refuses(OOM_SQLITE);
}

void *__wrap_malloc(size_t n)
{
    return refuses(OOM_NASVIEW) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return refuses(OOM_NASVIEW) ? NULL : __real_calloc(k, n);
}

/* realloc(p, 0) frees: never refused */
void *__wrap_realloc(void *p, size_t n)
{
    return n && refuses(OOM_NASVIEW) ? NULL : __real_realloc(p, n);
}

int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    return refuses(OOM_NASVIEW) ? ENOMEM : __real_posix_memalign(p, align, n);
}

char *__wrap_strdup(const char *s)
{
    return refuses(OOM_NASVIEW) ? NULL : __real_strdup(s);
}

FILE *__wrap_open_memstream(char **buf, size_t *n)
{
    return refuses(OOM_NASVIEW) ? NULL : __real_open_memstream(buf, n);
}
