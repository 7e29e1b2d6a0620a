/* evaluator_mpi.h - the third evaluator kind: MPI ranks (Open MPI), for a
 * search spread over several machines.  `mpirun -np K+1 nasview search
 * --mpi ...` starts K+1 copies of the program; rank 0 is the search (the
 * strategy, the database, the only writer) and ranks 1..K train.
 *
 *   rank 0     evaluator_mpi_new: an Evaluator (evaluator.h) with K slots
 *              that sends each job to an idle rank;
 *   ranks 1..K eval_mpi_serve: load the datasets from the spec rank 0
 *              sends (the images never travel: each host reads its own
 *              copy at the same path), then train each job in a forked
 *              worker process of the rank (evaluator_workers.c, one
 *              worker), so a child that crashes is retried once and then
 *              reported failed by its rank instead of taking the job
 *              down (Open MPI 4.1 has no fault tolerance).
 *
 * Messages are eval_wire.h frames, one per MPI message (MPI_BYTE, tag 0,
 * MPI_COMM_WORLD).  Nobody blocks inside MPI: every wait is MPI_Iprobe
 * and a short sleep, so idle ranks do not spin a core.
 *
 * Invariants:
 *  1. Only rank 0 opens the database; ranks 1..K never touch it.
 *  2. A rank holds at most one job; rank 0 sends jobs only to ranks that
 *     answered the setup with WIRE_READY.
 *  3. Whatever happens on rank 0 (a finished search, an error before any
 *     evaluator existed, a stop), eval_mpi_finish on rank 0 sends every
 *     rank WIRE_QUIT and waits for its WIRE_BYE, so no rank is left
 *     waiting and MPI_Finalize meets no unread message.
 *  4. A rank that sends something that is not a message, or cannot
 *     replace its worker, fails the search (an MPI rank cannot be
 *     replaced); a child that dies costs only that child.
 *
 * Without Open MPI at configure time, every function here says so
 * (NV_ERR_USAGE) and eval_mpi_built answers 0. */
#ifndef NASVIEW_EVALUATOR_MPI_H
#define NASVIEW_EVALUATOR_MPI_H

#include "search/eval_wire.h"
#include "search/evaluator.h"

/* eval_mpi_built - 1 when this program was built with Open MPI. */
int eval_mpi_built(void);

/* eval_mpi_init - MPI_Init; *rank and *size of MPI_COMM_WORLD.  Fails
 * (NV_ERR_USAGE) without MPI, or when started as a single rank (a search
 * needs rank 0 and at least one rank that trains). */
NvStatus eval_mpi_init(int *rank, int *size, NvError *err);

/* evaluator_mpi_new - on rank 0: send *setup to ranks 1..size-1 and wait
 * until each is ready (loaded the data, started its worker); a rank that
 * cannot makes this fail at once with its message (naming the rank and
 * its host).  *hooks is copied.  Owned by the caller (evaluator_free,
 * which sends WIRE_RESET to every rank: it drops its job and data). */
Evaluator *evaluator_mpi_new(const WireSetup *setup, const EvalHooks *hooks,
                             NvError *err);

/* eval_mpi_serve - the whole life of ranks 1..size-1: serve setups and
 * jobs until rank 0 says WIRE_QUIT.  NV_OK then; NV_ERR_RUNTIME when rank
 * 0 sends something that is not a message. */
NvStatus eval_mpi_serve(NvError *err);

/* eval_mpi_finish - on rank 0, invariant 3; then MPI_Finalize (on every
 * rank).  A no-op without MPI. */
void eval_mpi_finish(int rank);

#endif
