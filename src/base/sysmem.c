/* sysmem.c - the machine's memory (see sysmem.h). */
#include "config.h"

#include <unistd.h>

#include "base/sysmem.h"

size_t sysmem_total(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || size <= 0)
        return 0;
    return (size_t)pages * (size_t)size;
}
