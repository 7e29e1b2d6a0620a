#!/bin/sh
# trust_show.sh - warnings where numbers mean little (compare/trust.h) in
# `nasview show` and the live view's header: a search whose first five
# rewards sit at chance, and a zero-cost search whose score a stored
# fidelity panel measured ranking against the default proxy with a tau
# below 0.3.  A search with neither says nothing.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"
DS="$TMP/ds"
DB="$TMP/t.db"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"

# --- chance level: an accuracy search's first rewards at 1/10 -------------
"$BUILDDIR/tests/store_fill" "$DB" alpha 8 3 >/dev/null || fail "store_fill"
"$BUILDDIR/tests/store_fill" "$DB" beta 8 3 >/dev/null || fail "store_fill beta"
run "$NASVIEW" show --db "$DB" alpha
expect_status 0 "show alpha"
case "$out" in *WARNING*) fail "no warning before: $out" ;; esac
sqlite3 "$DB" "UPDATE samples SET reward = 0.1 + 0.01 * (idx % 3), status = 'done'
    WHERE idx < 5 AND search_id = (SELECT id FROM searches WHERE name = 'alpha')" ||
    fail "sqlite3 chance rewards"
run "$NASVIEW" show --db "$DB" alpha
expect_out "WARNING     first 5 rewards at chance (1/10)" "show: chance level"
run "$NASVIEW" show --db "$DB" alpha --format json
printf '%s' "$out" | python3 -c '
import json, sys
assert "at chance" in json.load(sys.stdin)["warning"]
' || fail "show json: the warning"
run "$NASVIEW" show --db "$DB" beta --format json
printf '%s' "$out" | python3 -c '
import json, sys
assert json.load(sys.stdin)["warning"] is None
' || fail "show json: no warning for beta"

# --- a weak proxy: naswot against the default proxy in a panel -----------
run "$NASVIEW" search --db "$DB" --strategy random --budget 3 --seed 4 \
    --name zc --reward naswot --dataset "$DS" --train-size 300 --val-size 50 \
    --F 2 --batch 16 --workers 1
expect_status 0 "naswot search"
REF="dataset=$DS,train=10000,val=5000,epochs=1,F=8,N=1,batch=64,lr=0.05,recal=on,threads=2"
ZC="dataset=$DS,train=300,F=2,N=1,batch=16"
{
    echo "INSERT INTO fidelity_panels VALUES (1, 'tp', 1, 1, 1, 'test');"
    echo "INSERT INTO fidelity_levels VALUES (1, 0, 'full', 'val_acc', '$REF');"
    echo "INSERT INTO fidelity_levels VALUES (1, 1, 'naswot', 'naswot', '$ZC');"
    for m in 0 1 2 3 4 5; do
        echo "INSERT INTO fidelity_members VALUES (1, $m, 'random:$m', 'g$m', 'h$m');"
        echo "INSERT INTO fidelity_results VALUES (1, $m, 0, 'done', 0.$((m + 1)), 1, 0, 0, '', 1);"
        echo "INSERT INTO fidelity_results VALUES (1, $m, 1, 'done', $((100 - m)), 1, 0, 0, '', 1);"
    done
} | sqlite3 "$DB" || fail "sqlite3 panel"
run "$NASVIEW" show --db "$DB" zc
expect_out "WARNING     proxy tau -1.00 < 0.3 vs the default (panel tp)" \
    "show: weak proxy"
run "$NASVIEW" show --db "$DB" beta
case "$out" in *WARNING*) fail "beta has nothing to warn of: $out" ;; esac

# --- the live view's header says so too -----------------------------------
tui_start --db "$DB"
# the newest search is listed first
tui_wait "zc" "searches listed"
tui_keys Enter
tui_wait_re "^zc  random  sample" "live view of zc"
tui_wait "! proxy tau -1.00 < 0.3 vs the default (panel tp)" "live header: weak proxy"
tui_keys q
tui_keys End Enter
tui_wait_re "^alpha  random  sample" "live view of alpha"
tui_wait "! first 5 rewards at chance (1/10)" "live header: chance level"
tui_keys q q
finish
