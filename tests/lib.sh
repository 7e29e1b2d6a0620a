# tests/lib.sh - shared by the shell tests: run the real binary, compare
# its exit status and output, count failures.  Source it; call `finish` last.
# Environment (set by make check): NASVIEW (the binary), SRCDIR, BUILDDIR.

: "${NASVIEW:?run through make check, or set NASVIEW to the binary}"
: "${SRCDIR:=.}"
failures=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nasview-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run CMD...: runs it, leaving $status, $out (stdout) and $err (stderr).
run() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    status=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, expected $1 (stderr: $err)"
}

expect_out() {
    case "$out" in *"$1"*) ;; *) fail "$2: stdout lacks '$1': $out" ;; esac
}

expect_err() {
    case "$err" in *"$1"*) ;; *) fail "$2: stderr lacks '$1': $err" ;; esac
}

# expect_json TEXT WHAT: TEXT is one valid JSON document.
expect_json() {
    printf '%s' "$1" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>"$TMP/json.err" ||
        fail "$2: invalid JSON: $(cat "$TMP/json.err") in: $1"
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$(basename "$0"): $failures failure(s)" >&2
        exit 1
    fi
    echo "$(basename "$0"): all checks passed"
    exit 0
}
