/* search_env.h - the environment a search runs in, as recorded with it
 * (store.h StoreEnv): nasview's version and source revision, the compiler,
 * the BLAS library, the CPU, its cores and load.  Reads /proc/cpuinfo and
 * the load average; writes nothing. */
#ifndef NASVIEW_SEARCH_ENV_H
#define NASVIEW_SEARCH_ENV_H

#include "store/store.h"

/* search_env_collect - fill *e for a search about to train `workers`
 * children at once with `threads` BLAS threads each.  What cannot be
 * learned is left "" (text) or NaN (loads); never fails. */
void search_env_collect(int workers, int threads, StoreEnv *e);

#endif
