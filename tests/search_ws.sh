#!/bin/sh
# search_ws.sh - `nasview search --weight-sharing` end to end on a tiny
# synthetic dataset: rl and random with shared weights, every row checked
# and marked shared-weight in ls, show and export; the fidelity panel (best
# and random architectures trained stand-alone) and its correlations; the
# same seed gives the same samples, rewards and panel; settings that do
# not fit are refused; SIGINT
# and SIGKILL in the middle, then --resume, give exactly the samples and
# shared weights of an uninterrupted run.
. "${SRCDIR:-.}/tests/lib.sh"
CHECKDB="python3 $SRCDIR/tests/search_check.py"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 600 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
SMALL="--dataset $DS --F 2 --train-size 200 --val-size 100 --batch 32 --threads 1"
DB="$TMP/w.db"

# --- full searches ------------------------------------------------------------
run "$NASVIEW" search --db "$DB" --strategy rl --budget 12 --seed 3 \
    --weight-sharing --ws-steps 5 --ws-samples 4 --ws-panel 2 \
    --set ppo_batch=2 $SMALL
expect_status 0 "rl with weight sharing"
run "$NASVIEW" search --db "$DB" --strategy random --budget 6 --seed 3 \
    --weight-sharing --ws-steps 3 --ws-samples 4 --ws-panel 0 $SMALL
expect_status 0 "random with weight sharing"
$CHECKDB "$DB" consistent rl-ws-3 random-ws-3 || fail "rows consistent"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 12 --seed 3 \
    --weight-sharing --ws-steps 5 --ws-samples 4 --ws-panel 2 \
    --set ppo_batch=2 $SMALL
expect_status 0 "the same again"
$CHECKDB "$DB" same rl-ws-3 rl-ws-3-2 || fail "same seed, same samples"
$CHECKDB "$DB" sameweights rl-ws-3 rl-ws-3-2 || fail "same seed, same weights"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(DISTINCT reward) FROM samples WHERE search_id = ?")" -gt 1 ] ||
    fail "rewards differ between architectures"
# the fidelity panel: 2 best distinct architectures and 2 others, trained
# stand-alone with the seeds their samples would have had; the same again
PANEL="SELECT group_concat(sample_idx || pick || reward || ':' || shared_reward, ' ') FROM (SELECT * FROM panel WHERE search_id = ? ORDER BY sample_idx)"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel WHERE search_id = ? AND pick = 'top'")" = 2 ] &&
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel WHERE search_id = ? AND pick = 'random'")" = 2 ] ||
    fail "panel: 2 top and 2 random"
[ "$($CHECKDB "$DB" field rl-ws-3 "$PANEL")" = "$($CHECKDB "$DB" field rl-ws-3-2 "$PANEL")" ] ||
    fail "panel: same seed, same panel"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel p WHERE search_id = ? AND pick = 'top' AND (SELECT reward FROM samples WHERE search_id = p.search_id AND idx = p.sample_idx) < (SELECT max(s.reward) FROM panel x JOIN samples s ON s.search_id = x.search_id AND s.idx = x.sample_idx WHERE x.search_id = p.search_id AND x.pick = 'random')")" = 0 ] ||
    fail "panel: the top picks are the best by their samples' rewards"
# each member scored again with the final shared weights, on the same
# images for all: a score in [0, 1] for every member, not always the
# sample's own (measured with its round's weights on its own batch)
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel WHERE search_id = ? AND shared_reward BETWEEN 0 AND 1")" = 4 ] ||
    fail "panel: a final shared-weight score for every member"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel p JOIN samples s ON s.search_id = p.search_id AND s.idx = p.sample_idx WHERE p.search_id = ? AND p.shared_reward <> s.reward")" -gt 0 ] ||
    fail "panel: the shared score is the final weights', not the samples' rewards"
[ "$($CHECKDB "$DB" field random-ws-3 "SELECT count(*) FROM panel WHERE search_id = ?")" = 0 ] ||
    fail "--ws-panel 0: no panel"


# --- what readers see -----------------------------------------------------------
run "$NASVIEW" show --db "$DB" rl-ws-3
expect_status 0 "show"
expect_out "reward      shared-weight" "show names the reward kind"
run "$NASVIEW" show --db "$DB" rl-ws-3 --format json
printf '%s' "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)["search"]
assert s["reward_kind"] == "shared" and s["ws_steps"] == 5, s
assert s["settings"]["weight_sharing"] is True, s
' || fail "show json: reward kind and rounds: $out"
printf '%s' "$out" | python3 -c '
import json, sys
f = json.load(sys.stdin)["fidelity"]
assert f["n"] == 4 and len(f["architectures"]) == 4, f
assert -1 <= f["kendall_tau"]["lo"] <= f["kendall_tau"]["hi"] <= 1, f
assert "r" in f["spearman_rho"], f
' || fail "show json: fidelity: $out"
run "$NASVIEW" show --db "$DB" rl-ws-3
expect_out "Kendall tau" "show table: the panel's correlations"
run "$NASVIEW" ls --db "$DB" --format csv
printf '%s\n' "$out" | python3 -c '
import csv, sys
assert {r["reward_kind"] for r in csv.DictReader(sys.stdin)} == {"shared"}
' || fail "ls csv: reward_kind: $out"
run "$NASVIEW" export --db "$DB" rl-ws-3 --json -
expect_status 0 "export"
expect_json "$out" "export json"

# --- refused ----------------------------------------------------------------------
run "$NASVIEW" search --db "$DB" --strategy evolution --budget 4 --seed 1 \
    --weight-sharing $SMALL
expect_status 2 "evolution cannot share weights"
expect_err "rl or random" "evolution cannot share weights"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 4 --seed 1 \
    --ws-steps 3 $SMALL
expect_status 2 "--ws-steps without --weight-sharing"
run "$NASVIEW" search --db "$DB" --strategy rl --budget 4 --seed 1 \
    --weight-sharing --ws-samples 0 $SMALL
expect_status 2 "--ws-samples 0"

# --- interrupted and resumed = uninterrupted ---------------------------------------
# Rounds of 40 steps and 3 samples: most of the time goes to training the
# shared weights, so a pause mostly lands in the middle of it.
WS="--strategy rl --budget 12 --seed 5 --weight-sharing --ws-steps 40 --ws-samples 3 --ws-panel 0 --set ppo_batch=3 $SMALL"
run "$NASVIEW" search --db "$DB" --name ref $WS
expect_status 0 "reference run"
$CHECKDB "$DB" consistent ref || fail "reference rows"

# stop_after NAME PID K SIGNAL: once K samples of NAME are done, pause it
# (SIGUSR1) so the signal lands at a known point, then send SIGNAL.
stop_after() {
    $CHECKDB "$DB" waitdone "$1" "$3" running || { fail "$1 reached $3"; return; }
    kill -USR1 "$2"
    $CHECKDB "$DB" waitdone "$1" "$3" paused || { fail "$1: SIGUSR1 pauses"; return; }
    kill "-$4" "$2"
}
"$NASVIEW" search --db "$DB" --name int $WS 2>"$TMP/int.err" &
pid=$!
stop_after int "$pid" 4 INT
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "SIGINT: exit status $status, expected 130"
[ "$($CHECKDB "$DB" field int 'SELECT status FROM searches WHERE id = ?')" = interrupted ] ||
    fail "SIGINT: search interrupted"
run "$NASVIEW" search --db "$DB" --resume int
expect_status 0 "resume after SIGINT"
$CHECKDB "$DB" same ref int || fail "SIGINT then resume = uninterrupted run"
$CHECKDB "$DB" sameweights ref int || fail "SIGINT then resume: same weights"
$CHECKDB "$DB" consistent int || fail "SIGINT then resume: rows consistent"

"$NASVIEW" search --db "$DB" --name kil $WS 2>/dev/null &
pid=$!
stop_after kil "$pid" 7 KILL
wait "$pid"
status=$?
[ "$status" -eq 137 ] || fail "SIGKILL: exit status $status"
run "$NASVIEW" search --db "$DB" --resume kil
expect_status 0 "resume after SIGKILL"
$CHECKDB "$DB" same ref kil || fail "SIGKILL then resume = uninterrupted run"
$CHECKDB "$DB" sameweights ref kil || fail "SIGKILL then resume: same weights"
$CHECKDB "$DB" consistent kil || fail "SIGKILL then resume: rows consistent"

# --- stopped while the panel trains, resumed: the same panel -----------------
# (3 epochs make each stand-alone child long enough to be caught)
PN="--strategy random --budget 6 --seed 4 --weight-sharing --ws-steps 2 --ws-samples 3 --ws-panel 2 --epochs 3 $SMALL"
run "$NASVIEW" search --db "$DB" --name pref $PN
expect_status 0 "panel reference"
"$NASVIEW" search --db "$DB" --name pint $PN 2>/dev/null &
pid=$!
$CHECKDB "$DB" waitpanel pint 1 running || fail "pint reached the panel"
kill -USR1 "$pid"
$CHECKDB "$DB" waitpanel pint 1 paused || fail "pint: SIGUSR1 pauses the panel"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "SIGINT in the panel: exit status $status"
[ "$($CHECKDB "$DB" field pint "SELECT count(*) FROM panel WHERE search_id = ?")" -lt 4 ] ||
    fail "SIGINT in the panel: stopped before its end"
run "$NASVIEW" search --db "$DB" --resume pint
expect_status 0 "resume in the panel"
$CHECKDB "$DB" same pref pint || fail "panel resume: same samples"
[ "$($CHECKDB "$DB" field pref "$PANEL")" = "$($CHECKDB "$DB" field pint "$PANEL")" ] ||
    fail "panel resume: same panel"
$CHECKDB "$DB" consistent pint || fail "panel resume: rows consistent"

# --- a panel on demand: --resume with --ws-panel --------------------------------
OLD="SELECT group_concat(sample_idx || pick || reward || ':' || shared_reward || ':' || finished, ' ') FROM (SELECT * FROM panel WHERE search_id = ? ORDER BY sample_idx)"
before=$($CHECKDB "$DB" field rl-ws-3 "$OLD")
run "$NASVIEW" search --db "$DB" --resume rl-ws-3 --ws-panel 3
expect_status 0 "a done search resumed for a larger panel"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT status || ' ' || ws_panel FROM searches WHERE id = ?")" = "done 3" ] ||
    fail "panel on demand: done again, the new size stored"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel WHERE search_id = ? AND pick = 'top'")" = 3 ] ||
    fail "panel on demand: 3 top picks"
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM panel WHERE search_id = ?")" -ge 6 ] ||
    fail "panel on demand: at least 3 top and 3 random"
for m in $before; do
    case " $($CHECKDB "$DB" field rl-ws-3 "$OLD") " in *" $m "*) ;;
    *) fail "panel on demand: member $m trained again or changed" ;; esac
done
[ "$($CHECKDB "$DB" field rl-ws-3 "SELECT count(*) FROM samples WHERE search_id = ?")" = 12 ] ||
    fail "panel on demand: no new samples"
run "$NASVIEW" search --db "$DB" --resume random-ws-3 --ws-panel 1
expect_status 0 "a panel for a search that had none"
[ "$($CHECKDB "$DB" field random-ws-3 "SELECT count(*) FROM panel WHERE search_id = ?")" = 2 ] ||
    fail "panel on demand: 1 top and 1 random"
run "$NASVIEW" search --db "$DB" --resume rl-ws-3
expect_status 2 "a done search without --ws-panel"
expect_err "done already" "a done search: nothing to resume"
run "$NASVIEW" search --db "$DB" --resume rl-ws-3 --ws-steps 4
expect_status 2 "--resume takes --ws-panel, no other setting"
run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 3 \
    --name alone --workers 1 $SMALL
expect_status 0 "a stand-alone search"
run "$NASVIEW" search --db "$DB" --resume alone --ws-panel 1
expect_status 2 "--ws-panel on a stand-alone search"
expect_err "stand-alone search" "--ws-panel on a stand-alone search says why"

finish
