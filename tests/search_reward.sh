#!/bin/sh
# search_reward.sh - `nasview search --reward`: a zero-cost reward stored
# with the search, each sample's reward equal to what `nasview fidelity
# --seed S` measures for its genotype at the same settings, kept by a
# resume (which goes on exactly as an uninterrupted search), and labelled
# as not an accuracy wherever its numbers are shown.
. "${SRCDIR:-.}/tests/lib.sh"
DS="$TMP/ds"
DB="$TMP/s.db"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"
SMALL="--dataset $DS --train-size 300 --val-size 50 --F 2 --batch 16 --workers 1"

run "$NASVIEW" search --db "$DB" --strategy rl --budget 1 --seed 5 \
    --reward accuracy_of_sorts $SMALL
expect_status 2 "--reward names a known kind"
expect_err "--reward is accuracy, naswot, synflow, params or mult_adds" \
    "unknown --reward"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 8 --seed 5 \
    --name full --reward naswot $SMALL
expect_status 0 "naswot search"
[ "$(sqlite3 "$DB" "SELECT reward_metric FROM searches WHERE name = 'full'")" = naswot ] ||
    fail "reward_metric stored"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM samples s JOIN searches x ON x.id = s.search_id
      WHERE x.name = 'full' AND s.status IN ('done', 'duplicate') AND s.reward > 1")" = 8 ] ||
    fail "8 naswot rewards (log-determinants, not accuracies)"

# the fidelity tool's naswot for the same genotypes, seed and settings
run "$NASVIEW" fidelity --db "$DB" --panel p --seed 5 --from-search full:8 \
    --fidelity "naswot:dataset=$DS,train=300,F=2,batch=16" \
    --fidelity "params:dataset=$DS,F=2" --format json
expect_status 0 "fidelity panel of the search's samples"
printf '%s' "$out" >"$TMP/panel.json"
sqlite3 -json "$DB" "SELECT s.genotype, s.reward FROM samples s JOIN searches x
    ON x.id = s.search_id WHERE x.name = 'full'" >"$TMP/samples.json" ||
    fail "sqlite3 samples"
python3 -c '
import json, sys
panel = json.load(open(sys.argv[1]))
rows = json.load(open(sys.argv[2]))
by_geno = {m["genotype"]: m["scores"]["naswot"] for m in panel["members"]}
assert len(by_geno) >= 2, by_geno
for r in rows:
    assert r["genotype"] in by_geno, r
    assert r["reward"] == by_geno[r["genotype"]], (r, by_geno[r["genotype"]])
' "$TMP/panel.json" "$TMP/samples.json" || fail "rewards equal the fidelity tool's naswot"

# stopped after 4 of 8 samples and resumed: the kind is kept and the
# samples are those of the uninterrupted search
run "$NASVIEW" search --db "$DB" --strategy rl --budget 4 --seed 5 \
    --name part --reward naswot $SMALL
expect_status 0 "part search"
sqlite3 "$DB" "UPDATE searches SET budget = 8, status = 'interrupted'
    WHERE name = 'part'" || fail "sqlite3 stop part"
run "$NASVIEW" search --db "$DB" --resume part --reward accuracy
expect_status 2 "--resume takes no --reward"
run "$NASVIEW" search --db "$DB" --resume part
expect_status 0 "resume part"
[ "$(sqlite3 "$DB" "SELECT reward_metric FROM searches WHERE name = 'part'")" = naswot ] ||
    fail "resume keeps the reward kind"
q="SELECT group_concat(hash || ':' || reward, ' ') FROM (SELECT s.hash,
   s.reward FROM samples s JOIN searches x ON x.id = s.search_id
   WHERE x.name = '%s' ORDER BY s.idx)"
a=$(sqlite3 "$DB" "$(printf "$q" full)")
b=$(sqlite3 "$DB" "$(printf "$q" part)")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "resumed = uninterrupted: $a / $b"

# the other kinds run and store numbers of their own
for kind in synflow params mult_adds; do
    run "$NASVIEW" search --db "$DB" --strategy random --budget 2 --seed 5 \
        --name "k-$kind" --reward "$kind" $SMALL
    expect_status 0 "$kind search"
done
[ "$(sqlite3 "$DB" "SELECT count(*) FROM samples s JOIN searches x ON x.id = s.search_id
      WHERE x.name = 'k-params' AND s.reward = s.params")" = 2 ] ||
    fail "params rewards are parameter counts"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM samples s JOIN searches x ON x.id = s.search_id
      WHERE x.name = 'k-synflow' AND s.reward > 1")" = 2 ] ||
    fail "synflow rewards are log-synflows"

# labelled wherever its numbers appear
LABEL="reward naswot (not an accuracy)"
run "$NASVIEW" ls --db "$DB"
expect_out "* full: $LABEL" "ls: footnote"
expect_out "* k-synflow: reward synflow, natural log (not an accuracy)" "ls: synflow"
run "$NASVIEW" show --db "$DB" full
expect_out "reward      $LABEL" "show: reward line"
expect_out "sample" "show table"
run "$NASVIEW" show --db "$DB" full --format json
printf '%s' "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)["search"]
assert s["reward_metric"] == "naswot", s
assert s["reward_label"] == sys.argv[1], s
' "$LABEL" || fail "show json: reward_metric and its label"
run "$NASVIEW" show --db "$DB" full --format csv
expect_out "idx,status,reward_naswot," "show csv: the reward column says what it is"
run "$NASVIEW" export --db "$DB" full --csv -
expect_out "idx,status,reward_naswot," "export csv"
run "$NASVIEW" export --db "$DB" full --json -
printf '%s' "$out" | python3 -c '
import json, sys
assert json.load(sys.stdin)["search"]["reward_label"] == sys.argv[1]
' "$LABEL" || fail "export json: the label"
run "$NASVIEW" ls --db "$DB" --format csv
printf '%s\n' "$out" | python3 -c '
import csv, sys
m = {r["name"]: r["reward_metric"] for r in csv.DictReader(sys.stdin)}
assert m["full"] == "naswot" and m["k-params"] == "params", m
' || fail "ls csv: reward_metric column"

# on a terminal, the progress lines and the summary say what the number is
if command -v script >/dev/null 2>&1; then
    script -qec "'$NASVIEW' search --db '$DB' --strategy random --budget 2 \
        --seed 6 --name tty --reward naswot --dataset '$DS' --train-size 300 \
        --val-size 50 --F 2 --batch 16 --workers 1" /dev/null >"$TMP/tty.out" 2>&1 ||
        fail "search on a terminal"
    grep -q "done  *reward naswot (not an accuracy) [0-9]" "$TMP/tty.out" ||
        fail "progress line labels the reward: $(cat "$TMP/tty.out")"
    grep -q "best .* (sample [0-9]*; reward naswot (not an accuracy))" "$TMP/tty.out" ||
        fail "summary labels the best: $(cat "$TMP/tty.out")"
fi

# compare refuses rewards of different kinds, and says why
run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 5 \
    --name acc $SMALL
expect_status 0 "an accuracy search"
run "$NASVIEW" compare --db "$DB" full acc
expect_status 2 "compare naswot with accuracy"
expect_err "'full' and 'acc' differ in reward metric (naswot vs accuracy)" "compare: why"
expect_err "compare searches made with one --reward" "compare: what to do"
run "$NASVIEW" compare --db "$DB" full acc --force
expect_status 2 "--force does not compare naswot with accuracy"
expect_err "not even with --force" "compare --force: why"
run "$NASVIEW" compare --db "$DB" k-params k-synflow
expect_status 2 "compare params with synflow"
run "$NASVIEW" compare --db "$DB" full part --format json
expect_status 0 "two naswot searches compare"

run "$NASVIEW" search --db "$DB" --strategy rl --budget 2 --seed 5 \
    --reward naswot --weight-sharing $SMALL
expect_status 2 "a zero-cost reward trains no child: no weight sharing"
finish
