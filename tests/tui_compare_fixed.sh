#!/bin/sh
# tui_compare_fixed.sh - the Compare screen with few seeds, on a database
# filled by tiny real searches: rl with seeds 1 and 2 (5 samples) and 3
# (only 3: it cuts the budget), random with seeds 1 and 2 (5 samples; seed
# 2 on a smaller validation set, so the settings differ).  Checked on the
# screen's text: every interval lies in [0,1] and is the one `nasview
# compare` prints; the y axis has a title and ticks; the warning that the
# settings differ, and that it goes with the search; "(n=1)"; the note on
# who cuts the budget, d dropping it, b choosing a budget and naming who is
# left out; the note beside a large A12 with a p that cannot be small;
# e writing the CSV, SVG and table that parse (CSV header, xmllint) and
# equal the command's; the same screen at 80x24, with NO_COLOR and in
# ASCII, where strategies differ by their markers.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/cmp.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
mk() { # mk STRATEGY SEED BUDGET VAL_SIZE
    "$NASVIEW" search --db "$DB" --strategy "$1" --budget "$3" --seed "$2" \
        --dataset "$DS" --F 2 --train-size 128 --val-size "$4" --batch 16 \
        --streams common >/dev/null 2>&1 || fail "search $1-$2"
}
mk rl 1 5 64
mk rl 2 5 64
mk rl 3 3 64
mk random 1 5 64
mk random 2 5 48

# screen_intervals: every "[lo, hi]" on the screen lies in [0,1]; prints
# how many there are.
screen_intervals() {
    tui_screen | python3 -c '
import re, sys
found = re.findall(r"\[(-?[0-9.]+), (-?[0-9.]+)\]", sys.stdin.read())
bad = [(a, b) for a, b in found if not (0 <= float(a) <= float(b) <= 1)]
if bad:
    sys.exit("intervals outside [0,1]: %s" % bad)
print(len(found))'
}

# expect_row STRATEGY N SEARCH...: the screen shows the strategy'"'"'s row
# with the best at the budget exactly as `nasview compare` gives it.
expect_row() {
    st=$1 n=$2
    shift 2
    cell=$("$NASVIEW" compare --db "$DB" "$@" --format json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
g = [g for g in d["strategies"] if g["strategy"] == sys.argv[1]][0]
b = g["best"]
assert 0 <= b["ci_low"] <= b["ci_high"] <= 1, b
if g["n"] == 1:
    print("%.4f (n=1)" % b["mean"])
else:
    print("%.4f [%.4f, %.4f]%s" % (b["mean"], b["ci_low"], b["ci_high"],
                                  "*" if b["ci_clipped"] else ""))' "$st") ||
        fail "compare $*"
    tui_wait_re "^$st +$n  $(printf '%s' "$cell" | sed 's/[][().*]/\\&/g')" \
        "$st's row as compare gives it ($cell)"
}

tui_start --db "$DB"
tui_wait "random-2" "searches listed"
tui_keys c
tui_wait "Compare strategies: 5 of 5 searches, budget 3 samples (smallest)" \
    "the shortest search sets the budget"
tui_wait "budget 3: rl-3 stopped at 3 (the longest has 5); d drops it, b changes budget" \
    "the screen says who cuts the budget"
tui_wait "differ in validation size" "settings warning"
"$NASVIEW" compare --db "$DB" --all --force 2>&1 >/dev/null |
    grep -q "warning: 'rl-1' and 'random-2' differ in validation size (64 vs 48)" ||
    fail "the command's warning differs"
tui_wait "'rl-1' and 'random-2' differ in validation size (64 vs 48)" \
    "the warning names the pair and the field as the command does"
tui_wait "best at budget: mean [95% CI]" "table"
n=$(screen_intervals) || fail "intervals on the screen: $n"
[ "${n:-0}" -ge 2 ] || fail "expected intervals on the screen, found ${n:-0}"
expect_row rl 3 --all --force
tui_wait "*: CI cut to [0,1]" "the table says what * means"
expect_row random 2 --all --force
# The y axis: a title and at least two ticks with labels.
tui_wait "val acc (0-1), best so far" "y title"
ticks=$(tui_screen | grep -cE '^ +[01]\.[0-9]{2} [┤│]')
[ "$ticks" -ge 2 ] || fail "y ticks: $ticks labelled rows"
tui_screen | grep -qE '^ +[01]\.[0-9]{2} ┤' || fail "no tick mark on the y axis"
# Below 4 seeds the legend says each run is drawn, not a band.
tui_wait "line: mean; dots: each run (n<4)" "runs instead of a band"
tui_wait_not "band: 95% t" "no band from 2 or 3 seeds"

# Unmark random-2 (the last in the list): the warning goes, random has n=1.
tui_keys G Space
tui_wait "4 of 5 searches" "random-2 unmarked"
tui_wait_not "differ in validation size" "warning gone with the search"
tui_wait "random (n=1)" "legend says n=1"
expect_row random 1 rl-1 rl-2 rl-3 random-1

# d drops the short search: the budget becomes 5.
tui_keys d
tui_wait "dropped rl-3 from the comparison" "d names what it dropped"
tui_wait "[ ] rl-3" "rl-3 unmarked"
tui_wait "budget 5 samples (smallest)" "budget 5 without rl-3"
tui_wait_not "stopped at" "no search cuts the budget now"
n=$(screen_intervals) || fail "intervals after d: $n"
expect_row rl 2 rl-1 rl-2 random-1
expect_row random 1 rl-1 rl-2 random-1
# rl 2 seeds vs random 1: p cannot go below 2/3; a medium or large A12 is
# explained beside it, a negligible or small one is not.
mag=$("$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 --format json | python3 -c '
import json, sys
p = json.load(sys.stdin)["pairs"][0]
print("%.2f %s" % (p["a12"], p["magnitude"]))')
case "$mag" in
*medium | *large)
    tui_wait "Note: A12 $mag but with 2 vs 1 seeds p cannot go below 0.667" \
        "a large A12 beside a p that cannot be small is explained"
    "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 |
        grep -q "rl vs random: A12 $mag but with 2 vs 1 seeds" ||
        fail "the command prints the same note" ;;
*)
    tui_wait_not "Note: A12" "no note for a small A12 ($mag)" ;;
esac

# b chooses the budget; a marked search with fewer samples is left out and
# named; an empty answer goes back to the smallest count.
tui_keys b
tui_wait "Budget (samples; empty: the smallest count):" "budget prompt"
tui_keys 4 Enter
tui_wait "budget 4 samples (chosen)" "chosen budget"
tui_keys g j j Space
tui_wait "budget 4 (chosen with b); left out, fewer samples: rl-3 (3)" \
    "a shorter search is left out by name"
expect_row rl 2 rl-1 rl-2 random-1 --budget 4
tui_keys b
tui_wait "Budget (samples; empty: the smallest count): 4" "prompt holds the budget"
tui_keys BSpace Enter
tui_wait "budget 3: rl-3 stopped at 3" "empty budget: the smallest again"
tui_keys b
tui_keys x Enter
tui_wait "budget 'x': give a number of samples" "a bad budget is refused"
tui_keys d
tui_wait "budget 5 samples (smallest)" "d again"

# e exports the curves, chart and table; the prompt offers a default.
tui_keys e
tui_wait "Export to (NAME.csv, .svg, .txt):" "export prompt"
tui_wait "compare-best-5" "default name from the metric and budget"
mkdir -p "$TMP/out"
tui_keys C-u
tui_keys -l "$TMP/out/cmp.svg"
tui_keys Enter
tui_wait "(curves), .svg (chart) and .txt (table)" "export message"
tui_wait "cmp.csv" "the message names the files"
for f in cmp.csv cmp.svg cmp.txt; do
    [ -s "$TMP/out/$f" ] || fail "export did not write $f"
done
head -n 1 "$TMP/out/cmp.csv" | grep -q "^strategy,samples,n,best_mean,best_ci_low,best_ci_high" ||
    fail "CSV header: $(head -n 1 "$TMP/out/cmp.csv")"
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2 * 5, len(rows)
for r in rows:
    for m in ("best", "top5", "top25"):
        assert 0 <= float(r[m + "_ci_low"]) <= float(r[m + "_ci_high"]) <= 1, r
' "$TMP/out/cmp.csv" || fail "CSV content"
"$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 --format csv | cmp -s - "$TMP/out/cmp.csv" ||
    fail "the CSV is not what compare --format csv writes"
"$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 --svg - | cmp -s - "$TMP/out/cmp.svg" ||
    fail "the SVG is not what compare --svg writes"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$TMP/out/cmp.svg" || fail "SVG is not well-formed"
else
    echo "xmllint not installed: skipping the XML check"
fi
grep -q "Verdict (p < 0.05)" "$TMP/out/cmp.txt" || fail "table file"
[ -e "$TMP/out/cmp.svg.csv" ] && fail "the extension given was not taken off"

# 80x24: the title, the chart's ticks, the table and the verdict fit.
tui_resize 80 24
tui_wait "Compare strategies: 3 of 5 searches, budget 5" "80x24 title"
tui_wait "Verdict:" "80x24 verdict"
tui_wait_re "^rl +2  " "80x24 table"
tui_screen | grep -qE '^ +[01]\.[0-9]{2} [┤│]' || fail "80x24 y labels"
n=$(screen_intervals) || fail "intervals at 80x24: $n"
tui_resize 70 20
tui_wait "Compare strategies" "70x20"
tui_keys q
tui_wait "random-2" "back to the searches"
tui_keys q
tui_wait "[exit 0]" "quit"

# NO_COLOR: each strategy has its own marker in the legend and on the
# chart; ASCII the same with letters.
TUI_ENV="NO_COLOR=1" tui_start --db "$DB"
tui_wait "random-2" "searches (NO_COLOR)"
tui_keys c
tui_wait "━● rl (3 searches)" "rl's marker (NO_COLOR)"
tui_wait "━▲ random (2 searches)" "random's marker (NO_COLOR)"
tui_screen | grep -v "━" | grep -q "▲" || fail "random's marker on the chart"
tui_screen | grep -v "━" | grep -q "●" || fail "rl's marker on the chart"
tui_keys q q
tui_wait "[exit 0]" "quit (NO_COLOR)"
TUI_ENV="NASVIEW_CHARS=ascii" tui_start --db "$DB"
tui_wait "random-2" "searches (ascii)"
tui_keys c
tui_wait "-o rl (3 searches)" "rl's marker (ascii)"
tui_wait "-+ random (2 searches)" "random's marker (ascii)"
tui_screen | python3 -c '
import sys
t = sys.stdin.read()
sys.exit(0 if all(ord(c) < 128 for c in t) else 1)' || fail "ASCII chart has only ASCII"
tui_keys q q
tui_wait "[exit 0]" "quit (ascii)"

finish
