#!/bin/sh
# compare_files.sh - the comparison written as JSON, CSV, table and SVG by
# tests/test_compare is well-formed: JSON parses and holds the hand-worked
# values, CSV has its header and one row per strategy and step, the SVG is
# valid XML (xmllint) and renders (rsvg-convert).
. "${SRCDIR:-.}/tests/lib.sh"

run "$BUILDDIR/tests/test_compare" "$TMP"
expect_status 0 "test_compare writes its files"

out=$(cat "$TMP/compare.json")
expect_json "$out" "compare.json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["budget"] == 3 and d["budget_is_default"] is True, d["budget"]
s = [g["strategy"] for g in d["strategies"]]
assert s == ["rl", "random", "evolution"], s
rl = d["strategies"][0]
assert rl["n"] == 2 and abs(rl["best"]["mean"] - 0.75) < 1e-9
assert len(rl["curves"]["top25"]["mean"]) == 3
p = d["pairs"][0]
assert p["a"] == "rl" and p["b"] == "random" and p["exact"] is True
assert abs(p["p"] - 1/3) < 1e-6 and p["verdict"] == "no evidence of a difference"
' || fail "compare.json content"

python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:4] == ["strategy", "samples", "n", "best_mean"], rows[0]
assert len(rows) == 1 + 3 * 3, len(rows)
assert all(len(r) == len(rows[0]) for r in rows)
assert rows[1][:3] == ["rl", "1", "2"], rows[1]
' "$TMP/compare.csv" || fail "compare.csv content"

run cat "$TMP/compare.txt"
expect_out "at a budget of 3 samples each (the smallest" "table header"
expect_out "rl vs random" "table pair"
expect_out "no evidence of a difference between rl and random at 3 samples" "table verdict"

if command -v xmllint >/dev/null 2>&1; then
    run xmllint --noout "$TMP/compare.svg"
    expect_status 0 "SVG is well-formed XML"
else
    echo "xmllint not installed: skipping the XML check"
fi
if command -v rsvg-convert >/dev/null 2>&1; then
    run rsvg-convert -o "$TMP/compare.png" "$TMP/compare.svg"
    expect_status 0 "SVG renders"
    [ -s "$TMP/compare.png" ] || fail "rsvg-convert wrote no PNG"
else
    echo "rsvg-convert not installed: skipping the render check"
fi
run grep -c '<polyline fill="none" stroke="#[0-9a-f]*" stroke-width="2"' "$TMP/compare.svg"
expect_out "9" "one mean curve per strategy and panel"
# Below 4 seeds each run is drawn thin (rl and random: 2 runs each, in 3
# panels; evolution's single run is its mean) and no band is drawn.
run grep -c "stroke-dasharray" "$TMP/compare.svg"
expect_out "12" "every run of rl and random drawn thin"
grep -q "<polygon" "$TMP/compare.svg" && fail "a band drawn from fewer than 4 seeds"
grep -q "cut to \[0,1\]" "$TMP/compare.svg" || fail "the SVG does not say the band is cut to [0,1]"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for g in d["strategies"]:
    for m in ("best", "top5", "top25"):
        c = g["curves"][m]
        assert all(0 <= v <= 1 for v in c["ci_low"] + c["ci_high"]), (g["strategy"], m)
rl = d["strategies"][0]
assert rl["curves"]["best"]["ci_low"][0] == 0 and rl["curves"]["best"]["ci_high"][0] == 1
assert d["interval"].endswith("cut to [0,1]")
' "$TMP/compare.json" || fail "JSON intervals inside [0,1]"
run grep -c "validation accuracy" "$TMP/compare.svg"
expect_out "3" "y axes labelled"

finish
