#!/bin/sh
# tui_search.sh - the terminal UI driving real searches: start one from the
# form (the real `nasview search` on a tiny synthetic dataset and a tiny
# proxy), watch the live view fill in, pause and resume it, quit while it
# runs and reopen, browse its samples (sort, filter), open a sample, export
# its cells, stop it, resize at every screen, check the database; then
# 10,000 samples.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/nasview.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
# Whatever happens, no search outlives the test.
trap 'for p in $(sqlite3 "$DB" "SELECT pid FROM searches" 2>/dev/null); do
          kill "$p" 2>/dev/null; done
      tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

tui_start --db "$DB"
tui_wait "Welcome to nasview." "greeting"

# The form starts the search in the background.
tui_keys n
tui_wait "New search" "form"
# A tiny proxy (children of about 0.1 s) and a budget it never reaches:
# the test stops the search itself.  Fields of a random search: strategy,
# budget, seed, dataset, N, F, epochs, batch, train size, validation size,
# threads, workers, name.
tui_keys Down C-u 2 0 0 0 Down Down C-u
tui_keys -l "$DS"
tui_keys Down Down C-u 2 Down Down C-u 1 6 Down C-u 1 2 8 Down C-u 6 4 Down C-u
tui_keys 1 Down C-u 2 Down C-u
tui_keys -l "tui-test"
tui_wait "tui-test_" "the form filled in"
tui_keys Enter
tui_wait "started search tui-test" "started message names the search"
ls "$DB".search-*.log >/dev/null 2>&1 || fail "no search log next to the database"

# The live view opens by itself and fills in.
tui_wait "tui-test  random  sample" "live header"
tui_wait_re "of 2000  workers [0-2]/2  " "sample k of budget, workers busy of 2"
# The rate gives way to the best reward on a narrow screen: a wide one
# shows both.
tui_resize 140 30
tui_wait_re "workers [0-2]/2  [0-9.]+/h  elapsed.*best [0-9.]+ \\(#" "samples per hour measured"
tui_resize 100 30
tui_wait "[running]" "state"
tui_wait_re "ETA [0-9]+(s|m[0-9]+s|h[0-9]+m)  \\[running\\]" "an ETA once a sample is done"
tui_wait "child #" "progress of the child in training"
# Two workers: a progress line for each, both children in training at once.
i=0
while [ "$i" -lt 100 ] && [ "$(tui_screen | grep -c 'child #[0-9]*  epoch')" -lt 2 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ "$i" -lt 100 ] || fail "no two progress lines for two workers: $(tui_screen)"
tui_wait "Reward of every sample" "plot title"
tui_wait "samples" "plot x axis"
tui_wait "Normal cell of sample #" "cell title"
tui_wait "─►" "cell drawn with boxes and arrows"
tui_wait_re "\\((h-1|h\\(i-1\\))\\)" "cell input node"
tui_wait_re "\\(out(put concat)?\\)" "cell output node"
tui_wait_re "(sep|max|avg|c[0-9]|id|sep_conv|max_pool|avg_pool|conv|identity)" "op names in the cell"
tui_wait "Decisions" "decisions"
tui_wait "N b0 in1" "first decision"
tui_keys t
tui_wait "Reduction cell of sample" "t toggles the cell"
tui_keys t
tui_wait "Normal cell of sample" "t toggles back"

# Pause and resume through the search process's signals.
tui_keys p
tui_wait "[paused]" "paused"
tui_wait "press p to resume" "status line says how to resume"
tui_keys p
tui_wait "[running]" "resumed"

# Step back through earlier samples and follow the newest again.
tui_wait_re "sample ([2-9]|[1-9][0-9]+) of 2000" "two samples done"
tui_keys '['
tui_wait "(selected; End follows the newest)" "stepped back"
tui_keys End
tui_wait_not "(selected; End" "following again"

# Resizing the live view, including too small.
for size in "120 40" "80 24" "70 20"; do
    set -- $size
    tui_resize "$1" "$2"
    tui_wait "tui-test  random" "live view at $1x$2"
done
tui_resize 60 15
tui_wait "Terminal too small: 60x15" "too small in the live view"
tui_resize 100 30
tui_wait "Reward of every sample" "live view back"

# Quit while the search runs: nasview says it keeps running.
tui_keys q
tui_wait "id" "back to the searches"
tui_keys q
tui_wait "keeps running in the background" "quit asks, says the search goes on"
tui_keys y
tui_wait "[exit 0]" "quit"
pid=$(sqlite3 "$DB" "SELECT pid FROM searches WHERE name = 'tui-test'")
kill -0 "$pid" 2>/dev/null || fail "the search died with the UI"

# Reopen: the live view picks the search up again.
tui_start --db "$DB"
tui_wait "tui-test" "reopened"
tui_keys Enter
tui_wait "tui-test  random  sample" "live again"
tui_wait "[running]" "still running"

# Samples: sort, filter, open one, export.
tui_keys s
tui_wait "Samples of tui-test" "samples screen"
tui_wait "reward" "columns"
tui_keys s s
tui_wait "reward▼" "sorted by reward, best first"
tui_keys S
tui_wait "reward▲" "reversed"
hash=$(sqlite3 "$DB" "SELECT hash FROM samples WHERE idx = 1")
tui_keys / 
tui_wait "Filter:" "filter prompt"
tui_keys -l "$hash"
tui_keys Enter
tui_wait "filter: $hash (1 of" "filtered to one row"
tui_keys n
tui_keys Enter
tui_wait "Sample #1 of tui-test" "sample detail"
tui_wait "Normal cell" "both cells"
tui_wait "Reduction cell" "both cells"
tui_wait "entropy" "distribution of the selected decision"
tui_wait "Training loss" "training curve"
tui_keys j j
tui_wait_re "normal b0 op1(, values [0-9]+-[0-9]+ of 13)?: entropy" "selected the third decision"
tui_keys e
tui_wait "Export both cells as SVG to:" "export asks for a path"
tui_keys C-u
tui_keys -l "$TMP/cells.svg"
tui_keys Enter
tui_wait "exported both cells as SVG to $TMP/cells.svg" "export says where"
xmllint --noout "$TMP/cells.svg" || fail "the SVG is not well-formed XML"
grep -q "<svg" "$TMP/cells.svg" || fail "no SVG written"
tui_keys q Escape
tui_wait "Samples of tui-test" "back to samples, filter cleared"
tui_keys q
tui_wait "Reward of every sample" "back to the live view"
pid=$(sqlite3 "$DB" "SELECT pid FROM searches WHERE name = 'tui-test'")
kill -0 "$pid" 2>/dev/null || fail "the search ended before the test stopped it"

# Stop the search (asks first); the database says interrupted.
tui_keys x
tui_wait "Stop search tui-test?" "stop asks"
tui_keys y
tui_wait "[interrupted]" "stopped"
tui_keys q q
tui_wait "[exit 0]" "quit after stop"
st=$(sqlite3 "$DB" "SELECT status FROM searches WHERE name = 'tui-test'")
[ "$st" = interrupted ] || fail "search status after stop: $st"
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM samples WHERE status = 'done'")
[ "$n" -ge 3 ] || fail "only $n finished samples in the database"
ns=$(sqlite3 "$DB" "SELECT COUNT(*) FROM samples")
nd=$(sqlite3 "$DB" "SELECT COUNT(*) FROM decisions")
[ "$nd" -eq $((50 * ns)) ] || fail "$nd decisions for $ns samples"
bad=$(sqlite3 "$DB" "SELECT COUNT(*) FROM (SELECT sample_idx FROM decisions
    GROUP BY search_id, sample_idx HAVING COUNT(*) != 50)")
[ "$bad" = 0 ] || fail "$bad samples without exactly 50 decisions"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM samples WHERE status = 'running'")" = 0 ] ||
    fail "a sample left running after the stop"
# The process ends (a zombie whose parent has not reaped it yet counts).
i=0
while [ "$i" -lt 300 ] && kill -0 "$pid" 2>/dev/null &&
      ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
[ "$i" -lt 300 ] || fail "the search process still runs after stop"
# Every field of the form reached the real search as its option.
opts=$(sqlite3 "$DB" "SELECT strategy, budget, seed, dataset, N, F, epochs,
    batch, train_size, val_size, workers FROM searches WHERE name = 'tui-test'")
[ "$opts" = "random|2000|1|$DS|1|2|1|16|128|64|2" ] ||
    fail "the search ran with other options: $opts"

# A search whose process dies without a word (SIGKILL) shows as stale,
# even before its parent reaps it (this shell waits only afterwards).
"$NASVIEW" search --db "$DB" --strategy random --budget 2000 --seed 2 \
    --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
    --name doomed >/dev/null 2>&1 &
dpid=$!
tui_start --db "$DB"
tui_wait "doomed" "second search listed"
tui_keys /
tui_keys -l doomed
tui_keys Enter Enter
tui_wait "doomed  random  sample" "live view of the second search"
tui_wait "[running]" "second search running"
kill -KILL "$dpid"
tui_wait "[stale]" "a killed search is stale"
tui_wait "process is gone (stale)" "status line says why"
tui_wait "child: none in training" "a stale search's child keeps no progress bar"
case "$(tui_screen)" in *"child #"*) fail "stale child still drawn: $(tui_screen)" ;; esac
wait "$dpid" 2>/dev/null
tui_keys q
tui_wait_re "doomed +random .* stale" "the list shows it stale"
tui_keys q
tui_wait "[exit 0]" "quit after stale"

# Read-only: the live view hides pause and stop.
tui_start --db "$DB" --read-only
tui_wait "tui-test" "read-only list"
tui_keys Enter
tui_wait "Reward of every sample" "read-only live view"
case "$(tui_screen)" in *"p pause"*) fail "read-only shows pause" ;; esac
tui_keys p
tui_wait "read-only: this view cannot control" "pause refused"
tui_keys q q
tui_wait "[exit 0]" "quit read-only"

# 10,000 samples: the live view and the table stay usable.  One sample
# comes from a real search; SQL copies it 9,999 times as test data (fast,
# unlike 10,000 trained children).
BIG="$TMP/big.db"
"$NASVIEW" search --db "$BIG" --strategy random --budget 1 --seed 1 \
    --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
    --name big >/dev/null 2>&1 || fail "could not write the first sample"
sqlite3 "$BIG" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
INSERT INTO samples (search_id, idx, genotype, hash, status, reward,
    train_loss, params, mult_adds, seconds, log_prob, entropy, created,
    finished)
SELECT s.search_id, n.i, s.genotype, s.hash, 'done',
    0.5 + (n.i * 7919 % 4000) / 10000.0, s.train_loss, s.params + n.i,
    s.mult_adds, s.seconds, s.log_prob, s.entropy, s.created, s.finished
FROM n, samples s WHERE s.idx = 0;
INSERT INTO decisions SELECT search_id, 9999, step, cell, block, field,
    chosen, chosen_label, probs FROM decisions WHERE sample_idx = 0;
UPDATE searches SET budget = 10000, samples_done = 10000,
    best_reward = (SELECT max(reward) FROM samples),
    best_idx = (SELECT idx FROM samples ORDER BY reward DESC, idx LIMIT 1);" ||
    fail "could not copy the samples"
tui_start --db "$BIG"
tui_wait "10000/10000" "big search listed"
tui_keys Enter
tui_wait "sample 10000 of 10000" "live view of 10,000 samples"
tui_wait "10000" "plot axis to 10000"
tui_keys s
tui_wait "Samples of big (10000)" "all 10,000 rows"
tui_keys s s G
tui_wait "reward▼" "10,000 rows sorted by reward"
tui_keys /
tui_keys -l "zzzz-no-such"
tui_keys Enter
tui_wait "No sample matches the filter" "empty filter result"
tui_keys Escape q q q
tui_wait "[exit 0]" "quit big"

finish
