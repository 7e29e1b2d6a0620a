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

finish
