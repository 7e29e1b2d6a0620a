#!/bin/sh
# cli_ranges.sh - the proxy settings take one range everywhere
# (src/train/proxy.c): search, train, bench and genotype refuse the same
# values with the same bounds, and fidelity specs name the same bounds.
. "${SRCDIR:-.}/tests/lib.sh"

for cmd in "search --strategy random --budget 1 --seed 1" \
    "train --genotype nasnet-a" "bench" "genotype nasnet-a"; do
    name=${cmd%% *}
    run "$NASVIEW" $cmd --F 1025
    expect_status 2 "$name --F 1025"
    expect_err "--F 1025 is out of range: from 1 to 1024" "$name --F bound"
    run "$NASVIEW" $cmd --N 65
    expect_status 2 "$name --N 65"
    expect_err "--N 65 is out of range: from 1 to 64" "$name --N bound"
done
for cmd in "search --strategy random --budget 1 --seed 1" \
    "train --genotype nasnet-a" "bench"; do
    name=${cmd%% *}
    run "$NASVIEW" $cmd --batch 1
    expect_status 2 "$name --batch 1"
    expect_err "--batch 1 is out of range: from 2 to 65536" "$name --batch bound"
done
for cmd in "search --strategy random --budget 1 --seed 1" \
    "train --genotype nasnet-a"; do
    name=${cmd%% *}
    run "$NASVIEW" $cmd --epochs 10001
    expect_status 2 "$name --epochs 10001"
    expect_err "--epochs 10001 is out of range: from 1 to 10000" "$name --epochs bound"
    run "$NASVIEW" $cmd --lr 11
    expect_status 2 "$name --lr 11"
    expect_err "--lr 11 is out of range" "$name --lr bound"
    run "$NASVIEW" $cmd --train-size 1
    expect_status 2 "$name --train-size 1"
    expect_err "--train-size 1 is out of range: from 2 to 100000000" "$name --train-size bound"
done

run "$NASVIEW" fidelity --db "$TMP/f.db" --panel p --random 1 --fidelity a:F=1025
expect_status 2 "fidelity F=1025"
expect_err "F is an integer in [1, 1024], not '1025'" "fidelity F bound"
run "$NASVIEW" fidelity --db "$TMP/f.db" --panel p --random 1 --fidelity a:train=1
expect_status 2 "fidelity train=1"
expect_err "train is an integer in [2, 100000000], not '1'" "fidelity train bound"

finish
