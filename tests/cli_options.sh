#!/bin/sh
# cli_options.sh - every subcommand reads its options through the one
# parser (src/cli/cli_args.c), so they all behave alike: -h is --help, a
# missing value and an unknown option (long or short) are usage errors in
# the same words, an unambiguous prefix of an option is that option, an
# ambiguous one is refused, --opt=value works, and "--" ends the options.
. "${SRCDIR:-.}/tests/lib.sh"

# each command with an option that takes a value
for pair in search:db ls:db show:db export:db genotype:format train:F \
    eval:weights bench:F compare:db rm:db rename:db fidelity:panel; do
    c=${pair%%:*}
    o=${pair#*:}
    run "$NASVIEW" "$c" -h
    expect_status 0 "$c -h"
    expect_out "Usage: nasview $c" "$c -h"
    [ -z "$err" ] || fail "$c -h wrote on stderr: $err"
    run "$NASVIEW" "$c" --help
    expect_status 0 "$c --help"
    expect_out "Usage: nasview $c" "$c --help"
    run "$NASVIEW" "$c" -q
    expect_status 2 "$c -q"
    expect_err "nasview $c: unknown option '-q'" "$c -q"
    expect_err "Try 'nasview $c --help'." "$c -q hint"
    run "$NASVIEW" "$c" "--$o"
    expect_status 2 "$c --$o without value"
    expect_err "nasview $c: option '--$o' needs a value" "$c --$o without value"
done

# a prefix that names one option is that option; one that names two is not
run "$NASVIEW" genotype nasnet-a --form json
expect_status 0 "genotype --form"
expect_json "$out" "genotype --form json"
run "$NASVIEW" genotype nasnet-a --c both
expect_status 2 "genotype --c (cell or classes)"
expect_err "unknown option '--c'" "ambiguous prefix"
run "$NASVIEW" genotype nasnet-a --format=json
expect_status 0 "genotype --format=json"
expect_json "$out" "genotype --format=json"
run "$NASVIEW" genotype --format json -- nasnet-a
expect_status 0 "genotype -- nasnet-a"
expect_json "$out" "genotype after --"

# a value out of range names the option and its range, in every command
run "$NASVIEW" eval --weights w --batch 0
expect_status 2 "eval --batch 0"
expect_err "nasview eval: --batch 0 is out of range: from 1 to 65536" "eval --batch 0"
run "$NASVIEW" compare --all --budget x
expect_status 2 "compare --budget x"
expect_err "nasview compare: --budget 'x' is not a whole number" "compare --budget x"
run "$NASVIEW" fidelity --panel p --seed -1
expect_status 2 "fidelity --seed -1"
expect_err "nasview fidelity: --seed '-1' must not be negative" "fidelity --seed -1"

# rm's short -y is --yes: it goes on to open the database, which is absent
run "$NASVIEW" rm -y --db "$TMP/none.db" alpha </dev/null
expect_status 1 "rm -y"
expect_err "no database at $TMP/none.db" "rm -y is --yes"

# the terminal UI's own options: nasview with no command
run "$NASVIEW" --read-only --db
expect_status 2 "nasview --db without value"
expect_err "nasview: option '--db' needs a value" "nasview --db without value"
run "$NASVIEW" --read-only x
expect_status 2 "nasview x"
expect_err "nasview: 'x' is not a command" "nasview operand"

finish
