#!/bin/sh
# cli_experiment.sh - assets/experiment.sh end to end at its smallest size:
# the fidelity panel of its proxy, the searches with workers, the
# comparison and the summary; a second run with the same --out continues
# (keeps what finished); flags are checked.
. "${SRCDIR:-.}/tests/lib.sh"

DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 4 --seed 5 || fail "mkdataset"
# Children of about 0.1 s each (1 thread), trained on few enough images
# that their accuracies differ (the panel's tau is then computable).
PROXY="dataset=$DS,F=2,train=60,val=100,batch=32"
REF="dataset=$DS,F=2,train=100,val=200,batch=32"
EXP="$SRCDIR/assets/experiment.sh"

run "$EXP" --nasview "$NASVIEW" --seeds 1 --budget 2 --workers 2 \
    --panel 3 --proxy "$PROXY" --reference "$REF" --out "$TMP/exp"
expect_status 0 "experiment.sh"
expect_out "fidelity: 3 random architectures" "the proxy is measured first"
expect_out "Comparing 3 searches at a budget of 2 samples each" "experiment table"
expect_out "evolution: population 2, tournament 1" "evolution sized to the budget"
expect_out "proxy rank agreement with the reference: Kendall tau" "tau in the summary"
expect_out "proxy        $PROXY" "protocol: the proxy"
for f in compare.txt compare.json compare.csv compare.svg experiment.db \
    fidelity.txt summary.txt; do
    [ -s "$TMP/exp/$f" ] || fail "experiment.sh did not write $f"
done
grep -q "^Fidelity of the proxy" "$TMP/exp/summary.txt" || fail "summary lacks the fidelity table"
expect_json "$(cat "$TMP/exp/compare.json")" "experiment json"
run xmllint --noout "$TMP/exp/compare.svg"
expect_status 0 "experiment svg well-formed"
# every search trained the proxy, not the defaults
run sqlite3 "$TMP/exp/experiment.db" \
    "SELECT count(*) FROM searches WHERE train_size = 60 AND val_size = 100 AND F = 2"
expect_out "3" "searches at the proxy"

# The same --out again: nothing is trained twice, the report is written.
before=$(sqlite3 "$TMP/exp/experiment.db" "SELECT count(*) FROM samples")
run "$EXP" --nasview "$NASVIEW" --seeds 1 --budget 2 --workers 2 \
    --panel 3 --proxy "$PROXY" --reference "$REF" --out "$TMP/exp"
expect_status 0 "experiment.sh continued"
expect_out "kept: rl-s1 (finished before)" "a finished search is kept"
after=$(sqlite3 "$TMP/exp/experiment.db" "SELECT count(*) FROM samples")
[ "$before" = "$after" ] || fail "samples trained again: $before then $after"

# A different budget on the same --out is refused, naming the search.
run "$EXP" --nasview "$NASVIEW" --seeds 1 --budget 3 --workers 2 \
    --panel 0 --proxy "$PROXY" --out "$TMP/exp"
expect_status 2 "budget mismatch"
expect_err "already holds rl-s1 with a budget of 2, not 3" "budget mismatch named"

run "$EXP" --seeds 0
expect_status 2 "experiment.sh checks its flags"
run "$EXP" --proxy "train"
expect_status 2 "a malformed proxy"
expect_err "--proxy: 'train' is not KEY=VALUE" "proxy message"
run "$EXP" --proxy "width=3"
expect_status 2 "an unknown proxy key"
expect_err "unknown key 'width'" "proxy key message"

finish
