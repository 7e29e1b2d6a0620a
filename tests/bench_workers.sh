#!/bin/sh
# bench_workers.sh - figures for the note, not a test (tests never time):
#   1. samples per hour of a random search on a small proxy, for
#      `--workers 1 --threads T` and `--workers K --threads 1`;
#   2. the coordinator's own cost per sample: the CPU time of the search
#      process itself (proposal, commit, dispatch; the children train in
#      the workers or MPI ranks) over a search of tiny children, read from
#      /proc until it exits.
# Usage: tests/bench_workers.sh NASVIEW [BUDGET] [WORKERS...]
# Environment: SRCDIR (the source tree, default .), TMPDIR, PROXY (the
# proxy flags of the rate figures; default a small synthetic one).
set -u
NASVIEW=${1:?usage: bench_workers.sh NASVIEW [BUDGET] [WORKERS...]}
BUDGET=${2:-6}
shift 2 2>/dev/null || shift $#
WORKERS=${*:-1 2 4}
SRCDIR=${SRCDIR:-.}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nasview-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export OPENBLAS_NUM_THREADS=1

python3 "$SRCDIR/tests/mkdataset.py" "$TMP/ds" --train 1200 --test 20 \
    --size 8 --classes 4 --seed 2 >/dev/null || exit 1
PROXY=${PROXY:-"--dataset $TMP/ds --F 8 --N 1 --epochs 1 --train-size 1100 --val-size 100"}
hz=$(getconf CLK_TCK)

now() { date +%s.%N; }

echo "samples/hour, random search, budget $BUDGET, $PROXY"
for k in $WORKERS; do
    if [ "$k" = 1 ]; then threads=2; else threads=1; fi
    t0=$(now)
    "$NASVIEW" search --db "$TMP/rate.db" --strategy random --budget "$BUDGET" \
        --seed 1 --workers "$k" --threads "$threads" $PROXY 2>/dev/null ||
        { echo "search failed" >&2; exit 1; }
    t1=$(now)
    awk -v k="$k" -v th="$threads" -v t0="$t0" -v t1="$t1" -v b="$BUDGET" \
        'BEGIN { printf "  --workers %d --threads %d: %.1f s, %.0f samples/hour\n",
                 k, th, t1 - t0, b * 3600 / (t1 - t0) }'
done

# The coordinator: tiny children (a few ms each), many of them, trained
# by worker processes (or MPI ranks), so the search process only proposes,
# commits and dispatches.
N=${N:-400}
TINY="--dataset $TMP/ds --F 1 --train-size 32 --val-size 32 --batch 32 --threads 1"

# cpu_until_exit PID: utime + stime (ticks) of process PID itself, not its
# children, read until it exits (a zombie counts as gone: its parent may be
# this shell, which waits for it only afterwards).
cpu_until_exit() {
    ticks=0
    while :; do
        st=$(awk '{ print $3, $14 + $15 }' "/proc/$1/stat" 2>/dev/null)
        case "$st" in '' | Z*) break ;; esac
        ticks=${st#* }
        sleep 0.02
    done
    echo "$ticks"
}

report() { # NAME TICKS WALL
    awk -v name="$1" -v t="$2" -v hz="$hz" -v n="$N" -v w="$3" \
        'BEGIN { printf "  coordinator, %s: %.2f ms CPU per sample, %.1f ms wall per sample (%d samples)\n",
                 name, 1000 * t / hz / n, 1000 * w / n, n }'
}

t0=$(now)
"$NASVIEW" search --db "$TMP/coord.db" --strategy random --budget "$N" \
    --seed 2 --workers 2 --name w2 $TINY 2>/dev/null &
ticks=$(cpu_until_exit $!)
wait
report "--workers 2" "$ticks" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')"

if command -v mpirun >/dev/null && "$NASVIEW" search --help | grep -q -- --mpi &&
    [ "${NASVIEW_MPI:-yes}" = yes ]; then
    t0=$(now)
    mpirun --oversubscribe --allow-run-as-root -np 3 "$NASVIEW" search --mpi \
        --db "$TMP/coord.db" --strategy random --budget "$N" --seed 2 \
        --name mpi $TINY >/dev/null 2>&1 &
    job=$!
    pid=
    while [ -z "$pid" ] && kill -0 "$job" 2>/dev/null; do
        pid=$(sqlite3 "$TMP/coord.db" "SELECT pid FROM searches WHERE name = 'mpi'" 2>/dev/null)
        sleep 0.01
    done
    ticks=$(cpu_until_exit "$pid")
    wait
    report "mpirun -np 3 (rank 0)" "$ticks" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')"
fi
