#!/bin/sh
# tui_live.sh - the live view of finished searches (real `nasview search`
# runs on a tiny synthetic dataset): the selected sample is marked on the
# reward plot with its value, b jumps to the best sample, a lone sample is
# shown with its value, the marker is a character of its own (NO_COLOR and
# ASCII read the same), pause and stop are not offered on a finished
# search, seconds per child are shown, and the sample screen's loss plot
# counts batches.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/nasview.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
for spec in "4 three" "1 lone"; do
    set -- $spec
    "$NASVIEW" search --db "$DB" --strategy random --budget "$1" --seed 3 \
        --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
        --workers 1 --name "$2" >/dev/null 2>&1 || fail "search $2"
done
q() { sqlite3 "$DB" "$1"; }
val() { # val NAME IDX: the reward as the plot prints it (never empty)
    q "SELECT printf('%.4f', reward) FROM samples JOIN searches ON searches.id = samples.search_id
       WHERE name = '$1' AND idx = $2" | grep . || echo "no-reward-$1-$2"
}
best=$(q "SELECT best_idx FROM searches WHERE name = 'three'")

tui_start --db "$DB"
tui_wait "three" "list"
# The list has progress, elapsed and ETA columns (no ETA once done).
tui_wait_re "done +best +state +elapsed +ETA" "progress, elapsed and ETA columns"
tui_wait_re "three +random +4/4 +100% +[01]\.[0-9]{4} +done +[0-9]+s +- " \
    "a finished search: 100%, its elapsed time, no ETA"
tui_keys /
tui_keys -l three
tui_keys Enter Enter
tui_wait "three  random  sample 4 of 4" "live view of a finished search"
tui_wait "#3 $(val three 3)" "the newest sample marked with its value"
# the seconds per child give way first when the header does not fit
# (the rate and the best reward may fill 100 columns): a wide window
# shows them
tui_resize 140 30
tui_wait "s/child" "seconds per child"
tui_resize 100 30
tui_wait "dist./row max" "the distributions say they are scaled to their row"
case "$(tui_screen)" in *"p pause"*|*"x stop"*)
    fail "pause/stop offered on a finished search: $(tui_screen)" ;; esac
tui_wait "b best" "hint offers the best sample"
# A message covers the hint bar only for a while: the hint comes back
# without a key.
tui_keys p
tui_wait "not running in a process on this machine" "p refused on a finished search"
tui_wait_not "not running in a process" "the message times out"
tui_wait "b best" "the hint bar is back"
tui_keys '['
tui_wait "#2 $(val three 2)" "[ moves the mark to the previous sample"
tui_keys b
tui_wait "#$best $(val three "$best")" "b jumps to the best sample"
tui_wait "sample #$best " "the status line shows the best sample"
tui_wait "◆" "the marker is a character of its own"
# The sample screen's loss plot is in batches, not "progress points".
tui_keys Enter
tui_wait "Training loss" "sample screen"
tui_wait "batches trained" "loss plot x axis in batches"
tui_keys q q
tui_wait "three" "back to the list"
tui_keys q
tui_wait "[exit 0]" "quit"

# A single sample is shown with its value, also with NO_COLOR in ASCII.
TUI_ENV="NO_COLOR=1 LANG=C LC_ALL=C" tui_start --db "$DB"
tui_wait "lone" "list (ASCII)"
tui_keys /
tui_keys -l lone
tui_keys Enter Enter
tui_wait "lone  random  sample 1 of 1" "live view of one sample"
tui_wait "#0 $(val lone 0)" "a lone sample's value on the plot"
tui_screen | grep -q "|.*O" || fail "no ASCII marker on the plot: $(tui_screen)"
tui_keys q q
tui_wait "[exit 0]" "quit ASCII"

# The list filters as the user types; Esc clears the filter.
tui_start --db "$DB"
tui_wait "three" "list again"
tui_keys /
tui_keys -l lon
tui_wait "Filter: lon_" "still typing"
tui_wait "filter: lon (1 of 2)" "filtered before Enter"
case "$(tui_screen)" in *three*) fail "typing did not filter: $(tui_screen)" ;; esac
tui_keys Escape
tui_wait "three" "Esc clears the filter"
tui_wait_not "filter: lon" "no filter left"
# The samples' genotype column scrolls sideways.
tui_keys /
tui_keys -l three
tui_keys Enter Enter
tui_wait "three  random" "live view"
tui_keys s
tui_wait "Samples of three" "samples"
tail=$(q "SELECT substr(genotype, length(genotype) - 11) FROM samples
          WHERE idx = 0 AND search_id = (SELECT id FROM searches
                                         WHERE name = 'three')")
case "$(tui_screen)" in *"$tail"*) fail "genotype end shown unscrolled" ;; esac
tui_keys l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l
tui_wait "genotype (from character" "the title says the column is scrolled"
tui_wait "$tail" "the end of the genotype scrolled into view"
tui_keys 0
tui_wait_not "(from character" "0 goes back to the start"
tui_keys q q q
tui_wait "[exit 0]" "quit"

# A running sample's parameters and mult-adds are known before it trains:
# the database has them with the running row, the live view shows them.
"$NASVIEW" search --db "$DB" --strategy random --budget 2000 --seed 4 \
    --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
    --workers 1 --name running >/dev/null 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ "$i" -lt 300 ] && [ "$(q "SELECT count(*) FROM samples WHERE
        status = 'running' AND params > 0 AND mult_adds > 0")" != 1 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ "$i" -lt 300 ] || fail "no running sample with its params and mult-adds"
tui_start --db "$DB"
tui_wait "running" "list with the running search"
tui_keys /
tui_keys -l running
tui_keys Enter Enter
tui_wait "running  random  sample" "live view of the running search"
tui_wait_re "running  reward -  params [0-9]+  mult-adds [0-9]+" \
    "the running sample's parameters and mult-adds"
tui_keys q q
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null

finish
