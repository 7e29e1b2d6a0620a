#!/bin/sh
# search_e2e.sh - `nasview search` end to end on a tiny synthetic dataset
# and a tiny proxy: a full search of every strategy with every row checked;
# pause and resume by signal; SIGINT and SIGKILL in the middle of a child,
# then --resume, giving exactly the samples of an uninterrupted run; two
# searches writing one file at once while it is read.
. "${SRCDIR:-.}/tests/lib.sh"
CHECKDB="python3 $SRCDIR/tests/search_check.py"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 1200 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
# Children of about 0.1 s and 0.2 s (1 thread, 2 cores).
SMALL="--dataset $DS --F 2 --train-size 200 --val-size 100 --batch 32"
PROXY="--dataset $DS --F 4 --train-size 800 --val-size 100 --batch 32"
DB="$TMP/s.db"

# --- a full search of each strategy ----------------------------------------
run "$NASVIEW" search --db "$DB" --strategy random --budget 4 --seed 3 $SMALL
expect_status 0 "random search"
[ -z "$err" ] || fail "quiet when stderr is not a terminal: $err"
run "$NASVIEW" search --db "$DB" --strategy evolution --budget 6 --seed 3 \
    --population 3 --set tournament=2 $SMALL
expect_status 0 "evolution search"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 4 --seed 3 \
    --set ppo_batch=2 $SMALL
expect_status 0 "rl search"
$CHECKDB "$DB" consistent random-3 evolution-3 rl-3 || fail "rows consistent"
run "$NASVIEW" search --db "$DB" --strategy random --budget 4 --seed 3 $SMALL
expect_status 0 "same strategy and seed again"
$CHECKDB "$DB" same random-3 random-3-2 || fail "same seed, same samples"
run "$NASVIEW" search --db "$DB" --strategy random --budget 2 --seed 3 \
    --name random-3 $SMALL
expect_status 2 "a name is unique"
expect_err "exists already" "a name is unique"
run "$NASVIEW" search --db "$DB" --resume rl-3
expect_status 2 "a done search does not resume"
expect_err "done already" "a done search does not resume"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 2 --seed 1 \
    --set no_such_setting=1 $SMALL
expect_status 2 "unknown strategy setting"
run "$NASVIEW" search --db "$DB" --strategy evolution --budget 2 --seed 1 \
    --population 2 --tournament 3 $SMALL
expect_status 2 "settings that disagree"
run "$NASVIEW" search --db "$DB" --resume rl-3 --seed 2
expect_status 2 "--resume takes no settings"
run "$NASVIEW" ls --db "$DB" --format json
expect_json "$out" "ls after searches"

# --- batch-norm recalibration: on unless told off, stored, kept on resume ---
run "$NASVIEW" search --db "$DB" --strategy random --budget 3 --seed 3 \
    --name bn-off --bn-recalibrate off $SMALL
expect_status 0 "search without recalibration"
run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 3 \
    --bn-recalibrate maybe $SMALL
expect_status 2 "--bn-recalibrate takes on or off"
run "$NASVIEW" search --db "$DB" --resume bn-off --bn-recalibrate on
expect_status 2 "--resume takes no --bn-recalibrate"
# A search from before schema 4 has bn_recalibrate 0 (the migration's
# default, store_files.sh); make one by hand, stopped after 2 of 3 samples.
run "$NASVIEW" search --db "$DB" --strategy random --budget 2 --seed 3 \
    --name bn-old $SMALL
expect_status 0 "search to make old"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE searches SET budget = 3, status = ?, bn_recalibrate = 0 "
          "WHERE name = ?", ("interrupted", "bn-old"))
c.commit()
' "$DB" || fail "make bn-old an old search"
run "$NASVIEW" search --db "$DB" --resume bn-old
expect_status 0 "resume the old search"
for name in random-3 bn-off bn-old; do
    run "$NASVIEW" show --db "$DB" "$name" --format json
    printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("1" if d["search"]["bn_recalibrate"] else "0",
      " ".join("%d:%r" % (s["idx"], s["reward"]) for s in d["samples"]))
' > "$TMP/bn-$name" || fail "show $name json"
done
python3 -c '
import sys
def load(name):
    on, *rest = open(sys.argv[1] + "/bn-" + name).read().split()
    return on, dict(r.split(":") for r in rest)
new_on, new = load("random-3")
off_on, off = load("bn-off")
old_on, old = load("bn-old")
assert (new_on, off_on, old_on) == ("1", "0", "0"), (new_on, off_on, old_on)
# same seed, same random proposals: sample 2 of the resumed old search is
# scored without recalibration, samples 0 and 1 were scored with it
assert old["2"] == off["2"] != new["2"], (old, off, new)
assert old["0"] == new["0"] and old["1"] == new["1"], (old, new)
assert any(new[i] != off[i] for i in "01"), (new, off)
' "$TMP" || fail "recalibration: new searches on, old ones resume off"
printf 'not a database\n' > "$TMP/text.db"
cp "$TMP/text.db" "$TMP/text.orig"
run "$NASVIEW" search --db "$TMP/text.db" --strategy random --budget 1 \
    --seed 1 $SMALL
expect_status 1 "search into a foreign file"
expect_err "not an SQLite database" "search into a foreign file"
cmp -s "$TMP/text.db" "$TMP/text.orig" || fail "search changed a foreign file"

# --- the reference: an uninterrupted rl search ------------------------------
# (as many workers as there are cores; the interrupted runs below train in
# the search process, one child at a time, and must give the same samples)
RL="--strategy rl --budget 6 --seed 5 --set ppo_batch=2 --threads 1 $PROXY"
run "$NASVIEW" search --db "$DB" --name ref $RL
expect_status 0 "reference run"

# pause_mid_child NAME PID IDX: pause search NAME (process PID) while one
# of its children, IDX or later, is training.  A pause that lands between
# two children is undone and tried again.
pause_mid_child() {
    tries=0
    while [ "$tries" -lt 4 ]; do
        kill -USR1 "$2"
        $CHECKDB "$DB" wait "$1" "$3" paused || { fail "$1: SIGUSR1 pauses"; return; }
        [ "$($CHECKDB "$DB" field "$1" "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" = 1 ] &&
            return
        kill -USR2 "$2"
        $CHECKDB "$DB" wait "$1" "$3" running || { fail "$1: SIGUSR2 resumes"; return; }
        tries=$((tries + 1))
    done
    fail "$1: never paused in the middle of a child"
}

# --- pause, resume by signal, then Ctrl-C while a child is paused ----------
# (a signal waits for the search to be paused first: the test never races
# the end of the budget)
"$NASVIEW" search --db "$DB" --name int --workers 1 $RL 2>"$TMP/int.err" &
pid=$!
$CHECKDB "$DB" wait int 1 running || fail "int reached sample 1"
kill -USR1 "$pid"
$CHECKDB "$DB" wait int 1 paused || fail "SIGUSR1 pauses"
kill -USR2 "$pid"
$CHECKDB "$DB" wait int 2 running || fail "SIGUSR2 resumes"
pause_mid_child int "$pid" 2
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "SIGINT: exit status $status, expected 130"
grep -q "resume with 'nasview search --resume int'" "$TMP/int.err" ||
    fail "SIGINT: says how to resume: $(cat "$TMP/int.err")"
[ "$($CHECKDB "$DB" field int 'SELECT status FROM searches WHERE id = ?')" = interrupted ] ||
    fail "SIGINT: search interrupted"
[ "$($CHECKDB "$DB" field int "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" = 0 ] ||
    fail "SIGINT: no sample left running"
[ "$($CHECKDB "$DB" field int "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'interrupted'")" = 1 ] ||
    fail "SIGINT: the child in flight is interrupted"
run "$NASVIEW" search --db "$DB" --resume int
expect_status 0 "resume after SIGINT"
$CHECKDB "$DB" same ref int || fail "SIGINT then resume = uninterrupted run"
$CHECKDB "$DB" consistent int || fail "SIGINT then resume: rows consistent"

# --- kill -9 while a child trains (paused, so it is surely mid-child) ------
"$NASVIEW" search --db "$DB" --name kil --workers 1 $RL 2>/dev/null &
pid=$!
$CHECKDB "$DB" wait kil 1 running || fail "kil reached sample 1"
pause_mid_child kil "$pid" 1
kill -KILL "$pid"
wait "$pid"
status=$?
[ "$status" -eq 137 ] || fail "SIGKILL: exit status $status"
run "$NASVIEW" ls --db "$DB" --format csv
expect_out ",stale," "a killed search is stale to readers"
[ "$($CHECKDB "$DB" field kil "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" = 1 ] ||
    fail "SIGKILL: the child in flight is still marked running in the file"
run "$NASVIEW" search --db "$DB" --resume kil
expect_status 0 "resume after SIGKILL"
$CHECKDB "$DB" same ref kil || fail "SIGKILL then resume = uninterrupted run"
$CHECKDB "$DB" consistent kil || fail "SIGKILL then resume: rows consistent"

# --- SIGHUP (the terminal closed) stops like SIGTERM; a second signal -----
"$NASVIEW" search --db "$DB" --name hup --workers 1 $RL 2>"$TMP/hup.err" &
pid=$!
$CHECKDB "$DB" wait hup 1 running || fail "hup reached sample 1"
pause_mid_child hup "$pid" 1
kill -HUP "$pid"
wait "$pid"
status=$?
[ "$status" -eq 129 ] || fail "SIGHUP: exit status $status, expected 129"
[ "$($CHECKDB "$DB" field hup 'SELECT status FROM searches WHERE id = ?')" = interrupted ] ||
    fail "SIGHUP: search interrupted, not left running"
[ "$($CHECKDB "$DB" field hup "SELECT count(*) FROM samples WHERE search_id = ? AND status = 'running'")" = 0 ] ||
    fail "SIGHUP: no sample left running"
run "$NASVIEW" search --db "$DB" --resume hup
expect_status 0 "resume after SIGHUP"
$CHECKDB "$DB" same ref hup || fail "SIGHUP then resume = uninterrupted run"

"$NASVIEW" search --db "$DB" --name dbl --workers 1 $RL 2>"$TMP/dbl.err" &
pid=$!
$CHECKDB "$DB" wait dbl 1 running || fail "dbl reached sample 1"
pause_mid_child dbl "$pid" 1
# Two different signals: two of the same sent before the search runs again
# (a busy machine) would merge into one.  The one handled second ends it
# by itself (both pending: the kernel may run either handler first).
kill -INT "$pid"
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || [ "$status" -eq 143 ] ||
    fail "double signal: exit status $status, expected 130 or 143"
grep -q "second signal: stopped at once.*resume NAME" "$TMP/dbl.err" ||
    fail "double SIGINT: says what was left: $(cat "$TMP/dbl.err")"
run "$NASVIEW" search --db "$DB" --resume dbl
expect_status 0 "resume after a double SIGINT"
$CHECKDB "$DB" same ref dbl || fail "double SIGINT then resume = uninterrupted run"

# --- two writers at once, and a reader -----------------------------------
DB2="$TMP/two.db"
"$NASVIEW" search --db "$DB2" --strategy random --budget 6 --seed 1 $SMALL \
    2>"$TMP/w1.err" &
p1=$!
"$NASVIEW" search --db "$DB2" --strategy evolution --budget 6 --seed 2 \
    --set population=4 --set tournament=2 $SMALL 2>"$TMP/w2.err" &
p2=$!
reads=0
while kill -0 "$p1" 2>/dev/null || kill -0 "$p2" 2>/dev/null; do
    "$NASVIEW" ls --db "$DB2" --format csv >/dev/null 2>>"$TMP/r.err" ||
        fail "ls while two searches write: $(cat "$TMP/r.err")"
    reads=$((reads + 1))
    [ "$reads" -lt 2000 ] || break
done
wait "$p1" || fail "first writer: $(cat "$TMP/w1.err")"
wait "$p2" || fail "second writer: $(cat "$TMP/w2.err")"
! grep -qi "locked" "$TMP/w1.err" "$TMP/w2.err" "$TMP/r.err" ||
    fail "database is locked"
$CHECKDB "$DB2" consistent random-1 evolution-2 || fail "two writers: rows"
$CHECKDB "$DB" consistent random-3 || fail "nothing else changed"

finish
