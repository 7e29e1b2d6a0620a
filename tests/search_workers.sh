#!/bin/sh
# search_workers.sh - `nasview search --workers K` end to end on the tiny
# synthetic dataset: one seed gives the same samples and rewards, in the
# same order, with 1 and 3 workers for every strategy (batches spanning
# several workers, a last batch cut short by the budget, duplicates inside
# a generation); a worker killed
# with SIGKILL in the middle of a child costs nothing (the child is
# retried on a fresh worker, every sample as in a run without the kill);
# a worker killed under the same child twice makes only that child
# failed; SIGINT stops every worker (no orphans), marks their children
# interrupted, and a resume gives the uninterrupted run's samples, also
# from inside an rl minibatch, keeping the children already done; workers
# die with a search killed by SIGKILL.
. "${SRCDIR:-.}/tests/lib.sh"
CHECKDB="python3 $SRCDIR/tests/search_check.py"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 1200 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
# Children of about 0.1 s (one thread).
SMALL="--dataset $DS --F 2 --train-size 200 --val-size 100 --batch 32 --threads 1"
# Children of about half a second, so that a signal surely lands in one.
SLOW="--dataset $DS --F 4 --train-size 1100 --val-size 100 --batch 32 --threads 1"
DB="$TMP/w.db"

# --- same seed, 1 or 3 workers: the same samples -------------------------
for k in 1 3; do
    run "$NASVIEW" search --db "$DB" --name "rl-$k" --workers "$k" \
        --strategy rl --budget 7 --seed 4 --set ppo_batch=3 $SMALL
    expect_status 0 "rl with $k workers"
    run "$NASVIEW" search --db "$DB" --name "random-$k" --workers "$k" \
        --strategy random --budget 7 --seed 4 $SMALL
    expect_status 0 "random with $k workers"
    run "$NASVIEW" search --db "$DB" --name "evolution-$k" --workers "$k" \
        --strategy evolution --budget 10 --seed 4 --set population=3 \
        --set tournament=2 --set generation=3 $SMALL
    expect_status 0 "evolution with $k workers"
done
for s in rl random evolution; do
    $CHECKDB "$DB" consistent "$s-1" "$s-3" || fail "$s: rows consistent"
    $CHECKDB "$DB" same "$s-1" "$s-3" || fail "$s: 1 and 3 workers differ"
done
# Equal architectures inside one generation: the later one waits for the
# earlier and reuses its reward, with 1 worker as with 3 (this seed, with
# the common streams it was found with, makes two such pairs among 40
# children of a population of 3).
TINY="--dataset $DS --F 1 --train-size 64 --val-size 32 --batch 32 --threads 1"
for k in 1 3; do
    run "$NASVIEW" search --db "$DB" --name "dup-$k" --workers "$k" \
        --strategy evolution --budget 40 --seed 1 --streams common \
        --set population=3 --set tournament=3 --set generation=4 $TINY
    expect_status 0 "duplicates with $k workers"
done
$CHECKDB "$DB" consistent dup-1 dup-3 || fail "duplicates: rows consistent"
$CHECKDB "$DB" same dup-1 dup-3 || fail "duplicates: 1 and 3 workers differ"
[ "$($CHECKDB "$DB" field dup-3 "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'duplicate' AND duplicate_of >= idx / 4 * 4")" -ge 1 ] ||
    fail "duplicates: none inside a generation (the test lost its case)"
[ "$($CHECKDB "$DB" field rl-3 'SELECT threads FROM searches WHERE id = ?')" = 1 ] ||
    fail "workers train and store one thread per child"
run "$NASVIEW" search --db "$DB" --strategy random --budget 2 --seed 1 \
    $SMALL --workers 2 --threads 2
expect_status 2 "--threads 2 with workers"
expect_err "needs --workers 1" "--threads 2 with workers"
run "$NASVIEW" search --db "$DB" --strategy random --budget 2 --seed 1 \
    --workers 0 $SMALL
expect_status 2 "--workers 0"

# The reference for what follows: no signals, two workers.
RUN="--strategy random --budget 6 --seed 9 $SLOW"
run "$NASVIEW" search --db "$DB" --name ref --workers 2 $RUN
expect_status 0 "reference run"

# workers_of PID: the worker processes of search PID, one per line.
workers_of() {
    pgrep -P "$1"
}

# pause_with_children NAME PID: pause search NAME (process PID, its
# workers stopped) while at least one of its children trains.
pause_with_children() {
    tries=0
    while [ "$tries" -lt 20 ]; do
        kill -USR1 "$2"
        $CHECKDB "$DB" wait "$1" 0 paused || { fail "$1: SIGUSR1 pauses"; return 1; }
        [ "$($CHECKDB "$DB" field "$1" "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" -ge 1 ] &&
            return 0
        kill -USR2 "$2"
        $CHECKDB "$DB" wait "$1" 0 running || { fail "$1: SIGUSR2 resumes"; return 1; }
        sleep 0.1
        tries=$((tries + 1))
    done
    fail "$1: never paused with a child training"
    return 1
}

# --- SIGKILL of one worker in the middle of a child -------------------------
"$NASVIEW" search --db "$DB" --name k1 --workers 2 $RUN 2>"$TMP/k1.err" &
pid=$!
$CHECKDB "$DB" wait k1 0 running || fail "k1 started"
if pause_with_children k1 "$pid"; then
    victim=$(workers_of "$pid" | head -n 1)
    [ -n "$victim" ] || fail "k1: no worker process"
    kill -KILL "$victim"
    kill -USR2 "$pid"
fi
wait "$pid"
status=$?
[ "$status" -eq 0 ] || fail "k1: a killed worker ends the search: $status $(cat "$TMP/k1.err")"
$CHECKDB "$DB" consistent k1 || fail "k1: rows consistent"
$CHECKDB "$DB" same ref k1 || fail "k1: samples differ from the run without a kill"

# --- --workers 1 trains in the search process: no worker processes -------
"$NASVIEW" search --db "$DB" --name one --workers 1 $RUN 2>/dev/null &
pid=$!
$CHECKDB "$DB" wait one 0 running || fail "one started"
[ -z "$(workers_of "$pid")" ] || fail "--workers 1 started worker processes"
kill -INT "$pid"
wait "$pid"

# --- the same child's worker killed twice: that child fails, nothing else --
"$NASVIEW" search --db "$DB" --name k3 --workers 2 $RUN 2>"$TMP/k3.err" &
pid=$!
$CHECKDB "$DB" wait k3 0 running || fail "k3 started"
killed=0
if pause_with_children k3 "$pid"; then
    idx=$($CHECKDB "$DB" field k3 "SELECT min(idx) FROM samples WHERE search_id = ? AND status = 'running'")
    for w in $(workers_of "$pid"); do kill -KILL "$w"; done
    kill -USR2 "$pid"
    # The children go to fresh workers; kill those too while they train.
    sleep 0.3
    if pause_with_children k3 "$pid"; then
        for w in $(workers_of "$pid"); do kill -KILL "$w"; done
        kill -USR2 "$pid"
        killed=1
    fi
fi
wait "$pid"
status=$?
[ "$status" -eq 0 ] || fail "k3: exit status $status: $(cat "$TMP/k3.err")"
if [ "$killed" = 1 ]; then
    [ "$($CHECKDB "$DB" field k3 "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'failed' AND message LIKE '%died on both attempts%'")" -ge 1 ] ||
        fail "k3: a child whose worker died twice is failed, with the reason"
    grep -q "failed: its worker process died" "$TMP/k3.err" ||
        fail "k3: says which child failed: $(cat "$TMP/k3.err")"
    [ "$($CHECKDB "$DB" field k3 'SELECT status FROM searches WHERE id = ?')" = done ] ||
        fail "k3: the search goes on to its budget"
    [ "$($CHECKDB "$DB" field k3 "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'done'")" -ge 4 ] ||
        fail "k3: the other children trained"
fi

# --- SIGINT: every worker stops, their children are interrupted -----------
"$NASVIEW" search --db "$DB" --name int --workers 2 $RUN 2>"$TMP/int.err" &
pid=$!
$CHECKDB "$DB" wait int 1 running || fail "int reached sample 1"
ws=$(workers_of "$pid")
[ "$(printf '%s\n' "$ws" | grep -c .)" = 2 ] || fail "int: two workers: $ws"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "SIGINT: exit status $status, expected 130"
for w in $ws; do
    ! kill -0 "$w" 2>/dev/null || fail "SIGINT: worker $w outlives the search"
done
[ "$($CHECKDB "$DB" field int 'SELECT status FROM searches WHERE id = ?')" = interrupted ] ||
    fail "SIGINT: search interrupted"
[ "$($CHECKDB "$DB" field int "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" = 0 ] ||
    fail "SIGINT: no sample left running"
[ "$($CHECKDB "$DB" field int "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'interrupted'")" -ge 1 ] ||
    fail "SIGINT: the children in flight are interrupted"
run "$NASVIEW" search --db "$DB" --resume int --workers 3
expect_status 0 "resume after SIGINT with another number of workers"
$CHECKDB "$DB" same ref int || fail "SIGINT then resume = uninterrupted run"
$CHECKDB "$DB" consistent int || fail "SIGINT then resume: rows consistent"

# --- rl stopped inside a minibatch: its finished children are kept --------
RLRUN="--strategy rl --budget 6 --seed 9 --set ppo_batch=4 $SLOW"
run "$NASVIEW" search --db "$DB" --name rlref --workers 2 $RLRUN
expect_status 0 "rl reference run"
"$NASVIEW" search --db "$DB" --name rlint --workers 2 $RLRUN 2>/dev/null &
pid=$!
# Sample 2 trains once 0 or 1 is done: the minibatch 0..3 is half done.
$CHECKDB "$DB" wait rlint 2 running || fail "rlint reached sample 2"
kill -INT "$pid"
wait "$pid"
kept=$($CHECKDB "$DB" field rlint "SELECT group_concat(idx || ':' || finished) FROM samples WHERE search_id = ? AND status = 'done'")
[ -n "$kept" ] || fail "rlint: a sample of the minibatch was done before the stop"
[ "$($CHECKDB "$DB" field rlint 'SELECT after_sample FROM strategy_state WHERE search_id = ?')" = -1 ] ||
    fail "rlint: the snapshot stays at the start of the minibatch"
run "$NASVIEW" search --db "$DB" --resume rlint --workers 1
expect_status 0 "rl resume inside a minibatch, in-process"
$CHECKDB "$DB" same rlref rlint || fail "rl stopped inside a minibatch then resumed = uninterrupted run"
$CHECKDB "$DB" consistent rlint || fail "rlint: rows consistent"
for f in $(printf '%s' "$kept" | tr ',' ' '); do
    i=${f%%:*}
    [ "$($CHECKDB "$DB" field rlint "SELECT idx || ':' || finished FROM samples WHERE search_id = ? AND idx = $i")" = "$f" ] ||
        fail "rlint: sample $i, done before the stop, was trained again"
done

# --- SIGKILL of the search: its workers die with it ------------------------
"$NASVIEW" search --db "$DB" --name dead --workers 2 $RUN 2>/dev/null &
pid=$!
$CHECKDB "$DB" wait dead 0 running || fail "dead started"
ws=$(workers_of "$pid")
kill -KILL "$pid"
wait "$pid"
i=0
for w in $ws; do
    while kill -0 "$w" 2>/dev/null && [ "$i" -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    ! kill -0 "$w" 2>/dev/null || fail "worker $w outlives a killed search"
done

finish
