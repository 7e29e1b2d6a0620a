/* store_fault.c - SQLite allocations through a refusing hook (test support,
 * see store_fault.h).  Only xMalloc and xRealloc can fail; everything else
 * is the library's default allocator. */
#include "config.h"

#include <stddef.h>

#include <sqlite3.h>

#include "store/store_fault.h"

static sqlite3_mem_methods fault_base;
static StoreFaultFn fault_fn;

static void *fault_malloc(int n)
{
    return fault_fn() ? NULL : fault_base.xMalloc(n);
}

static void *fault_realloc(void *p, int n)
{
    return fault_fn() ? NULL : fault_base.xRealloc(p, n);
}

NvStatus store_fault_install(StoreFaultFn fail, NvError *err)
{
    sqlite3_mem_methods m;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &fault_base) != SQLITE_OK)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "SQLite refused to report its allocator");
    fault_fn = fail;
    m = fault_base;
    m.xMalloc = fault_malloc;
    m.xRealloc = fault_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
        return nv_error_set(err, NV_ERR_RUNTIME,
                            "SQLite refused a new allocator (already "
                            "initialised?)");
    return NV_OK;
}
