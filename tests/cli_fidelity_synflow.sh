#!/bin/sh
# cli_fidelity_synflow.sh - synflow as a fidelity of `nasview fidelity`:
# a panel scored at params and synflow stores a finite log-synflow per
# architecture, deterministic for the panel's seed, and reports its
# correlation against params.
. "${SRCDIR:-.}/tests/lib.sh"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 200 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"
PANEL="--random 5 --nasnet-a --fidelity params:dataset=$DS,F=2
    --fidelity synflow:dataset=$DS,F=2 --top-k 2 --bootstrap 50"
run "$NASVIEW" fidelity --db "$TMP/a.db" --panel p $PANEL --format json
expect_status 0 "panel"
expect_json "$out" "panel json"
printf '%s' "$out" | python3 -c '
import json, math, sys
d = json.load(sys.stdin)
f = {x["name"]: x for x in d["fidelities"]}
assert f["synflow"]["score"] == "synflow", f
assert -1 <= f["synflow"]["kendall"]["value"] <= 1, f
for m in d["members"]:
    s = m["scores"]["synflow"]
    assert math.isfinite(s) and s > 0, m
' || fail "synflow report"
[ "$(sqlite3 "$TMP/a.db" "SELECT count(*) FROM fidelity_results r JOIN
      fidelity_levels l ON l.panel_id = r.panel_id AND l.idx = r.level_idx
      WHERE l.score = 'synflow' AND r.status = 'done'")" = 6 ] ||
    fail "6 synflow results stored"
# the same panel in another file: the same scores
run "$NASVIEW" fidelity --db "$TMP/b.db" --panel p $PANEL --format json
expect_status 0 "panel again"
a=$(sqlite3 "$TMP/a.db" "SELECT group_concat(score) FROM (SELECT score
    FROM fidelity_results WHERE level_idx = 1 ORDER BY member_idx)")
b=$(sqlite3 "$TMP/b.db" "SELECT group_concat(score) FROM (SELECT score
    FROM fidelity_results WHERE level_idx = 1 ORDER BY member_idx)")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "deterministic: $a / $b"
finish
