#!/bin/sh
# tui_help.sh - the help of every screen at the smallest supported size
# (70x20), in read-write and read-only mode: each page is checked by
# tests/help_layout.py (no key text runs into its description), the whole
# help is scrolled through to its last line, and it names the keys the
# screen takes (h / l on Live, Shift-Tab on the form, the copy keys on
# the Sample screen, ...).
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/help.db"
"$BUILDDIR/tests/store_fill" "$DB" alpha 6 3 >/dev/null || fail "store_fill alpha"
"$BUILDDIR/tests/store_fill" "$DB" beta 6 4 >/dev/null || fail "store_fill beta"

# check_help SCREEN KEY...: open the help of the screen now shown, check
# every page of it, expect each KEY text somewhere in it, close it.
check_help() {
    name=$1
    shift
    tui_keys '?'
    tui_wait "Keys of the $name screen" "help of $name" || return
    : >"$TMP/keys"
    n=0
    while :; do
        tui_screen >"$TMP/page"
        python3 "$SRCDIR/tests/help_layout.py" "$TMP/keys" <"$TMP/page" >"$TMP/why" ||
            fail "help of $name: $(cat "$TMP/why")"
        grep -q "Ctrl-C  *quit at once" "$TMP/page" && break
        n=$((n + 1))
        [ "$n" -lt 40 ] || { fail "help of $name never reached its end"; break; }
        tui_keys j
        # wait for the scroll to show (the first line moves)
        i=0
        while [ "$i" -lt 50 ] && tui_screen | cmp -s - "$TMP/page"; do
            sleep 0.1
            i=$((i + 1))
        done
    done
    python3 "$SRCDIR/tests/help_layout.py" --expect "$TMP/keys" "$@" >"$TMP/why" ||
        fail "help of $name: $(cat "$TMP/why")"
    tui_keys q
    tui_wait_not "Keys of the $name screen" "help of $name closed"
}

for mode in rw ro; do
    ro=
    [ "$mode" = ro ] && ro=--read-only
    tui_start --db "$DB" $ro
    tui_resize 70 20
    tui_wait "alpha" "searches listed ($mode)"
    if [ "$mode" = rw ]; then
        check_help Searches "Enter" "Home/End" "s / S" "/" "n" "r" "R" "D" "c"
        tui_keys n
        tui_wait "New search" "form"
        check_help "New search" "Shift-Tab" "h / l" "Backspace" "Enter" "Esc"
        tui_keys Escape
        tui_wait_not "New search" "form closed"
    else
        check_help Searches "Enter" "Home/End" "s / S" "/" "c"
    fi
    tui_keys c
    tui_wait_re "[Cc]ompare" "compare screen ($mode)"
    check_help Compare "Space" "a" "m" "b" "d" "e"
    tui_keys q
    tui_wait "alpha" "back from compare ($mode)"
    tui_keys Enter
    tui_wait_re "^(alpha|beta)  random  sample" "live view ($mode)"
    check_help Live "h / l" "[ / ]" "t" "j / k" "Up/Down" "Enter" "s"
    tui_keys s
    tui_wait "Samples of" "samples table ($mode)"
    check_help Samples "Home/End" "s / S" "/" "n / N" "Enter"
    tui_keys Enter
    tui_wait "Sample #" "sample screen ($mode)"
    check_help Sample "j / k" "PgUp" "Home" "y" "Y" "e"
    # The help's own help is the help screen's key list: it scrolls.
    tui_keys '?'
    tui_wait "Keys of the Sample screen" "help again"
    tui_keys G
    tui_wait "Ctrl-C" "G goes to the end of the help"
    tui_keys g
    tui_wait "j / k, arrows" "g goes back to the top"
    tui_keys q
done
finish
