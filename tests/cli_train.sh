#!/bin/sh
# cli_train.sh - `nasview train`, `nasview bench` and the sizes printed by
# `nasview genotype`, end to end on real Fashion-MNIST images.
. "${SRCDIR:-.}/tests/lib.sh"

run "$NASVIEW" train --genotype nasnet-a --F 4 --train-size 200 --val-size 100 \
    --batch 32 --seed 5 --test --format json
expect_status 0 "train json"
last=$(printf '%s\n' "$out" | tail -n 1)
expect_json "$last" "train json"
printf '%s' "$last" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("val_acc", "test_acc", "params", "mult_adds", "seconds", "diverged",
          "interrupted", "train_loss", "genotype", "hash"):
    assert k in d, k
assert 0 <= d["val_acc"] <= 1 and 0 <= d["test_acc"] <= 1, d
assert d["diverged"] is False and d["interrupted"] is False, d
assert d["train_size"] == 200 and d["val_size"] == 100 and d["F"] == 4, d
assert d["bn_recalibrate"] is True, d
' || fail "train json fields: $last"
on_acc=$(printf '%s' "$last" | python3 -c 'import json,sys; print(json.load(sys.stdin)["val_acc"])')

run "$NASVIEW" train --genotype nasnet-a --F 4 --train-size 200 --val-size 100 \
    --batch 32 --seed 5 --bn-recalibrate off --format json
expect_status 0 "train without recalibration"
printf '%s\n' "$out" | tail -n 1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["bn_recalibrate"] is False, d
assert d["val_acc"] != float(sys.argv[1]), (d["val_acc"], sys.argv[1])
' "$on_acc" || fail "--bn-recalibrate off: stored false, another score: $out"
run "$NASVIEW" train --genotype nasnet-a --bn-recalibrate yes
expect_status 2 "--bn-recalibrate takes on or off"
expect_err "not on or off" "--bn-recalibrate message"

run "$NASVIEW" train --genotype nasnet-a --F 4 --train-size 200 --val-size 100
expect_status 0 "train table"
expect_out "val_acc" "table has val_acc"
expect_out "200 train, 100 validation" "table names the split"
expect_out "recalibrated before scoring" "table says batch norm is recalibrated"

run "$NASVIEW" train --F 4
expect_status 2 "missing genotype"
expect_err "missing --genotype" "missing genotype message"

run "$NASVIEW" train --genotype nasnet-a --train-size 60000 --val-size 5000
expect_status 2 "split larger than the dataset"

# a batch beyond the subsets is bounded by them: same result, no 4 GB network
run "$NASVIEW" train --genotype nasnet-a --F 4 --train-size 200 --val-size 100 \
    --batch 65536 --seed 5 --format json
expect_status 0 "train with a batch beyond the subset"
huge=$(printf '%s\n' "$out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["val_acc"])')
run "$NASVIEW" train --genotype nasnet-a --F 4 --train-size 200 --val-size 100 \
    --batch 200 --seed 5 --format json
whole=$(printf '%s\n' "$out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["val_acc"])')
[ -n "$huge" ] && [ "$huge" = "$whole" ] ||
    fail "--batch 65536 on 200 images: $huge, --batch 200: $whole"

# a network that cannot fit in memory is refused before it is allocated
run "$NASVIEW" bench --input 3x4096x4096 --seconds 0
expect_status 1 "bench on huge images"
expect_err "MiB for batches of" "bench says what the network needs"
expect_err "more than this machine's" "and what the machine has"

# a FIFO where a dataset file should be is refused, not read forever
FD="$TMP/fifods"
python3 "$SRCDIR/tests/mkdataset.py" "$FD" --train 50 --test 10 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
rm -f "$FD/train-images-idx3-ubyte.gz"
mkfifo "$FD/train-images-idx3-ubyte.gz"
run timeout 120 "$NASVIEW" train --genotype nasnet-a --dataset "$FD" --F 2 \
    --train-size 40 --val-size 10
expect_status 1 "a FIFO as a dataset file"
expect_err "train-images-idx3-ubyte.gz: not a regular file (a FIFO)" \
    "the FIFO named"

run "$NASVIEW" train --genotype nasnet-a --dataset /nonexistent/dir
expect_status 1 "missing dataset directory"
expect_err "/nonexistent/dir" "names the directory"

run "$NASVIEW" bench --F 4 --batch 8 --seconds 0 --format json
expect_status 0 "bench json"
expect_json "$out" "bench json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("train_images_per_s", "train_gflops", "infer_images_per_s",
          "sgemm_gflops", "params", "mult_adds", "layers_ms"):
    assert k in d, k
assert d["train_images_per_s"] > 0 and d["infer_images_per_s"] > 0, d
' || fail "bench json fields: $out"

run "$NASVIEW" bench --F 4 --batch 8 --seconds 0
expect_status 0 "bench table"
expect_out "images/s" "bench table"
expect_out "dwconv" "bench per-kind breakdown"

run "$NASVIEW" genotype nasnet-a --F 16 --N 1 --input 1x28x28 --classes 10 --format json
expect_status 0 "genotype sizes"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["params"] == 211258, d["params"]
assert d["mult_adds"] > 0 and d["size"]["F"] == 16, d
' || fail "genotype params: $out"

run "$NASVIEW" genotype nasnet-a
expect_status 0 "genotype default size"
expect_out "params     66850" "proxy-size parameters"
expect_out "search proxy default" "says which size"

run "$NASVIEW" genotype nasnet-a --input 3x32
expect_status 2 "bad --input"

finish
