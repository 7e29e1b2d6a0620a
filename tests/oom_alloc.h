/* oom_alloc.h - the failing allocator of tests/test_oom.c.  A program
 * linked with oom_alloc.c and -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=posix_memalign,--wrap=strdup,--wrap=open_memstream
 * sends every such call of its own objects and of libnasview.a through
 * counters here; SQLite's allocations reach them through
 * store_fault_install(oom_sqlite_refuses).  Once armed, the Nth allocation
 * of one source fails (NULL, ENOMEM); all others go through. */
#ifndef NASVIEW_TESTS_OOM_ALLOC_H
#define NASVIEW_TESTS_OOM_ALLOC_H

/* Where an allocation comes from; the two are counted apart. */
typedef enum { OOM_OFF = 0, OOM_NASVIEW, OOM_SQLITE } OomSource;

/* oom_arm - from now on count src's allocations and fail the fail_at-th
 * (1-based); clears oom_hit(). */
void oom_arm(OomSource src, long fail_at);

/* oom_disarm - stop counting; nothing fails. */
void oom_disarm(void);

/* oom_hit - whether the armed allocation was reached (and failed). */
int oom_hit(void);

/* oom_last - the source of the latest oom_arm. */
OomSource oom_last(void);

/* oom_source_name - "nasview" or "SQLite". */
const char *oom_source_name(OomSource src);

/* oom_sqlite_refuses - the StoreFaultFn for SQLite: non-zero when this
 * SQLite allocation is the one to fail. */
int oom_sqlite_refuses(void);

#endif
