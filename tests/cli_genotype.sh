#!/bin/sh
# cli_genotype.sh - `nasview genotype` end to end.
. "${SRCDIR:-.}/tests/lib.sh"

nasnet=$(cat "$SRCDIR/assets/nasnet-a.txt")

run "$NASVIEW" genotype nasnet-a
expect_status 0 "genotype nasnet-a"
expect_out "canonical  $nasnet" "canonical line of SPEC.md"
expect_out "output = concat(b0, b1, b2, b3, b4)" "normal concat"
expect_out "output = concat(b2, b3, b4)" "reduce concat"

run "$NASVIEW" genotype nasnet-a --format json
expect_status 0 "genotype json"
expect_json "$out" "genotype json"
hash=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["hash"]); assert d["canonical"]==sys.argv[1], d["canonical"]' "$nasnet") ||
    fail "json canonical differs"

# the same network written with swapped halves: same canonical text and hash
swapped="normal: 0 1 sep_conv_3x3 sep_conv_5x5 add; 0 0 sep_conv_3x3 sep_conv_5x5 add; 0 1 identity avg_pool_3x3 add; 0 0 avg_pool_3x3 avg_pool_3x3 add; 1 1 identity sep_conv_3x3 add | reduce: 0 1 sep_conv_7x7 sep_conv_5x5 add; 0 1 sep_conv_7x7 max_pool_3x3 add; 0 1 sep_conv_5x5 avg_pool_3x3 add; 2 3 avg_pool_3x3 identity add; 1 2 max_pool_3x3 sep_conv_3x3 add"
run "$NASVIEW" genotype "$swapped" --format json
expect_status 0 "swapped genotype"
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["hash"]==sys.argv[1] and d["canonical"]==sys.argv[2]' "$hash" "$nasnet" ||
    fail "swapped halves give another canonical form or hash: $out"

run "$NASVIEW" genotype "normal: 1 0 identity identity add"
expect_status 2 "malformed genotype"
expect_err "nasview genotype: normal cell: found 1 block" "malformed message"

bad=$(printf '%s' "$nasnet" | sed 's/3 2 identity avg_pool_3x3/3 7 identity avg_pool_3x3/')
run "$NASVIEW" genotype "$bad"
expect_status 2 "out-of-range input"
expect_err "reduce block 3: in2=7 but block 3 can only use states 0..4" "range message"

run "$NASVIEW" genotype
expect_status 2 "missing genotype"
expect_err "missing genotype" "missing genotype"

run "$NASVIEW" genotype nasnet-a --format xml
expect_status 2 "bad format"
expect_err "--format 'xml' is not one of" "bad format"

finish
