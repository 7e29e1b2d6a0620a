/* sysmem.h - how much memory this machine has, for refusing work that
 * cannot fit before it is tried (an allocation that overcommits succeeds
 * and the process is killed later, far from the cause). */
#ifndef NASVIEW_SYSMEM_H
#define NASVIEW_SYSMEM_H

#include <stddef.h>

/* sysmem_total - the machine's physical memory in bytes, or 0 when it
 * cannot be told. */
size_t sysmem_total(void);

#endif
