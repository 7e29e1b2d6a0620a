#!/bin/sh
# search_mpi.sh - `mpirun -np 3 nasview search --mpi` end to end on the
# tiny synthetic dataset (rank 0 searches, ranks 1 and 2 train, all on this
# machine, oversubscribed): one seed stores the same samples and rewards,
# in the same order, as --workers 1 for every strategy; a rank's worker
# killed with SIGKILL in the middle of a child costs nothing (the rank
# retries the child in a fresh worker); the misuses say what is wrong.
# Skipped (77) only when this nasview was built without MPI.
. "${SRCDIR:-.}/tests/lib.sh"
[ "${NASVIEW_MPI:-no}" = yes ] || { echo "built without MPI: skipped"; exit 77; }
# Under AddressSanitizer, Open MPI 4.1 leaves its own allocations (most in
# components it dlopens and closes, so no suppression can name them) to
# LeakSanitizer at exit.  Leak checking is off for the ranks here only;
# the evaluator and worker code they run is leak-checked by test_evaluator
# and search_workers.sh, and every other check of this test stays on.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
CHECKDB="python3 $SRCDIR/tests/search_check.py"
MPIRUN="mpirun --oversubscribe --allow-run-as-root"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 1200 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
SMALL="--dataset $DS --F 2 --train-size 200 --val-size 100 --batch 32 --threads 1"
SLOW="--dataset $DS --F 4 --train-size 1100 --val-size 100 --batch 32 --threads 1"
DB="$TMP/m.db"

# --- same seed: --workers 1 and mpirun -np 3 store the same samples -------
for s in rl random evolution; do
    case $s in
    rl) set -- --strategy rl --budget 7 --seed 4 --set ppo_batch=3 ;;
    random) set -- --strategy random --budget 7 --seed 4 ;;
    evolution) set -- --strategy evolution --budget 10 --seed 4 \
        --set population=3 --set tournament=2 --set generation=3 ;;
    esac
    run "$NASVIEW" search --db "$DB" --name "$s-1" --workers 1 "$@" $SMALL
    expect_status 0 "$s with 1 worker"
    run timeout 300 $MPIRUN -np 3 "$NASVIEW" search --mpi --db "$DB" \
        --name "$s-mpi" "$@" $SMALL
    expect_status 0 "$s with mpirun -np 3"
    $CHECKDB "$DB" consistent "$s-1" "$s-mpi" || fail "$s: rows consistent"
    $CHECKDB "$DB" same "$s-1" "$s-mpi" || fail "$s: --workers 1 and MPI differ"
done
[ "$($CHECKDB "$DB" field rl-mpi 'SELECT threads FROM searches WHERE id = ?')" = 1 ] ||
    fail "MPI ranks train and store one thread per child"

# --- SIGKILL of a rank's worker in the middle of a child -------------------
RUN="--strategy random --budget 6 --seed 9 $SLOW"
run "$NASVIEW" search --db "$DB" --name ref --workers 1 $RUN
expect_status 0 "reference run"
timeout 300 $MPIRUN -np 3 "$NASVIEW" search --mpi --db "$DB" --name k1 $RUN \
    2>"$TMP/k1.err" &
job=$!
$CHECKDB "$DB" wait k1 0 running || fail "k1 started"
rank0=$($CHECKDB "$DB" field k1 'SELECT pid FROM searches WHERE id = ?')
mpirun_pid=$(ps -o ppid= -p "$rank0" | tr -d ' ')
killed=0
tries=0
while [ "$tries" -lt 20 ] && [ "$killed" = 0 ]; do
    kill -USR1 "$rank0"
    $CHECKDB "$DB" wait k1 0 paused || break
    if [ "$($CHECKDB "$DB" field k1 "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" -ge 1 ]; then
        for r in $(pgrep -P "$mpirun_pid"); do
            w=$(pgrep -P "$r" | head -n 1)
            if [ -n "$w" ]; then
                kill -KILL "$w"
                killed=1
                break
            fi
        done
    fi
    kill -USR2 "$rank0"
    tries=$((tries + 1))
    [ "$killed" = 1 ] || sleep 0.1
done
[ "$killed" = 1 ] || fail "k1: no rank's worker to kill while a child trained"
wait "$job"
status=$?
[ "$status" -eq 0 ] || fail "k1: a killed worker ends the MPI job: $status $(cat "$TMP/k1.err")"
$CHECKDB "$DB" consistent k1 || fail "k1: rows consistent"
$CHECKDB "$DB" same ref k1 || fail "k1: samples differ from the run without a kill"

# --- misuse ------------------------------------------------------------------
run timeout 60 $MPIRUN -np 1 "$NASVIEW" search --mpi --db "$DB" $RUN
[ "$status" -ne 0 ] || fail "--mpi as one rank succeeds"
expect_err "at least one rank that trains" "--mpi as one rank"
run "$NASVIEW" search --mpi --workers 2 --db "$DB" $RUN
expect_status 2 "--mpi with --workers"
expect_err "MPI ranks are the" "--mpi with --workers"
run "$NASVIEW" search --mpi --db "$DB" $RUN --threads 2
expect_status 2 "--mpi with --threads 2"

finish
