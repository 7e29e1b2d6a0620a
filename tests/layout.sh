#!/bin/sh
# layout.sh - the module boundaries of src/README hold: curses only under
# ui/, SQLite only in src/store/, Graphviz only in src/render/, every source
# file in a module folder, and no source file past 800 lines.
: "${SRCDIR:=.}"
cd "$SRCDIR" || exit 1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# only_in PATTERN DIR WHAT: no file outside DIR includes a header matching PATTERN.
only_in() {
    hits=$(grep -rlE "^#[[:space:]]*include[[:space:]]*[<\"]($1)[>\"]" src ui tests 2>/dev/null |
        grep -v "^$2/")
    [ -z "$hits" ] || fail "$3 included outside $2/: $hits"
}
only_in 'n?curses(w/)?[a-z]*\.h|ncursesw/[a-z]*\.h|panel\.h' ui "curses"
only_in 'sqlite3\.h' src/store "sqlite3.h"
only_in 'gvc\.h|cgraph\.h|graphviz/[a-z]*\.h' src/render "Graphviz"

loose=$(find src -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \))
[ -z "$loose" ] || fail "source files outside a module folder: $loose"

for f in $(find src ui -name '*.[ch]'); do
    n=$(wc -l < "$f")
    [ "$n" -le 800 ] || fail "$f has $n lines (split it by concern)"
done

[ "$failures" -eq 0 ] && echo "layout: ok"
exit "$failures"
