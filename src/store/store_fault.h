/* store_fault.h - test support, not part of libnasview: route SQLite's own
 * allocations through a hook that may refuse them, so fault-injection tests
 * (tests/test_oom.c) can fail the Nth allocation inside SQLite as well as
 * in nasview.  It lives in the store module because only the store
 * includes sqlite3.h. */
#ifndef NASVIEW_STORE_FAULT_H
#define NASVIEW_STORE_FAULT_H

#include "base/nv_error.h"

/* Called before every SQLite allocation and growth; non-zero makes that
 * one fail (SQLite then reports SQLITE_NOMEM). */
typedef int (*StoreFaultFn)(void);

/* store_fault_install - make SQLite call fail() before each allocation.
 * Must run before anything in the process uses SQLite (it configures the
 * library before sqlite3_initialize).  NV_ERR_RUNTIME when SQLite refuses
 * (already initialised). */
NvStatus store_fault_install(StoreFaultFn fail, NvError *err);

#endif
