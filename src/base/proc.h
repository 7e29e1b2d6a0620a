/* proc.h - whether a process is alive, the one test the store (stale
 * searches) and the terminal UI (which searches it can control) share. */
#ifndef NASVIEW_PROC_H
#define NASVIEW_PROC_H

#include <stdbool.h>
#include <stdint.h>

/* proc_alive - whether process pid exists on this machine: kill(pid, 0)
 * finds it (EPERM counts: it exists, it is someone else's) and it is not a
 * zombie or dead in /proc (exited, not reaped yet).  false for pid <= 0. */
bool proc_alive(int64_t pid);

#endif
