#!/bin/sh
# tui_fidelity.sh - the fidelity screen (f from the searches list): a
# panel's correlation table (rho and tau with intervals, top-k, seconds
# per child, cost) and the braille scatter plot of a cheap fidelity
# against the reference; Tab plots the next fidelity; a fidelity added to
# the panel while the screen is open appears without a key.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"
DS="$TMP/ds"
DB="$TMP/f.db"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"
"$NASVIEW" fidelity --db "$DB" --panel pan --random 6 \
    --fidelity "ref:dataset=$DS,F=2,train=100,val=50,batch=16,threads=1" \
    --fidelity "params:dataset=$DS,F=2" --fidelity "synflow:dataset=$DS,F=2" \
    --top-k 2 --bootstrap 50 >/dev/null 2>&1 || fail "panel"

tui_start --db "$DB"
tui_wait "searches in" "searches screen"
tui_keys f
tui_wait "Fidelity panel pan  (1 of 1)  6 architectures, 3 fidelities, reference ref" \
    "fidelity screen title"
tui_wait "RHO [95%]" "correlation table"
tui_wait_re "^synflow +synflow +6  [-+][0-9.]+ \[[-+][0-9.]+, [-+][0-9.]+\]" \
    "synflow row with rho and its interval"
tui_wait "params (x) against ref (y)" "scatter of the first cheap fidelity"
tui_screen >"$TMP/scatter.txt"
LC_ALL=C.UTF-8 python3 -c '
import sys
text = open(sys.argv[1], encoding="utf-8").read()
assert any(0x2801 <= ord(c) <= 0x28ff for c in text), text
' "$TMP/scatter.txt" || fail "braille dots in the scatter plot: $(cat "$TMP/scatter.txt")"
tui_keys Tab
tui_wait "synflow (x) against ref (y)" "Tab plots the next fidelity"
# a fidelity added while the screen is open appears by itself
"$NASVIEW" fidelity --db "$DB" --panel pan \
    --fidelity "mult_adds:dataset=$DS,F=2" >/dev/null 2>&1 || fail "extend"
tui_wait "4 fidelities" "the screen follows the database"
tui_wait_re "^mult_adds +mult_adds +6 " "the new fidelity's row"
tui_keys q
tui_wait "searches in" "q goes back"
tui_keys q
finish
