#!/bin/sh
# cli_fidelity.sh - `nasview fidelity` end to end on a tiny synthetic
# dataset: a panel scored at two trained proxies and three zero-cost
# scores; the same panel killed with SIGKILL (or stopped with SIGINT)
# mid-run and run again ends with the same report as an uninterrupted
# one; extending a panel keeps what it had; settings that disagree with
# the stored ones are refused.
. "${SRCDIR:-.}/tests/lib.sh"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 1000 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"
# Children of about 0.2 s (reference) and 0.05 s (cheap), one thread.
REF="ref:dataset=$DS,F=2,train=300,val=200,batch=16,threads=1"
CHEAP="small:dataset=$DS,F=2,train=100,val=200,batch=16,threads=1"
PANEL="--random 8 --nasnet-a --fidelity $REF --fidelity $CHEAP
    --fidelity naswot:dataset=$DS,F=2,train=600,batch=16
    --fidelity params:dataset=$DS,F=2 --fidelity mult_adds:dataset=$DS,F=2
    --top-k 3 --bootstrap 200"
# strip - the JSON report without wall times, which differ run to run.
strip() {
    python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["fidelities"]:
    f.pop("seconds_per_child"); f.pop("cost_ratio")
for m in d["members"]:
    m.pop("seconds")
print(json.dumps(d, sort_keys=True))'
}

# --- an uninterrupted panel -------------------------------------------------
run "$NASVIEW" fidelity --db "$TMP/a.db" --panel p $PANEL --format json \
    --svg "$TMP/p.svg"
expect_status 0 "panel"
expect_json "$out" "panel json"
expect_err "[45/45] nasnet-a at mult_adds" "progress on stderr"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["architectures"] == 9 and d["reference"] == "ref", d
f = {x["name"]: x for x in d["fidelities"]}
assert list(f) == ["ref", "small", "naswot", "params", "mult_adds"], list(f)
assert f["ref"]["reference"] and f["ref"]["n"] == 9 and "spearman" not in f["ref"]
for name in ("small", "naswot", "params", "mult_adds"):
    x = f[name]
    assert x["n"] == 9 and x["k"] == 3 and 0 <= x["top_k_overlap"] <= 3, x
    for c in ("spearman", "kendall"):
        r = x[c]
        assert -1 <= r["lo"] <= r["value"] <= r["hi"] <= 1, (name, r)
assert f["params"]["score"] == "params" and f["naswot"]["score"] == "naswot"
m = d["members"]
assert [x["source"] for x in m] == ["random:%d" % i for i in range(8)] + ["nasnet-a"]
for x in m:
    assert 0 <= x["scores"]["ref"] <= 1 and x["scores"]["params"] > 1000, x
' || fail "panel report"
grep -q "<circle" "$TMP/p.svg" && grep -q "</svg>" "$TMP/p.svg" ||
    fail "scatter plot"
[ "$(sqlite3 "$TMP/a.db" 'SELECT count(*) FROM fidelity_results')" = 45 ] ||
    fail "45 results stored"
printf '%s' "$out" | strip >"$TMP/a.json"
run "$NASVIEW" fidelity --db "$TMP/a.db" --panel p --no-train --format csv
expect_status 0 "report only"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 6 ] || fail "csv: header and 5 rows"
expect_out "p,small,val_acc,0,9,9," "csv row"
run "$NASVIEW" fidelity --db "$TMP/a.db" --panel p --no-train --members \
    --reference small
expect_status 0 "table"
expect_out "reference    small (val_acc)" "--reference"
expect_out "nasnet-a" "--members"
run "$NASVIEW" fidelity --db "$TMP/a.db" --panel p --no-train --svg -
expect_status 0 "svg to stdout"
case "$out" in "<?xml"*"</svg>") ;; *) fail "--svg -: only the SVG" ;; esac

# --- killed with SIGKILL mid-run, then run again ----------------------------
"$NASVIEW" fidelity --db "$TMP/b.db" --panel p $PANEL >/dev/null 2>&1 &
pid=$!
# Wait for 12 results however slow the machine (a sanitizer build under
# load), not for a fixed time; the run ending first fails below.
n=0
while kill -0 "$pid" 2>/dev/null; do
    n=$(sqlite3 "$TMP/b.db" 'SELECT count(*) FROM fidelity_results' 2>/dev/null)
    [ "${n:-0}" -ge 12 ] && break
    sleep 0.02
done
kill -KILL "$pid"
wait "$pid"
[ $? -eq 137 ] || fail "SIGKILL: not killed mid-run (it finished first?)"
n=$(sqlite3 "$TMP/b.db" 'SELECT count(*) FROM fidelity_results')
[ "$n" -ge 12 ] && [ "$n" -lt 45 ] || fail "killed after $n of 45 results"
run "$NASVIEW" fidelity --db "$TMP/b.db" --panel p $PANEL --format json
expect_status 0 "run again after SIGKILL"
printf '%s' "$out" | strip >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" ||
    fail "SIGKILL then again = uninterrupted: $(diff "$TMP/a.json" "$TMP/b.json")"
run "$NASVIEW" fidelity --db "$TMP/b.db" --panel p $PANEL --format json
expect_status 0 "a finished panel again"
[ -z "$err" ] || fail "a finished panel computes nothing: $err"

# --- stopped with SIGINT (Ctrl-C): exit 130, then run again ----------------
"$NASVIEW" fidelity --db "$TMP/i.db" --panel p $PANEL >/dev/null \
    2>"$TMP/i.err" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
    n=$(sqlite3 "$TMP/i.db" 'SELECT count(*) FROM fidelity_results' 2>/dev/null)
    [ "${n:-0}" -ge 7 ] && break
    sleep 0.02
done
kill -INT "$pid"
wait "$pid"
[ $? -eq 130 ] || fail "SIGINT: exit status 130 expected"
grep -q "stopped by signal after" "$TMP/i.err" || fail "SIGINT: message"
run "$NASVIEW" fidelity --db "$TMP/i.db" --panel p $PANEL --format json
expect_status 0 "run again after SIGINT"
[ "$(printf '%s' "$out" | strip)" = "$(cat "$TMP/a.json")" ] ||
    fail "SIGINT then again = uninterrupted"

# --- extending a panel ------------------------------------------------------
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --random 3 \
    --fidelity params:dataset=$DS,F=2 --fidelity naswot:dataset=$DS,F=2,train=600,batch=16 \
    --format json
expect_status 0 "small panel"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --random 5 --format json
expect_status 0 "extended to 5"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["architectures"] == 5 and [f["n"] for f in d["fidelities"]] == [5, 5], d
' || fail "extended panel"
run "$NASVIEW" fidelity --db "$TMP/d.db" --panel q --random 5 \
    --fidelity params:dataset=$DS,F=2 --fidelity naswot:dataset=$DS,F=2,train=600,batch=16 \
    --format json
[ "$(printf '%s' "$out" | strip)" = "$(sqlite3 "$TMP/c.db" 'SELECT 1' >/dev/null; "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --no-train --format json | strip)" ] ||
    fail "3 then 5 random = 5 at once"

# --- refusals -----------------------------------------------------------------
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --fidelity params:dataset=$DS,F=4
expect_status 2 "a fidelity redefined"
expect_err "other settings" "a fidelity redefined"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --seed 9
expect_status 2 "--seed of an existing panel"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel new --random 2 --fidelity params
expect_status 2 "a new panel needs two fidelities"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel new --fidelity a --fidelity b
expect_status 2 "a new panel needs architectures"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --fidelity x:epochs=0
expect_status 2 "a setting out of range"
expect_err "epochs is an integer" "a setting out of range"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel q --fidelity x:colour=red
expect_status 2 "an unknown setting"
run "$NASVIEW" fidelity --db "$TMP/c.db" --panel nope --no-train
expect_status 1 "no such panel"
expect_err "no fidelity panel named 'nope'" "no such panel"
finish
