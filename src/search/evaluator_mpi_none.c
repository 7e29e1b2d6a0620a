/* evaluator_mpi_none.c - evaluator_mpi.h in a build without Open MPI:
 * every entry point says how to get it. */
#include "config.h"

#include <stddef.h>

#include "search/evaluator_mpi.h"

#define NO_MPI                                                              \
    "--mpi: this nasview was built without MPI (configure did not find "    \
    "Open MPI: apt-get install libopenmpi-dev openmpi-bin, then configure " \
    "again)"

int eval_mpi_built(void)
{
    return 0;
}

NvStatus eval_mpi_init(int *rank, int *size, NvError *err)
{
    *rank = 0;
    *size = 1;
    return nv_error_set(err, NV_ERR_USAGE, NO_MPI);
}

Evaluator *evaluator_mpi_new(const WireSetup *setup, const EvalHooks *hooks,
                             NvError *err)
{
    (void)setup, (void)hooks;
    nv_error_set(err, NV_ERR_USAGE, NO_MPI);
    return NULL;
}

NvStatus eval_mpi_serve(NvError *err)
{
    return nv_error_set(err, NV_ERR_USAGE, NO_MPI);
}

void eval_mpi_finish(int rank)
{
    (void)rank;
}
