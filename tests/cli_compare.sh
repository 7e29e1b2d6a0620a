#!/bin/sh
# cli_compare.sh - `nasview compare` end to end on a database with fixed
# rewards written by tests/mkcomparedb (see its header for the data and the
# hand-worked figures): table, JSON, CSV, SVG, budgets, metrics, errors,
# and the database left unchanged.
. "${SRCDIR:-.}/tests/lib.sh"

db="$TMP/compare.db"
"$BUILDDIR/tests/mkcomparedb" "$db" || { fail "mkcomparedb"; finish; }
sum_before=$(md5sum <"$db")

run "$NASVIEW" compare --db "$db" --all
expect_status 0 "compare --all"
expect_out "Comparing 9 searches at a budget of 7 samples each (the smallest" "default budget stated"
expect_out "rl better than random at 7 samples (p = 0.0286, A12 = 1.00 large; n = 4 vs 4)" "verdict"
expect_out "no evidence of a difference between rl and evolution at 7 samples" "rl vs evolution"
expect_out "with 4 vs 1 runs p cannot go below 0.400" "floor of the exact test"
expect_out "$(printf '%-24s %-12s %8s %5s %7s' random-s1 random 7 0 0.8000)" "failed sample left out, diverged kept"

run "$NASVIEW" compare --db "$db" --all --format json
expect_status 0 "compare json"
expect_json "$out" "compare json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["budget"] == 7 and d["budget_is_default"] is True
g = {s["strategy"]: s for s in d["strategies"]}
assert [s["strategy"] for s in d["strategies"]] == ["rl", "random", "evolution"]
rl = g["rl"]
assert rl["n"] == 4 and rl["duplicates"] == 1, rl["duplicates"]
s1 = [s for s in rl["searches"] if s["name"] == "rl-s1"][0]
# distinct top 5 of 0.5 0.7 0.6 0.7(dup) 0.9 0.65 0.8: (0.9+0.8+0.7+0.65+0.6)/5
assert abs(s1["top5"] - 0.73) < 1e-9, s1["top5"]
# AUC of rl-s1: best 0.5 0.7 0.7 0.7 0.9 0.9 0.9 -> 5.3/7
assert abs(s1["auc"] - 5.3 / 7) < 1e-9, s1["auc"]
assert abs(rl["best"]["mean"] - 0.915) < 1e-9
p = d["pairs"][0]
assert (p["a"], p["b"]) == ("rl", "random") and p["exact"] is True
assert p["test"] == "mann-whitney" and p["paired"] is False
assert abs(p["min_p"] - 2 / 70) < 1e-9
assert abs(p["p"] - 2 / 70) < 1e-9 and p["a12"] == 1 and p["verdict"] == "rl better"
assert len(rl["curves"]["best"]["mean"]) == 7
# the cost axis: every sample took 1 s on 1 thread, so k CPU-seconds by
# sample k, the same in every seed
assert rl["cpu_seconds"]["mean"] == [1, 2, 3, 4, 5, 6, 7], rl["cpu_seconds"]
' || fail "json content"

run "$NASVIEW" compare --db "$db" --all --format csv
expect_status 0 "compare csv"
printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert rows[0][:4] == ["strategy", "samples", "n", "best_mean"], rows[0]
assert len(rows) == 1 + 3 * 7, len(rows)
assert all(len(r) == 16 for r in rows)
assert rows[0][12:15] == ["cpu_seconds_mean", "cpu_seconds_ci_low", "cpu_seconds_ci_high"]
assert rows[0][-1] == "test" and all(r[-1] == "mann-whitney" for r in rows[1:])
' || fail "csv content"

run "$NASVIEW" compare --db "$db" rl-s1 rl-s2 random-s1 random-s2 --budget 5 --metric top5 --svg "$TMP/c.svg"
expect_status 0 "named searches"
expect_out "Comparing 4 searches at a budget of 5 samples each." "explicit budget"
expect_out "Tests on the top-5 mean at 5 samples" "metric"
expect_out "$(printf '%-28s %-10s %-20s' 'rl vs random' '2 vs 2' 'Mann-Whitney U')" "independent runs: Mann-Whitney"
expect_out "n = 2 vs 2" "n stated"
run xmllint --noout "$TMP/c.svg"
expect_status 0 "svg well-formed"
grep -q "best so far vs cost" "$TMP/c.svg" || fail "svg: the cost panel"
grep -q "CPU-seconds spent" "$TMP/c.svg" || fail "svg: the cost axis labelled"
run rsvg-convert -o "$TMP/c.png" "$TMP/c.svg"
expect_status 0 "svg renders"

run "$NASVIEW" compare --db "$db" --all --svg -
expect_status 0 "svg to stdout"
expect_out "<svg" "svg on stdout"
case "$out" in *Comparing*) fail "svg on stdout mixed with the table" ;; esac

run "$NASVIEW" compare --db "$db" --all --budget 8
expect_status 2 "budget too large"
expect_err "'random-s1' has only 7 finished samples" "budget message"
run "$NASVIEW" compare --db "$db" no-such-search
expect_status 1 "unknown search"
expect_err "no-such-search" "unknown search named"
run "$NASVIEW" compare --db "$TMP/missing.db" --all
expect_status 1 "missing database"
run "$NASVIEW" compare --db "$db"
expect_status 2 "nothing to compare"
run "$NASVIEW" compare --db "$db" --all rl-s1
expect_status 2 "names and --all"
run "$NASVIEW" compare --db "$db" --all --metric top7
expect_status 2 "bad metric"
run "$NASVIEW" compare --db "$db" --all --group seed
expect_status 2 "bad group"
run "$NASVIEW" compare --db "$db" --all --format xml
expect_status 2 "bad format"

[ "$(md5sum <"$db")" = "$sum_before" ] || fail "compare modified the database"

# The same rewards drawn with common random numbers: rl and random pair up
# by seed and are tested with the Wilcoxon signed-rank test (4 pairs, all
# rl's way: p = 2/16 = 0.125, its floor); evolution's one search cannot
# pair with four and is tested unpaired.
cdb="$TMP/common.db"
"$BUILDDIR/tests/mkcomparedb" "$cdb" common || fail "mkcomparedb common"
run "$NASVIEW" compare --db "$cdb" --all
expect_status 0 "compare common"
expect_out "$(printf '%-28s %-10s %-20s' 'rl vs random' '4 pairs' 'Wilcoxon signed-rank')" "common streams: Wilcoxon"
expect_out "$(printf '%-28s %-10s %-20s' 'rl vs evolution' '4 vs 1' 'Mann-Whitney U')" "unpaired where seeds do not pair"
expect_out "no evidence of a difference between rl and random at 7 samples (paired by seed, Wilcoxon signed-rank p = 0.125, A12 = 1.00 large; n = 4 vs 4; with 4 seed pairs p cannot go below 0.125" "paired verdict and its floor"
run "$NASVIEW" compare --db "$cdb" --all --format json
expect_status 0 "compare common json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = {(q["a"], q["b"]): q for q in d["pairs"]}
w = p[("rl", "random")]
assert w["test"] == "wilcoxon" and w["paired"] is True and w["pairs"] == 4
assert w["w_plus"] == 10 and w["w_minus"] == 0 and w["exact"] is True
assert abs(w["p"] - 0.125) < 1e-12 and abs(w["min_p"] - 0.125) < 1e-12
assert p[("rl", "evolution")]["test"] == "mann-whitney"
' || fail "json of the paired test: $out"
run "$NASVIEW" compare --db "$cdb" --all --format csv
printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert all(r[-1] == "mixed" for r in rows[1:]), rows[1]
' || fail "csv: the tests differ between pairs"

finish
