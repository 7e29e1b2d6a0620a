#!/bin/sh
# cli_compare_search.sh - `nasview compare` on a database filled by tiny
# real searches (2 seeds of rl, random and evolution on a synthetic
# dataset).
. "${SRCDIR:-.}/tests/lib.sh"

DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 4 --seed 5 || fail "mkdataset"
# Children of about 0.1 s each (1 thread).
SMALL="--dataset $DS --F 2 --train-size 200 --val-size 100 --batch 32"
DB="$TMP/s.db"

run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 9 $SMALL
expect_status 0 "a first search"

for seed in 1 2; do
    for s in rl random evolution; do
        run "$NASVIEW" search --db "$DB" --strategy $s --budget 4 --seed $seed $SMALL
        expect_status 0 "$s search, seed $seed"
    done
done
# the last one was evolution: 4 samples are all random founders
expect_err "a budget of 4 is within evolution's 20 random founders" "evolution warns that nothing evolves"

run "$NASVIEW" compare --db "$DB" --all
expect_status 0 "compare --all"
expect_out "Comparing 7 searches at a budget of 1 samples each" "default budget: the smallest"
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2 evolution-1 evolution-2
expect_status 0 "compare six"
expect_out "Comparing 6 searches at a budget of 4 samples each" "budget"
expect_out "rl vs random" "pair"
# children this small all score the same: the verdict says so instead of
# a floor (p = 1 whatever the number of seeds)
expect_out "n = 2 vs 2; every run scored the same" "n, and why no test can decide"

run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2 --format json
expect_status 0 "compare json"
expect_json "$out" "compare json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["budget"] == 4
assert [s["strategy"] for s in d["strategies"]] == ["rl", "random"]
for s in d["strategies"]:
    assert s["n"] == 2
    for q in s["searches"]:
        assert 0 <= q["best"] <= 1 and q["top25"] <= q["top5"] <= q["best"]
        assert q["auc"] <= q["best"]
    b = s["curves"]["best"]["mean"]
    assert all(x <= y for x, y in zip(b, b[1:])), b
assert d["pairs"][0]["verdict"] == "no evidence of a difference"
' || fail "json content"

run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2 evolution-1 evolution-2 --format csv
expect_status 0 "compare csv"
printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert rows[0][0] == "strategy" and len(rows) == 1 + 3 * 4, len(rows)
assert all(len(r) == len(rows[0]) for r in rows)
' || fail "csv content"

# --- random streams -----------------------------------------------------
# New searches draw independent streams: stored so, and one seed's rl,
# random and evolution searches share no sample (evolution's founders are
# not random search's first samples).
q() { sqlite3 "$DB" "$1"; }
[ "$(q "SELECT group_concat(DISTINCT streams) FROM searches")" = independent ] ||
    fail "new searches are stored with independent streams"
[ "$(q "SELECT count(*) FROM samples a JOIN samples b ON a.idx = b.idx AND a.hash = b.hash
        WHERE a.search_id = (SELECT id FROM searches WHERE name = 'random-1')
          AND b.search_id IN (SELECT id FROM searches WHERE name IN ('rl-1', 'evolution-1'))")" = 0 ] ||
    fail "independent: random-1 shares samples with rl-1 or evolution-1"
run "$NASVIEW" compare --db "$DB" random-1 random-2 evolution-1 evolution-2 --format json
printf '%s' "$out" | python3 -c '
import json, sys
assert json.load(sys.stdin)["pairs"][0]["test"] == "mann-whitney"
' || fail "independent searches: Mann-Whitney: $out"

# --streams common is what every search did before: evolution's founders
# are random search's samples, and with the same split and child seeds the
# same rewards.  Such searches pair by seed (Wilcoxon); all differences are
# zero here, so p = 1.
for seed in 1 2; do
    for s in random evolution; do
        run "$NASVIEW" search --db "$DB" --strategy $s --budget 4 --seed $seed \
            --streams common --name "c-$s-$seed" $SMALL
        expect_status 0 "$s search, seed $seed, common streams"
    done
done
[ "$(q "SELECT streams FROM searches WHERE name = 'c-random-1'")" = common ] ||
    fail "--streams common stored"
for seed in 1 2; do
    a=$(q "SELECT group_concat(hash || ':' || reward) FROM (SELECT * FROM samples
           WHERE search_id = (SELECT id FROM searches WHERE name = 'c-random-$seed') ORDER BY idx)")
    b=$(q "SELECT group_concat(hash || ':' || reward) FROM (SELECT * FROM samples
           WHERE search_id = (SELECT id FROM searches WHERE name = 'c-evolution-$seed') ORDER BY idx)")
    [ -n "$a" ] && [ "$a" = "$b" ] ||
        fail "common, seed $seed: evolution's founders are random's samples ($a / $b)"
done
[ "$(q "SELECT hash FROM samples WHERE idx = 0 AND search_id = (SELECT id FROM searches WHERE name = 'c-random-1')")" != \
  "$(q "SELECT hash FROM samples WHERE idx = 0 AND search_id = (SELECT id FROM searches WHERE name = 'random-1')")" ] ||
    fail "common and independent streams give the same first sample"
run "$NASVIEW" compare --db "$DB" c-random-1 c-random-2 c-evolution-1 c-evolution-2
expect_status 0 "compare common searches"
expect_out "paired by seed, Wilcoxon signed-rank p = 1," "common searches: paired test"
# --- the environment, recorded -------------------------------------------
[ "$(q "SELECT count(*) FROM search_env")" = "$(q "SELECT count(*) FROM searches")" ] ||
    fail "every new search records its environment"
[ "$(q "SELECT count(*) FROM search_env WHERE version = '' OR revision = '' OR
        compiler = '' OR blas NOT LIKE 'OpenBLAS %' OR cores < 1 OR workers < 1
        OR threads < 1")" = 0 ] || fail "environment fields filled"
run "$NASVIEW" show --db "$DB" rl-1
expect_out "built       nasview " "show: version and revision"
expect_out "blas        OpenBLAS " "show: the BLAS library"
expect_out "cores; " "show: cpu and cores"
run "$NASVIEW" show --db "$DB" rl-1 --format json
printf '%s' "$out" | python3 -c '
import json, sys
e = json.load(sys.stdin)["environment"]
assert e["blas"].startswith("OpenBLAS") and e["cores"] >= 1 and len(e["load"]) == 3
' || fail "show json: environment"
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2
case "$out" in *Environment:*) fail "compare: same environment reported as different" ;; esac
sqlite3 "$DB" "UPDATE search_env SET cpu = 'Another CPU', threads = 7
    WHERE search_id = (SELECT id FROM searches WHERE name = 'rl-2')"
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2
expect_status 0 "compare across machines"
expect_out "Environment: the searches ran on different builds or machines" "compare: environment differs"
expect_out "$(printf '    %-24s %s' rl-2 'Another CPU')" "compare: the cpu of each search"
expect_out "  threads:" "compare: threads differ"
case "$out" in *"  compiler:"*) fail "compare: an equal field listed" ;; esac
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 random-2 --format json
expect_json "$out" "compare json with environment notes"
expect_err "Another CPU" "compare json: environment on stderr"

# --- like with like -----------------------------------------------------
run "$NASVIEW" search --db "$DB" --strategy random --budget 4 --seed 3 \
    --name wide $SMALL --F 3 --bn-recalibrate off
expect_status 0 "a search on another proxy"
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 wide
expect_status 2 "unlike searches refused"
expect_err "'rl-1' and 'wide' differ in F (2 vs 3)" "the field and its values named"
expect_err "differ in batch-norm recalibration (on vs off)" "every difference named"
expect_err "--force" "the way out named"
run "$NASVIEW" compare --db "$DB" rl-1 rl-2 random-1 wide --force
expect_status 0 "--force compares them"
expect_err "warning: 'rl-1' and 'wide' differ in F (2 vs 3)" "--force still warns"
expect_out "Comparing 4 searches" "--force: the table"
run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 1 --streams paired $SMALL
expect_status 2 "--streams paired"
expect_err "independent or common" "--streams choices named"

finish
