#!/bin/bash
# experiment.sh - RL against random search (and evolution), measured on
# this machine: K seeds of each strategy at an equal budget on the default
# proxy task, one search after another, each training W children at once
# in its worker processes (nasview search --workers, one per core), then
# the comparison written as a table, JSON, CSV and an SVG plot.
#
# Usage: assets/experiment.sh [OPTIONS] [-- EXTRA SEARCH FLAGS]
# See --help.  Everything goes into one output directory; nothing else on
# the machine is written.
set -u

seeds=3
budget=
minutes=60
workers=
strategies="rl random evolution"
out=
nasview=${NASVIEW:-}
first_seed=1

usage() {
    cat <<'EOF'
Usage: assets/experiment.sh [OPTIONS] [-- EXTRA NASVIEW SEARCH FLAGS]
Run K seeds of each strategy at an equal budget on the default proxy task,
one search at a time, each training W children at once (one OpenBLAS
thread each), then compare them.  The samples and rewards of a seed do not
depend on W.

  --seeds K         seeds per strategy (default 3; 4 or more are needed
                    before a Mann-Whitney test can reach p < 0.05)
  --budget N        samples per search (default: chosen so the whole run
                    takes about --minutes, from a timed 2-sample search)
  --minutes M       target wall time when --budget is not given (default 60)
  --workers W       children each search trains at once (default: the
                    online cores); --jobs W is the same (older name)
  --strategies "S..." strategies to run (default "rl random evolution")
  --first-seed S    seeds are S, S+1, ... (default 1)
  --out DIR         output directory (default experiment-YYYYmmdd-HHMMSS)
  --nasview BIN     the nasview binary (default $NASVIEW, ./build/nasview,
                    ./nasview, or nasview on PATH)
  -h, --help        this help

Bigger runs: --seeds 10 --budget 200 --minutes 600, or any proxy flag of
`nasview search` after `--` (for example -- --epochs 2).  Below a budget
of 40, evolution's population is 2/5 of the budget (tournament half of
that) unless population= is set after `--`: its first `population`
samples are random, as random search draws them.  Output in DIR:
experiment.db (every sample), logs/NAME.log, compare.txt, compare.json,
compare.csv, compare.svg.
EOF
}

die() {
    echo "experiment.sh: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
    --budget) budget=${2:?--budget needs a value}; shift 2 ;;
    --minutes) minutes=${2:?--minutes needs a value}; shift 2 ;;
    --workers | --jobs) workers=${2:?$1 needs a value}; shift 2 ;;
    --strategies) strategies=${2:?--strategies needs a value}; shift 2 ;;
    --first-seed) first_seed=${2:?--first-seed needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --nasview) nasview=${2:?--nasview needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
done
extra=("$@")

is_count() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -ge 1 ] ;; esac; }
is_count "$seeds" || die "--seeds must be a whole number >= 1"
[ -n "$workers" ] || workers=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
is_count "$workers" || die "--workers must be a whole number >= 1"
is_count "$minutes" || die "--minutes must be a whole number >= 1"
[ -z "$budget" ] || is_count "$budget" || die "--budget must be a whole number >= 1"
case "$first_seed" in '' | *[!0-9]*) die "--first-seed must be a whole number" ;; esac

if [ -z "$nasview" ]; then
    for c in ./build/nasview ./nasview; do
        [ -x "$c" ] && { nasview=$c; break; }
    done
    [ -n "$nasview" ] || nasview=$(command -v nasview) || die "no nasview binary found; build it or give --nasview"
fi
"$nasview" --version >/dev/null 2>&1 || die "$nasview does not run"

[ -n "$out" ] || out="experiment-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out/logs" || die "cannot create $out"
db="$out/experiment.db"
export OPENBLAS_NUM_THREADS=1

set -- $strategies
nstrat=$#
[ "$nstrat" -ge 1 ] || die "--strategies is empty"

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# The search in flight; Ctrl-C or SIGTERM stops it and its workers (it
# stores what it finished; `nasview search --resume NAME` continues it).
pid=
failed=0
trap 'log "stopping..."; [ -z "$pid" ] || kill "$pid" 2>/dev/null; wait; exit 130' INT TERM

# --- budget: time a 2-sample search when none is given ---------------------
if [ -z "$budget" ]; then
    log "timing a 2-sample random search to size the budget..."
    t0=$(date +%s.%N)
    "$nasview" search --db "$out/calibrate.db" --strategy random \
        --budget 2 --seed 999 --threads 1 --workers 1 --name calibrate \
        "${extra[@]}" >"$out/logs/calibrate.log" 2>&1 &
    pid=$!
    wait "$pid" || die "the timing search failed; see $out/logs/calibrate.log"
    pid=
    t1=$(date +%s.%N)
    # seconds per child on one core, and the budget that fills the target:
    # total child time = strategies * seeds * budget * t, spread over the
    # workers.
    budget=$(awk -v t0="$t0" -v t1="$t1" -v m="$minutes" -v j="$workers" \
        -v s="$nstrat" -v k="$seeds" 'BEGIN {
            t = (t1 - t0) / 2; b = int(m * 60 * j / (s * k * t));
            if (b < 5) b = 5; if (b > 1000) b = 1000; print b }')
    child=$(awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", (t1 - t0) / 2 }')
    log "about ${child}s per child on one core: budget $budget samples per search"
fi

# --- evolution at small budgets ----------------------------------------------
# Regularised evolution's first `population` samples are random founders
# (drawn as random search draws them, so the same seed gives the same
# ones).  Its defaults (population 20, tournament 10) suit a few hundred
# samples; below 40 they would leave little or nothing to evolve, so the
# population shrinks to 2/5 of the budget unless flags after -- set it.
evo_flags=()
case " $strategies " in
*" evolution "*)
    case " ${extra[*]:-} " in
    *population=*) ;;
    *)
        if [ "$budget" -lt 40 ]; then
            pop=$((budget * 2 / 5))
            [ "$pop" -ge 2 ] || pop=2
            tour=$((pop / 2))
            [ "$tour" -ge 1 ] || tour=1
            evo_flags=(--set "population=$pop" --set "tournament=$tour")
            log "evolution: population $pop, tournament $tour (the defaults 20 and 10 would leave little to evolve in $budget samples)"
        fi
        ;;
    esac
    ;;
esac

total=$((nstrat * seeds))
log "$total searches ($strategies; seeds $first_seed..$((first_seed + seeds - 1))), budget $budget each, one at a time with $workers workers; output in $out"

# --- run the searches, one at a time, W children at once in each -----------

for ((s = first_seed; s < first_seed + seeds; s++)); do
    for strat in $strategies; do
        name="$strat-s$s"
        log "start: $name"
        flags=("${extra[@]}")
        [ "$strat" = evolution ] && flags+=("${evo_flags[@]}")
        "$nasview" search --db "$db" --strategy "$strat" --budget "$budget" \
            --seed "$s" --threads 1 --workers "$workers" --name "$name" \
            "${flags[@]}" >"$out/logs/$name.log" 2>&1 &
        pid=$!
        if wait "$pid"; then
            log "done: $name"
        else
            log "FAILED: $name (see $out/logs/$name.log)"
            failed=$((failed + 1))
        fi
        pid=
    done
done
trap - INT TERM

# --- compare --------------------------------------------------------------
log "comparing"
"$nasview" compare --db "$db" --all --format json >"$out/compare.json" &&
    "$nasview" compare --db "$db" --all --format csv >"$out/compare.csv" &&
    "$nasview" compare --db "$db" --all --svg "$out/compare.svg" \
        >"$out/compare.txt" || { echo "experiment.sh: compare failed" >&2; exit 1; }
cat "$out/compare.txt"
echo
log "wrote $out/compare.txt, compare.json, compare.csv, compare.svg; database $db"
[ "$failed" -eq 0 ] || { echo "experiment.sh: $failed search(es) failed" >&2; exit 1; }
exit 0
