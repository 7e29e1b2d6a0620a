#!/bin/sh
# tui_reward.sh - the live view of a search whose reward is a zero-cost
# score labels it as not an accuracy: the plot's title and the header's
# best say which score it is.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DS="$TMP/ds"
DB="$TMP/r.db"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 400 --test 20 --size 8 \
    --classes 10 --seed 2 || fail "mkdataset"
"$NASVIEW" search --db "$DB" --strategy random --budget 4 --seed 3 \
    --name zc --reward naswot --dataset "$DS" --train-size 300 \
    --val-size 50 --F 2 --batch 16 --workers 1 2>/dev/null ||
    fail "naswot search"
tui_start --db "$DB"
tui_wait "zc" "searches listed"
tui_keys Enter
tui_wait "reward naswot (not an accuracy)" "plot title labels the reward"
tui_wait "best naswot" "header labels the best reward"
tui_keys q q
finish
