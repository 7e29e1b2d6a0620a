#!/bin/sh
# cli_basics.sh - the nasview command: help, version, exit statuses, and
# every subcommand's --help and usage errors.
. "${SRCDIR:-.}/tests/lib.sh"

run "$NASVIEW" --help
expect_status 0 "--help"
expect_out "Usage: nasview" "--help"
for c in search ls show export genotype train bench compare rm rename; do
    expect_out "  $c " "--help lists $c"
done

run "$NASVIEW" --version
expect_status 0 "--version"
expect_out "nasview 0." "--version"

run "$NASVIEW" frobnicate
expect_status 2 "unknown command"
expect_err "'frobnicate' is not a command" "unknown command"
expect_err "Try 'nasview --help'" "unknown command hint"

for c in search ls show export genotype train bench compare rm rename; do
    run "$NASVIEW" "$c" --help
    expect_status 0 "$c --help"
    expect_out "Usage: nasview $c" "$c --help"
    run "$NASVIEW" "$c" --no-such-flag
    expect_status 2 "$c unknown option"
    expect_err "unknown option '--no-such-flag'" "$c unknown option"
    expect_err "Try 'nasview $c --help'" "$c hint"
done

run "$NASVIEW" genotype --format
expect_status 2 "option without value"
expect_err "needs a value" "option without value"

# output that cannot be written is an error, not a silent success
"$BUILDDIR/tests/store_fill" "$TMP/full.db" alpha 1 1 >/dev/null ||
    fail "store_fill full.db"
if [ -c /dev/full ]; then
    for args in "--help" "--version" "genotype nasnet-a" "genotype nasnet-a --format json" \
                "ls --db $TMP/full.db"; do
        # shellcheck disable=SC2086
        "$NASVIEW" $args > /dev/full 2>"$TMP/err"
        status=$?
        err=$(cat "$TMP/err")
        expect_status 1 "$args > /dev/full"
        expect_err "cannot write standard output" "$args > /dev/full"
    done
fi
# --- messages that say what is wrong ----------------------------------------
M="$TMP/msg.db"
S="--db $M --strategy random --seed 1"
run "$NASVIEW" search $S --budget 9223372036854775808
expect_status 2 "a budget beyond a long"
expect_err "is out of range: from 1 to 1000000" "huge budget: the range"
for v in " 5" "5 "; do
    run "$NASVIEW" search $S --budget "$v"
    expect_status 2 "budget '$v'"
    expect_err "--budget '$v' is not a whole number" "budget '$v' refused alike"
done
run "$NASVIEW" search $S --budget 1 --lr 1e-400
expect_status 2 "--lr 1e-400"
expect_err "--lr 1e-400 is out of range" "tiny lr: out of range, not 'not a number'"
run "$NASVIEW" search $S --budget 1 --seed 99999999999999999999999
expect_status 2 "a huge seed"
expect_err "too large: at most 18446744073709551615" "huge seed"
run "$NASVIEW" train --genotype nasnet-a --dataset cifar10
expect_status 2 "--dataset cifar10 without a directory"
expect_err "--dataset cifar10:DIR" "cifar10: the expected form"
run "$NASVIEW" export x --csv --db "$M"
expect_status 2 "export --csv --db"
expect_err "--csv needs a file name, not the option '--db'" "--csv --db"
[ ! -e ./--db ] || fail "export wrote a file named --db"
run "$NASVIEW" search --db "$M" --strategy rl --seed 1 --budget 1 \
    --set population=5 --F 2 --train-size 64 --val-size 32
expect_status 0 "rl search given evolution's population"
expect_err "population is a setting of evolution, not of rl search; ignored" \
    "another strategy's setting: a warning"
case "$err" in *tournament*) fail "rl told about tournaments: $err" ;; esac
# a typo gets the nearest command
run "$NASVIEW" serch
expect_status 2 "a misspelt command"
expect_err "'serch' is not a command; did you mean 'search'?" "nearest command"
run "$NASVIEW" zzzz
expect_err "'zzzz' is not a command" "no near command"
case "$err" in *"did you mean"*) fail "zzzz: a far-fetched suggestion: $err" ;; esac
run "$NASVIEW" show alpha 99 --db "$TMP/full.db"
expect_status 1 "show a sample that is not there"
expect_err "has no sample 99 (its samples are 0 to 0)" "which samples exist"
finish
