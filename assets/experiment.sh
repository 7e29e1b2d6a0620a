#!/bin/bash
# experiment.sh - RL against random search (and evolution), measured on
# this machine.  Four phases, all into one output directory:
#   1. fidelity: how well the experiment's cheap proxy ranks architectures
#      the way the default proxy does (nasview fidelity on a small seeded
#      panel; its Kendall tau goes into the report);
#   2. sizing: a timed 2-sample search gives seconds per child, and with it
#      the budget that fills the remaining minutes (or says what fits);
#   3. the searches: K seeds of each strategy at an equal budget, one after
#      another, each training W children at once (nasview search --workers);
#   4. the comparison as a table, JSON, CSV, SVG and a one-page summary.
#
# Usage: assets/experiment.sh [OPTIONS] [-- EXTRA SEARCH FLAGS]
# See --help.  Running it again with the same --out continues where it
# stopped: finished searches are kept, interrupted ones resumed.
set -u

seeds=5
budget=
target_budget=100
minutes=60
workers=
strategies="rl random evolution"
out=
nasview=${NASVIEW:-}
first_seed=1
proxy="train=1000,val=500"
reference=""
panel=10

usage() {
    cat <<'EOF'
Usage: assets/experiment.sh [OPTIONS] [-- EXTRA NASVIEW SEARCH FLAGS]
Run K seeds of each strategy at an equal budget on a cheap proxy task, one
search at a time, each training W children at once (one OpenBLAS thread
each), then compare them.  First measure, on a seeded panel of random
architectures, how well the proxy ranks them the way the reference proxy
(nasview's defaults) does; the report gives its Kendall tau next to the
verdict.  The samples and rewards of a seed do not depend on W.

  --seeds K         seeds per strategy (default 5; with 3 or fewer a
                    rank test cannot reach p < 0.05)
  --budget N        samples per search (default: as many as fit in
                    --minutes, from a timed 2-sample search; the report
                    says when that is below 100)
  --minutes M       target wall time of the whole run when --budget is
                    not given (default 60)
  --proxy SPEC      the searches' child training, as KEY=VALUE,... with
                    the keys of nasview fidelity: dataset, train, val,
                    epochs, F, N, batch, lr, recal (default
                    train=1000,val=500; unset keys take the defaults)
  --reference SPEC  the proxy it is measured against (default: the
                    defaults, train=10000,val=5000)
  --panel P         random architectures in the fidelity panel (default
                    10; 0 skips the measurement)
  --workers W       children each search trains at once (default: the
                    online cores); --jobs W is the same (older name)
  --strategies "S..." strategies to run (default "rl random evolution")
  --first-seed S    seeds are S, S+1, ... (default 1)
  --out DIR         output directory (default experiment-YYYYmmdd-HHMMSS);
                    an existing one is continued
  --nasview BIN     the nasview binary (default $NASVIEW, ./build/nasview,
                    ./nasview, or nasview on PATH)
  -h, --help        this help

Bigger runs: --seeds 10 --budget 300 --minutes 600.  Flags after `--` go
to every search (for example -- --set ppo-batch=4).  Below a budget of 40,
evolution's population is 2/5 of the budget (tournament half of that)
unless population= is set after `--`: its first `population` samples are
random founders.  Output in DIR: experiment.db (every sample and the
panel), logs/NAME.log, fidelity.txt, compare.txt, compare.json,
compare.csv, compare.svg, summary.txt.
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
    --proxy) proxy=${2?--proxy needs a value}; shift 2 ;;
    --reference) reference=${2?--reference needs a value}; shift 2 ;;
    --panel) panel=${2:?--panel needs a value}; shift 2 ;;
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
case "$panel" in '' | *[!0-9]*) die "--panel must be a whole number (0 skips the fidelity panel)" ;; esac

# The proxy in `nasview search` flags.  Keys as nasview fidelity spells
# them, so one SPEC names the same child training in both commands.
proxy_flags=()
spec_to_flags() {
    local spec=$1 item key value
    local IFS=,
    for item in $spec; do
        key=${item%%=*}
        value=${item#*=}
        [ "$key" != "$item" ] && [ -n "$value" ] || die "--proxy: '$item' is not KEY=VALUE"
        case "$key" in
        dataset) proxy_flags+=(--dataset "$value") ;;
        train) proxy_flags+=(--train-size "$value") ;;
        val) proxy_flags+=(--val-size "$value") ;;
        epochs) proxy_flags+=(--epochs "$value") ;;
        F) proxy_flags+=(--F "$value") ;;
        N) proxy_flags+=(--N "$value") ;;
        batch) proxy_flags+=(--batch "$value") ;;
        lr) proxy_flags+=(--lr "$value") ;;
        recal) proxy_flags+=(--bn-recalibrate "$value") ;;
        *) die "--proxy: unknown key '$key' (dataset, train, val, epochs, F, N, batch, lr, recal)" ;;
        esac
    done
}
spec_to_flags "$proxy"

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
start=$(date +%s)
elapsed() { echo $(($(date +%s) - start)); }

# The command in flight; Ctrl-C or SIGTERM stops it and its workers (it
# stores what it finished; running this script again with --out continues).
pid=
failed=0
trap 'log "stopping... (run again with --out $out to continue)"; [ -z "$pid" ] || kill "$pid" 2>/dev/null; wait; exit 130' INT TERM

# run_logged LOG CMD... - run CMD in the background (so the trap can stop
# it) with its output in LOG; its exit status.
run_logged() {
    local logf=$1
    shift
    "$@" >"$logf" 2>&1 &
    pid=$!
    wait "$pid"
    local rc=$?
    pid=
    return $rc
}

# --- 1. fidelity of the proxy ------------------------------------------------
tau_line="not measured (--panel 0)"
if [ "$panel" -gt 0 ]; then
    ref_spec="reference"
    [ -z "$reference" ] || ref_spec="reference:$reference"
    log "fidelity: $panel random architectures at the reference proxy and at '$proxy' (nasview fidelity)..."
    run_logged "$out/logs/fidelity.log" "$nasview" fidelity --db "$db" \
        --panel proxy --seed "$first_seed" --random "$panel" \
        --fidelity "$ref_spec" --fidelity "proxy:$proxy" ||
        die "the fidelity panel failed; see $out/logs/fidelity.log"
    "$nasview" fidelity --db "$db" --panel proxy --no-train >"$out/fidelity.txt" ||
        die "cannot report the fidelity panel"
    tau_line=$("$nasview" fidelity --db "$db" --panel proxy --no-train --format csv |
        awk -F, '$2 == "proxy" {
            if ($10 == "") print "not computable (too few results)";
            else printf "Kendall tau %.2f [%.2f, %.2f], Spearman rho %.2f, cost %.2fx of the reference, n = %s\n", $10, $11, $12, $7, $16, $6 }')
    log "proxy against the reference: $tau_line"
fi

# --- 2. budget: time a 2-sample search when none is given --------------------
# A continued run keeps the budget its searches were started with.
if [ -z "$budget" ] && [ -f "$db" ]; then
    budget=$("$nasview" ls --db "$db" --format csv 2>/dev/null | awk -F, 'NR == 2 { print $5 }')
    [ -z "$budget" ] || log "continuing the searches in $db at their budget of $budget"
fi
if [ -z "$budget" ]; then
    log "timing a 2-sample random search to size the budget..."
    rm -f "$out/calibrate.db" "$out/calibrate.db-wal" "$out/calibrate.db-shm"
    t0=$(date +%s.%N)
    run_logged "$out/logs/calibrate.log" "$nasview" search --db "$out/calibrate.db" \
        --strategy random --budget 2 --seed 999 --threads 1 --workers 1 \
        --name calibrate "${proxy_flags[@]}" "${extra[@]}" ||
        die "the timing search failed; see $out/logs/calibrate.log"
    t1=$(date +%s.%N)
    # Seconds per child on one core, and the budget that fills what is left
    # of the target: total child time = strategies * seeds * budget * t,
    # spread over the workers.
    left=$((minutes * 60 - $(elapsed)))
    [ "$left" -ge 60 ] || left=60
    read -r child budget fit_seeds <<EOF
$(awk -v t0="$t0" -v t1="$t1" -v left="$left" -v j="$workers" \
        -v s="$nstrat" -v k="$seeds" -v want="$target_budget" 'BEGIN {
            t = (t1 - t0) / 2; b = int(left * j / (s * k * t));
            if (b < 5) b = 5; if (b > 1000) b = 1000;
            fk = int(left * j / (s * want * t));
            printf "%.1f %d %d\n", t, b, fk }')
EOF
    log "about ${child}s per child on one core: budget $budget samples per search"
    if [ "$budget" -lt "$target_budget" ]; then
        need=$(awk -v t="$child" -v j="$workers" -v s="$nstrat" -v k="$seeds" \
            -v b="$target_budget" 'BEGIN { printf "%.0f", s * k * b * t / j / 60 }')
        log "note: $seeds seeds x $target_budget samples would take about $need minutes here;"
        log "      in $minutes minutes fit $budget samples at $seeds seeds, or $target_budget samples at $fit_seeds seeds,"
        log "      or a cheaper proxy (--proxy), or more workers (--workers, --mpi)"
    fi
fi

# --- evolution at small budgets ----------------------------------------------
# Regularised evolution's first `population` samples are random founders.
# Its defaults (population 20, tournament 10) suit a hundred samples or
# more; below 40 they would leave little or nothing to evolve, so the
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
log "$total searches ($strategies; seeds $first_seed..$((first_seed + seeds - 1))), budget $budget each, proxy '$proxy', one at a time with $workers workers; output in $out"

# --- 3. the searches, one at a time, W children at once in each --------------

# status_of NAME - "STATUS BUDGET" of the stored search NAME ("" when there
# is none).
status_of() {
    [ -f "$db" ] || return 0
    "$nasview" ls --db "$db" --format csv 2>/dev/null |
        awk -F, -v n="$1" 'NR > 1 && $2 == n { print $9, $5 }'
}

for ((s = first_seed; s < first_seed + seeds; s++)); do
    for strat in $strategies; do
        name="$strat-s$s"
        read -r st stored_budget <<<"$(status_of "$name")"
        [ -z "$st" ] || [ "$stored_budget" = "$budget" ] ||
            die "$db already holds $name with a budget of $stored_budget, not $budget; give --budget $stored_budget to continue it, or another --out"
        flags=("${proxy_flags[@]}" "${extra[@]}")
        [ "$strat" = evolution ] && flags+=("${evo_flags[@]}")
        case "$st" in
        done)
            log "kept: $name (finished before)"
            continue ;;
        "")
            log "start: $name"
            cmd=("$nasview" search --db "$db" --strategy "$strat" --budget "$budget" \
                --seed "$s" --threads 1 --workers "$workers" --name "$name" "${flags[@]}") ;;
        *)
            log "resume: $name (was $st)"
            cmd=("$nasview" search --db "$db" --workers "$workers" --resume "$name") ;;
        esac
        if run_logged "$out/logs/$name.log" "${cmd[@]}"; then
            log "done: $name"
        else
            log "FAILED: $name (see $out/logs/$name.log)"
            failed=$((failed + 1))
        fi
    done
done
trap - INT TERM

# --- 4. compare ----------------------------------------------------------------
log "comparing"
names=()
for ((s = first_seed; s < first_seed + seeds; s++)); do
    for strat in $strategies; do
        [ -z "$(status_of "$strat-s$s")" ] || names+=("$strat-s$s")
    done
done
[ "${#names[@]}" -ge 2 ] || die "fewer than two searches to compare; see $out/logs/"
"$nasview" compare --db "$db" "${names[@]}" --format json >"$out/compare.json" &&
    "$nasview" compare --db "$db" "${names[@]}" --format csv >"$out/compare.csv" &&
    "$nasview" compare --db "$db" "${names[@]}" --svg "$out/compare.svg" \
        >"$out/compare.txt" || { echo "experiment.sh: compare failed" >&2; exit 1; }
wall=$(elapsed)

# The one-page summary: the protocol next to the verdict.
{
    echo "nasview experiment: ${strategies// / vs } on equal budgets"
    echo
    echo "Protocol"
    echo "  seeds        $seeds per strategy ($first_seed..$((first_seed + seeds - 1)))"
    echo "  budget       $budget samples per search"
    echo "  proxy        $proxy (every other setting at nasview's defaults)"
    ref_text=${reference:-the default proxy (train=10000,val=5000)}
    echo "  reference    $ref_text"
    echo "  proxy rank agreement with the reference: $tau_line"
    echo "  workers      $workers per search, one thread each; searches one after another"
    case " ${extra[*]:-} " in
    *" --streams common "*) streams="common random numbers (one set of streams per seed, shared by the strategies)" ;;
    *) streams="independent: each strategy draws from its own streams of each seed" ;;
    esac
    echo "  streams      $streams"
    test_used=$(grep -o '"test":"[a-z-]*"' "$out/compare.json" | head -n 1 | cut -d'"' -f4)
    echo "  rank test    ${test_used:-none} (exact for small counts, ties included; nasview(1), COMPARING STRATEGIES)"
    echo "  extra flags  ${extra[*]:-(none)}"
    echo "  machine      $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), $(getconf _NPROCESSORS_ONLN 2>/dev/null) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the end"
    echo "  nasview      $("$nasview" --version 2>&1 | head -n 1)"
    echo "  wall time    $((wall / 60)) min $((wall % 60)) s in all (this run of the script)"
    [ "$failed" -eq 0 ] || echo "  FAILED       $failed search(es); see logs/"
    echo
    echo "Result"
    sed 's/^/  /' "$out/compare.txt"
    if [ -s "$out/fidelity.txt" ]; then
        echo
        echo "Fidelity of the proxy"
        sed 's/^/  /' "$out/fidelity.txt"
    fi
} >"$out/summary.txt"

cat "$out/summary.txt"
echo
log "wrote $out/summary.txt, compare.txt, compare.json, compare.csv, compare.svg, fidelity.txt; database $db"
[ "$failed" -eq 0 ] || { echo "experiment.sh: $failed search(es) failed" >&2; exit 1; }
exit 0
