#!/bin/sh
# tui_ws.sh - the live view of a finished weight-sharing search shows its
# fidelity panel's correlations under the header, the same numbers as
# `nasview show`.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DS="$TMP/ds"
DB="$TMP/w.db"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
"$NASVIEW" search --db "$DB" --strategy random --budget 8 --seed 3 \
    --name ws --weight-sharing --ws-steps 3 --ws-samples 4 --ws-panel 2 \
    --dataset "$DS" --F 2 --train-size 200 --val-size 100 --batch 32 \
    --threads 1 2>/dev/null || fail "weight-sharing search"
run "$NASVIEW" show --db "$DB" ws
expect_status 0 "show"
tau=$(printf '%s\n' "$out" | sed -n 's/.*\(Kendall tau [^]]*\]\).*/\1/p')
[ -n "$tau" ] || fail "show prints no Kendall tau: $out"
tui_start --db "$DB"
tui_wait "ws" "searches listed"
tui_keys Enter
tui_wait "fidelity: 4 trained stand-alone, $tau" "the panel's line, as show says it"
tui_keys q q
finish
