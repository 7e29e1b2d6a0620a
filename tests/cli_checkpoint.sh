#!/bin/sh
# cli_checkpoint.sh - `nasview train --checkpoint/--resume/--save` and
# `nasview eval` on a tiny synthetic dataset: a run killed with SIGKILL in
# its second epoch and resumed ends with weights bit-identical to a run
# never stopped; damaged, truncated and foreign files are refused with a
# message that says so; eval prints per-class accuracy and a confusion
# matrix.
. "${SRCDIR:-.}/tests/lib.sh"

DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 900 --test 60 --size 12 \
    --classes 4 --seed 7 || fail "mkdataset"
# every regulariser on, so their random streams must resume exactly too
A="train --genotype nasnet-a --F 4 --dataset $DS --train-size 800 --val-size 60 --batch 16 --seed 3 --epochs 4 --drop-path 0.3 --cutout 4 --crop-flip on --clip 5 --label-smoothing 0.1"

run "$NASVIEW" $A --save "$TMP/full.w"
expect_status 0 "uninterrupted run"
expect_out "epoch 2/4" "a line per epoch"
[ -s "$TMP/full.w" ] || fail "--save wrote no file"

# scoring every epoch does not change training
run "$NASVIEW" $A --epoch-scores off --save "$TMP/quiet.w"
expect_status 0 "--epoch-scores off"
case "$out" in *"epoch 2/4"*) fail "--epoch-scores off printed epoch lines" ;; esac
cmp "$TMP/full.w" "$TMP/quiet.w" >/dev/null ||
    fail "per-epoch scores changed the final weights"

# regularisers change training; drop-path 0 is no drop path
run "$NASVIEW" $A --drop-path 0 --cutout 0 --crop-flip off --clip 0 \
    --label-smoothing 0 --save "$TMP/plain.w"
expect_status 0 "regularisers off"
cmp "$TMP/full.w" "$TMP/plain.w" >/dev/null 2>&1 &&
    fail "regularisers changed nothing"
run "$NASVIEW" $A --drop-path 0 --cutout 0 --crop-flip off --clip 0 \
    --label-smoothing 0 --save "$TMP/plain2.w" --format json
expect_out '"drop_path":0,"cutout":0,"crop_flip":false' "settings in json"
cmp "$TMP/plain.w" "$TMP/plain2.w" >/dev/null || fail "same run, other weights"

# kill -9 once the first checkpoint exists: in the second epoch
"$NASVIEW" $A --checkpoint "$TMP/run.ck" --save "$TMP/res.w" \
    >"$TMP/killed.out" 2>&1 &
pid=$!
i=0
while [ ! -f "$TMP/run.ck" ] && [ $i -lt 600 ]; do
    sleep 0.05
    i=$((i + 1))
done
sleep 0.1
kill -9 $pid 2>/dev/null
wait $pid
killed=$?
[ "$killed" -eq 137 ] || fail "the run was not killed in time (status $killed)"
[ -f "$TMP/res.w" ] && fail "the killed run wrote its final weights"

run "$NASVIEW" $A --checkpoint "$TMP/run.ck" --resume "$TMP/run.ck" \
    --save "$TMP/res.w"
expect_status 0 "resume"
cmp "$TMP/full.w" "$TMP/res.w" >/dev/null ||
    fail "resumed weights differ from the uninterrupted run's"

# a finished checkpoint resumes to the same final weights at once
run "$NASVIEW" $A --resume "$TMP/run.ck" --save "$TMP/again.w"
expect_status 0 "resume a finished run"
cmp "$TMP/full.w" "$TMP/again.w" >/dev/null || fail "finished checkpoint"

run "$NASVIEW" $A --epochs 5 --resume "$TMP/run.ck"
expect_status 2 "resume with other settings"
expect_err "its --epochs differs" "settings mismatch message"
run "$NASVIEW" $A --cutout 3 --resume "$TMP/run.ck"
expect_status 2 "resume with another regulariser"
expect_err "its regularisers differ" "regulariser mismatch message"
run "$NASVIEW" $A --resume "$TMP/full.w"
expect_status 2 "resume from weights only"
expect_err "not a checkpoint" "weights-only message"

# damaged, truncated, foreign, empty, a directory
head -c 300 "$TMP/full.w" >"$TMP/short.w"
python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0x40
open(sys.argv[2], "wb").write(b)
b = bytearray(open(sys.argv[1], "rb").read())
b[8] = 9
open(sys.argv[3], "wb").write(b)
' "$TMP/full.w" "$TMP/flip.w" "$TMP/version.w"
: >"$TMP/empty.w"
for f in short flip; do
    run "$NASVIEW" eval --weights "$TMP/$f.w" --dataset "$DS"
    expect_status 1 "eval $f"
    expect_err "damaged or truncated" "eval $f message"
    run "$NASVIEW" $A --resume "$TMP/$f.w"
    expect_status 1 "resume $f"
    expect_err "damaged or truncated" "resume $f message"
done
run "$NASVIEW" eval --weights "$TMP/version.w" --dataset "$DS"
expect_status 1 "eval another version"
expect_err "format version 9" "version message"
for f in "$TMP/empty.w" "$SRCDIR/tests/mkdataset.py"; do
    run "$NASVIEW" eval --weights "$f" --dataset "$DS"
    expect_status 1 "eval foreign $f"
    expect_err "wrong magic" "foreign message"
done
run "$NASVIEW" eval --weights "$TMP" --dataset "$DS"
expect_status 1 "eval a directory"
expect_err "not a regular file" "directory message"
run "$NASVIEW" eval --weights "$TMP/none.w" --dataset "$DS"
expect_status 1 "eval a missing file"
expect_err "cannot open" "missing file message"

run "$NASVIEW" eval --weights "$TMP/full.w" --dataset "$DS"
expect_status 0 "eval"
expect_out "confusion matrix" "eval prints the confusion matrix"
expect_out "class  images  correct  accuracy" "eval prints per-class accuracy"
run "$NASVIEW" eval --weights "$TMP/full.w" --dataset "$DS" --format json
expect_status 0 "eval json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["images"] == 60 and d["classes"] == 4, d
assert sum(map(sum, d["confusion"])) == 60, d
assert len(d["class_accuracy"]) == 4, d
assert abs(d["accuracy"] - sum(d["confusion"][i][i] for i in range(4)) / 60) < 1e-6, d
' || fail "eval json: $out"
# the test accuracy train printed is what eval finds
run "$NASVIEW" $A --resume "$TMP/run.ck" --test --format json
t=$(printf '%s\n' "$out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["test_acc"])')
run "$NASVIEW" eval --weights "$TMP/full.w" --dataset "$DS" --format json
e=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])')
[ "$t" = "$e" ] || fail "train --test $t, eval $e"

# eval refuses a dataset of another shape
python3 "$SRCDIR/tests/mkdataset.py" "$TMP/other" --train 20 --test 10 \
    --size 8 --classes 4 --seed 1 || fail "mkdataset"
run "$NASVIEW" eval --weights "$TMP/full.w" --dataset "$TMP/other"
expect_status 2 "eval another shape"
expect_err "the weights are for 1x12x12" "shape message"

# --train-size all: every image, no validation subset
run "$NASVIEW" train --genotype nasnet-a --F 4 --dataset "$DS" --train-size all \
    --batch 64 --test --format json
expect_status 0 "--train-size all"
printf '%s\n' "$out" | tail -n 1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["train_size"] == 900 and d["val_size"] == 0, d
assert d["val_acc"] is None and d["test_acc"] is not None, d
' || fail "--train-size all: $out"
run "$NASVIEW" train --genotype nasnet-a --dataset "$DS" --train-size all \
    --val-size 10
expect_status 2 "--train-size all with --val-size"
expect_err "leaves no image" "--train-size all message"

# --from SEARCH[:SAMPLE]: the best (or named) sample's cell, stored with
# the sample and shown by nasview show
DB="$TMP/s.db"
run "$NASVIEW" search --db "$DB" --name tiny --strategy random --budget 2 \
    --seed 9 --dataset "$DS" --F 2 --train-size 200 --val-size 60 --batch 32
expect_status 0 "a search to train from"
best=$(sqlite3 "$DB" "SELECT idx FROM samples ORDER BY reward DESC, idx LIMIT 1")
run "$NASVIEW" train --from tiny --db "$DB" --F 3 --train-size 200 \
    --val-size 60 --epochs 2 --batch 32 --test --save "$TMP/from.w"
expect_status 0 "train --from the best sample"
expect_out "stored       final run 1 of search 1 sample $best" "run stored"
run "$NASVIEW" train --from tiny:0 --db "$DB" --F 3 --train-size 200 \
    --val-size 60 --epochs 1 --batch 32
expect_status 0 "train --from a named sample"
run "$NASVIEW" train --from tiny:7 --db "$DB" --F 3
expect_status 1 "train --from a sample that does not exist"
run "$NASVIEW" train --from nosuch --db "$DB"
expect_status 1 "train --from a search that does not exist"
run "$NASVIEW" train --from tiny --genotype nasnet-a --db "$DB"
expect_status 2 "--from and --genotype"
run "$NASVIEW" show --db "$DB" tiny "$best"
expect_status 0 "show the sample"
expect_out "final run 1  done" "show lists the final run"
expect_out "epoch 2  train_loss" "show has the run's curve"
run "$NASVIEW" show --db "$DB" tiny "$best" --format json
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["final_runs"]
assert len(r) >= 1 and r[0]["F"] == 3 and r[0]["epochs_done"] == 2, r
assert r[0]["test_acc"] is not None and len(r[0]["curve"]) == 2, r
assert r[0]["weights"].endswith("from.w"), r
' || fail "show json final_runs: $out"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM final_run_epochs")" = 3 ] ||
    fail "final_run_epochs rows"

# The auxiliary head: it changes training, not the architecture's size; a
# weights file with it scores in eval as train scored it; a checkpoint
# written without it does not resume with it.
P="train --genotype nasnet-a --F 4 --dataset $DS --train-size 800 --val-size 60 --batch 16 --seed 3 --epochs 1 --test --format json"
run "$NASVIEW" $P --save "$TMP/noaux.w"
expect_status 0 "without the auxiliary head"
plain_params=$(printf '%s\n' "$out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["params"])')
run "$NASVIEW" $P --aux-weight 0.4 --save "$TMP/aux.w"
expect_status 0 "with the auxiliary head"
expect_out '"aux_weight":0.4' "aux weight in the settings"
printf '%s\n' "$out" | tail -n 1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["params"] == int(sys.argv[1]), (d["params"], sys.argv[1])
' "$plain_params" || fail "the auxiliary head counted in params: $out"
t=$(printf '%s\n' "$out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["test_acc"])')
cmp "$TMP/noaux.w" "$TMP/aux.w" >/dev/null 2>&1 && fail "the auxiliary head changed nothing"
run "$NASVIEW" eval --weights "$TMP/aux.w" --dataset "$DS" --format json
expect_status 0 "eval weights with the auxiliary head"
e=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])')
[ "$t" = "$e" ] || fail "auxiliary head: train --test $t, eval $e"
run "$NASVIEW" $A --aux-weight 0.4 --resume "$TMP/run.ck"
expect_status 2 "resume adding the auxiliary head"
expect_err "its network size differs" "auxiliary head mismatch message"
run "$NASVIEW" $P --aux-weight -1
expect_status 2 "a negative auxiliary weight"

finish
