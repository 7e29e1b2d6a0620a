#!/bin/sh
# tui_manage.sh - managing searches from the Searches screen: r resumes an
# interrupted search (a real `nasview search --resume`), R renames, D
# deletes after asking; the UI has the command line do the writing.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/nasview.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
trap 'for p in $(sqlite3 "$DB" "SELECT pid FROM searches" 2>/dev/null); do
          kill "$p" 2>/dev/null; done
      tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
TINY="--dataset $DS --F 2 --train-size 128 --val-size 64 --batch 64 --workers 1"
run "$NASVIEW" search --db "$DB" --strategy random --seed 1 --budget 3 \
    --name keep $TINY
expect_status 0 "search keep"
# halt: stopped by Ctrl-C after its first samples, as a person would
"$NASVIEW" search --db "$DB" --strategy random --seed 2 --budget 40 \
    --name halt $TINY 2>"$TMP/halt.err" &
pid=$!
i=0
while n=$(sqlite3 "$DB" "SELECT samples_done FROM searches WHERE name = 'halt'" 2>/dev/null) &&
      [ "${n:-0}" -lt 2 ] && [ "$i" -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT "$pid"
wait "$pid"
[ "$(sqlite3 "$DB" "SELECT status FROM searches WHERE name = 'halt'")" = interrupted ] ||
    fail "halt interrupted: $(cat "$TMP/halt.err")"

tui_start --db "$DB"
tui_wait "halt" "the list"
tui_keys g
tui_wait "interrupted" "halt is interrupted"
tui_keys r
tui_wait "halt  random  sample" "r resumes: the live view opens"
i=0
while [ "$(sqlite3 "$DB" "SELECT status FROM searches WHERE name = 'halt'")" != done ] &&
      [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(sqlite3 "$DB" "SELECT status || '/' || samples_done FROM searches WHERE name = 'halt'")" = done/40 ] ||
    fail "halt resumed to its end: $(sqlite3 "$DB" "SELECT status, samples_done, message FROM searches WHERE name = 'halt'")"
tui_keys q
tui_wait "id" "back to the list"
tui_keys g r
tui_wait "is done: nothing to resume" "r on a done search"

# R renames through `nasview rename`
tui_keys R
tui_wait "New name:" "R asks for the name"
tui_keys C-u
tui_keys -l "renamed-one"
tui_keys Enter
tui_wait "to 'renamed-one'" "R renames"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM searches WHERE name = 'renamed-one'")" = 1 ] ||
    fail "the file has the new name"

# D asks, n keeps, y deletes
keep_rows=$(sqlite3 "$DB" "SELECT count(*) FROM samples WHERE search_id =
    (SELECT id FROM searches WHERE name = 'keep')")
tui_keys g
tui_keys D
tui_wait "Delete search 'renamed-one' and its 40 samples?" "D asks"
tui_keys n
tui_wait_not "Delete search" "n answers no"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM searches WHERE name = 'renamed-one'")" = 1 ] ||
    fail "n deleted"
tui_keys D
tui_wait "Delete search 'renamed-one'" "D asks again"
tui_keys y
tui_wait "deleted 'renamed-one' (40 samples)" "y deletes"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM searches WHERE name = 'renamed-one'")" = 0 ] ||
    fail "the search is gone from the file"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM samples WHERE search_id =
    (SELECT id FROM searches WHERE name = 'keep')")" = "$keep_rows" ] ||
    fail "deleting one search touched another"
tui_keys q
tui_wait "[exit 0]" "quit"
finish
