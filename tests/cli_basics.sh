#!/bin/sh
# cli_basics.sh - the nasview command: help, version, exit statuses, and
# every subcommand's --help and usage errors.
. "${SRCDIR:-.}/tests/lib.sh"

run "$NASVIEW" --help
expect_status 0 "--help"
expect_out "Usage: nasview" "--help"
for c in search ls show export genotype train bench compare; do
    expect_out "  $c " "--help lists $c"
done

run "$NASVIEW" --version
expect_status 0 "--version"
expect_out "nasview 0." "--version"

run "$NASVIEW" frobnicate
expect_status 2 "unknown command"
expect_err "'frobnicate' is not a command" "unknown command"
expect_err "Try 'nasview --help'" "unknown command hint"

for c in search ls show export genotype train bench compare; do
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
finish
