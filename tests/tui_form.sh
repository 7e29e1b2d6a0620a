#!/bin/sh
# tui_form.sh - the new-search form: fields of the chosen strategy only
# (threads and workers always; the controller's learning rate for rl;
# population and tournament for evolution), ranges from the settings
# tables, the preset filling the strategy's fields, the default name as
# `nasview search` gives it (STRATEGY-SEED, -2 when taken), the warning of
# an evolution budget within its founders before the start and, from the
# search's log, in the live view; the settings reach the real search.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/nasview.db"
DS="$TMP/ds"
python3 "$SRCDIR/tests/mkdataset.py" "$DS" --train 300 --test 20 --size 8 \
    --classes 4 --seed 2 || fail "mkdataset"
# random-1 is taken: the form's default name is the next free one.
"$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 1 \
    --dataset "$DS" --F 2 --train-size 128 --val-size 64 --batch 16 \
    --workers 1 >/dev/null 2>&1 || fail "first search"
trap 'for p in $(sqlite3 "$DB" "SELECT pid FROM searches" 2>/dev/null); do
          kill "$p" 2>/dev/null; done
      tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

tui_start --db "$DB"
tui_wait "random-1" "list"
tui_keys n
tui_wait "New search" "form"
tui_wait "random-1-2" "default name follows the CLI's, the next free one"
tui_wait "Threads" "threads field"
tui_wait "Workers" "workers field"
tui_wait "1 .. 64" "N's range from the proxy table"
case "$(tui_screen)" in *"Controller lr"*|*Population*)
    fail "random shows another strategy's settings: $(tui_screen)" ;; esac

# rl: the controller's learning rate; the preset fills it.
tui_keys Right
tui_wait "< rl >" "strategy rl"
tui_wait "rl-1 " "name follows the strategy"
tui_wait "Controller lr" "controller learning rate for rl"
tui_wait "0.01 " "the table's default learning rate"
tui_wait "0 < lr <= 1" "its range from the strategy table"
tui_keys Down Right
tui_wait "< paper >" "preset paper"
tui_wait "0.00035" "the paper's learning rate filled in"

# evolution: population and tournament; a budget within the founders
# is warned about before the start.
tui_keys Up Right
tui_wait "< evolution >" "strategy evolution"
tui_wait "evolution-1" "name of an evolution search"
tui_wait "Population" "population field"
tui_wait "Tournament" "tournament field"
tui_wait "100 " "the paper's population (preset still paper)"
case "$(tui_screen)" in *"Controller lr"*)
    fail "evolution shows rl's learning rate: $(tui_screen)" ;; esac
tui_keys Down Left
tui_wait "< default >" "preset default"
# Fields of evolution: strategy, preset, budget, seed, dataset, N, F,
# epochs, batch, train, val, threads, workers, population, tournament, name.
tui_keys Down C-u 3 Down Down C-u
tui_wait "within evolution's 20 random founders" "warning before the start"
tui_keys -l "$DS"
tui_keys Down Down C-u 2 Down Down C-u 1 6 Down C-u 1 2 8 Down C-u 6 4
tui_keys Down C-u 1 Down C-u 1 Down C-u 4 Down C-u 9 9
tui_wait "within evolution's 4 random founders" "warning follows the population"
# A tournament larger than the population is refused by the strategy's own
# check, naming what is wrong.
tui_keys Enter
tui_wait_re "[Tt]ournament.*population" "tournament > population refused"
tui_keys C-u 2 Enter
tui_wait "evolution-1  evolution  sample" "live view of the started search"
tui_wait "warning (from the search's log): a budget of 3 is within" \
    "the search's warning in the live view"
tui_wait "[done]" "the search finishes"
tui_keys q q
tui_wait "[exit 0]" "quit"

row=$(sqlite3 "$DB" "SELECT strategy, budget, F, threads, workers
    FROM searches WHERE name = 'evolution-1'")
[ "$row" = "evolution|3|2|1|1" ] || fail "the search ran with: $row"
run "$NASVIEW" show --db "$DB" evolution-1
expect_out "population" "show lists the population"
printf '%s\n' "$out" | grep -Eq 'population[^0-9]*4' ||
    fail "population 4 did not reach the search: $out"
printf '%s\n' "$out" | grep -Eq 'tournament[^0-9]*2' ||
    fail "tournament 2 did not reach the search: $out"

finish
