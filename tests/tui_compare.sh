#!/bin/sh
# tui_compare.sh - the Compare screen on a database filled by tiny real
# searches (rl and random, two seeds each): every search marked at first,
# curves per strategy with their bands in the legend's colours, the
# statistics table and the verdict, the same figures as `nasview compare`;
# unmarking a strategy's searches, marking all again, changing the metric,
# help, resizing including too small.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/cmp.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
for st in rl random; do
    for seed in 1 2; do
        "$NASVIEW" search --db "$DB" --strategy "$st" --budget 5 --seed "$seed" \
            --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
            >/dev/null 2>&1 || fail "search $st-$seed"
    done
done
# The figures the screen must show, from the command line.
table=$("$NASVIEW" compare --db "$DB" --all --format json) || fail "compare --all"
rl_best=$(printf '%s' "$table" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = {g["strategy"]: g for g in d["strategies"]}
print("%.4f" % s["rl"]["best"]["mean"])')
verdict=$(printf '%s' "$table" | python3 -c '
import json, sys
print(json.load(sys.stdin)["pairs"][0]["text"][:40])')

tui_start --db "$DB"
tui_wait "random-2" "searches listed"
tui_keys c
tui_wait "Compare strategies: 4 of 4 searches, budget 5 samples" "compare title"
tui_wait "[x] rl-1" "every search marked at first"
tui_wait "[x] random-2" "every search marked at first"
tui_wait "rl (2 searches)" "legend names rl"
tui_wait "random (2 searches)" "legend names random"
tui_wait "samples" "x axis"
tui_wait "best at budget: mean [95% CI]" "table header"
tui_wait_re "^rl +2  $rl_best \\[" "rl's row has compare's mean"
tui_wait "Verdict: $verdict" "the verdict compare gives"
tui_wait "no evidence of a difference" "plain verdict"
# The curves are drawn with braille dots.
tui_screen | python3 -c '
import sys
sys.exit(0 if any(0x2801 <= ord(c) <= 0x28ff for c in sys.stdin.read()) else 1)' ||
    fail "no braille curves"

# Unmark the two random searches (the list is in the database's order).
tui_keys '?'
tui_wait "Keys of the Compare screen" "help of the compare screen"
tui_wait "mark or unmark" "help lists Space"
tui_keys q
tui_wait "Compare strategies" "help closed"
tui_keys G Space k Space
tui_wait "Compare strategies: 2 of 4 searches" "two unmarked"
tui_wait "[ ] random-1" "random-1 unmarked"
tui_wait "Verdict: needs searches of two strategies." "one strategy left"
tui_wait_not "random (2 searches)" "random gone from the legend"
tui_keys a
tui_wait "Compare strategies: 4 of 4 searches" "a marks all"
tui_keys a
tui_wait "Compare strategies: 0 of 4 searches" "a again marks none"
tui_wait "Mark searches with Space" "says what to do"
tui_keys a
tui_wait "4 of 4 searches" "all again"
tui_keys m
tui_wait "top-5 mean so far" "m changes the metric"
tui_keys m m
tui_wait "best so far" "back to best"

for size in "120 40" "80 24" "70 20"; do
    set -- $size
    tui_resize "$1" "$2"
    tui_wait "Compare strategies" "compare at $1x$2"
    tui_wait "Verdict:" "verdict at $1x$2"
done
tui_resize 100 30
tui_wait "rl (2 searches)" "back to 100x30"
tui_screen > "$TMP/screen.txt"
tui_resize 60 15
tui_wait "Terminal too small: 60x15" "too small"
tui_resize 100 30
tui_wait "rl (2 searches)" "back"
tui_keys q
tui_wait "random-2" "back to the searches"
tui_keys q
tui_wait "[exit 0]" "quit"

# An empty database: nothing to compare, said plainly.
tui_start --db "$TMP/empty.db"
tui_wait "Welcome to nasview." "empty database"
tui_keys c
tui_wait "No search has a finished sample yet" "nothing to compare"
tui_keys q q
tui_wait "[exit 0]" "quit empty"

finish
