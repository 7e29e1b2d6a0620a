#!/bin/sh
# tui_basics.sh - the terminal UI without any search: the empty-database
# greeting, help, the new-search form, resizing (including too small),
# read-only mode, NO_COLOR, Ctrl-L, quitting on q and on a signal with the
# terminal restored, and refusing to run without a terminal.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/empty.db"

# Without a terminal it says what to use instead.
run "$NASVIEW" --db "$DB" </dev/null
expect_status 1 "no terminal"
expect_err "needs a terminal" "no terminal"
run "$NASVIEW" --help
expect_status 0 "tui --help"
expect_out "--read-only" "tui --help"
run "$NASVIEW" --db
expect_status 2 "--db without value"
run "$NASVIEW" --bogus
expect_status 2 "unknown option"

tui_start --db "$DB"
tui_wait "Welcome to nasview." "greeting"
tui_wait "Press n to start a first search" "greeting says what to press"
tui_wait "? help" "hint bar"

# Help lists this screen's keys and the global ones; q closes it.
tui_keys '?'
tui_wait "Keys of the Searches screen" "help title"
tui_wait "start a new search" "help lists n"
tui_wait "Ctrl-L" "help lists global keys"
tui_keys q
tui_wait "Welcome to nasview." "help closed"

# The form: defaults, moving, editing, validation, cancel.
tui_keys n
tui_wait "New search" "form"
tui_wait "< random >" "default strategy"
tui_wait "fashion-mnist" "default dataset"
tui_keys Right
tui_wait "< rl >" "strategy cycles"
tui_keys Down
tui_wait "< default >" "rl has a preset after the strategy"
tui_keys Down C-u Enter
tui_wait "Budget must be a whole number" "validation message"
tui_keys '?'
tui_wait "Keys of the New search screen" "help of the form"
tui_keys Escape
tui_wait "New search" "help closed on Esc"
tui_resize 70 20
tui_wait "Validation size" "every field fits the smallest size"
tui_wait_re "Name +rl-1" "the name field at the smallest size"
# Evolution has more fields than 70x20 shows: they scroll to the focus.
tui_keys Up Up Right
tui_wait "< evolution >" "evolution"
tui_keys Up
tui_wait_re "Name +evolution-1_" "the last field scrolled into view"
tui_keys Down
tui_wait "< evolution >" "back to the first field"
tui_keys Left Left
tui_resize 100 30
tui_keys Escape
tui_wait "Welcome to nasview." "form cancelled"

# A search that ends before it starts (the real `nasview search` refuses a
# dataset that does not exist): the reason from its log is shown.
tui_keys n
tui_wait "New search" "form again"
tui_keys Down Down Down C-u
tui_keys -l "nosuch"
tui_keys Enter
tui_wait "ended before it started" "failed start reported"
tui_wait "ended before it started: nasview search: nosuch" "says what the log said"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM searches")" = 0 ] ||
    fail "a search that could not start left a row"

# Resizing re-lays the screen; too small gets a message with the size.
for size in "120 40" "80 24" "70 20"; do
    set -- $size
    tui_resize "$1" "$2"
    tui_wait "Welcome to nasview." "redrawn at $1x$2"
done
tui_resize 50 12
tui_wait "Terminal too small: 50x12" "too-small message"
tui_wait "needs at least" "says how big"
tui_wait "70x20" "says the minimum size"
tui_resize 100 30
tui_wait "Welcome to nasview." "back to normal size"
tui_keys C-l
tui_wait "Welcome to nasview." "Ctrl-L redraw"

# q quits with status 0 and the terminal restored (the shell's echo shows
# up on a normal screen).
tui_keys q
tui_wait "[exit 0]" "q quits"

# A signal quits too, with the terminal restored and the signal's status.
tui_start --db "$DB"
tui_wait "Welcome to nasview." "restart"
pid=$(pgrep -n -f "nasview --db $DB" || true)
if [ -n "$pid" ]; then
    kill -TERM "$pid"
    tui_wait "[exit 143]" "SIGTERM restores the terminal and exits 143"
    tui_wait_not "Welcome to nasview." "alternate screen left"
else
    fail "could not find the nasview process"
fi

# A crash (SIGABRT, SIGSEGV, ...) restores the terminal before dying.
for sig in ABRT SEGV; do
    tui_start --db "$DB"
    tui_wait "Welcome to nasview." "start before SIG$sig"
    pid=$(pgrep -n -f "nasview --db $DB" || true)
    if [ -n "$pid" ]; then
        kill -"$sig" "$pid"
        tui_wait "crashed; the terminal was restored" "SIG$sig: says so"
        tui_wait_re "\[exit 1(34|39)\]" "SIG$sig: dies by the signal"
        tui_wait_not "Welcome to nasview." "SIG$sig: alternate screen left"
    else
        fail "could not find the nasview process"
    fi
done

# A terminal that cannot move the cursor gets a message, not an empty screen.
TUI_ENV="TERM=dumb" tui_start --db "$DB"
tui_wait "cannot move the cursor" "TERM=dumb: the reason"
tui_wait "[exit 1]" "TERM=dumb exits 1"
TUI_ENV="TERM=no-such-terminal" tui_start --db "$DB"
tui_wait "cannot use the terminal 'no-such-terminal'" "unknown TERM: the reason"

# A file that cannot be used: the reason, no welcome, no new search.
printf 'not a database at all, just text\n' >"$TMP/junk.db"
tui_start --db "$TMP/junk.db"
tui_wait "This file cannot be read:" "junk file: the reason"
case "$(tui_screen)" in *"Welcome to nasview."*) fail "junk file: welcomed" ;; esac
case "$(tui_screen)" in *"n new"*) fail "junk file: offers n" ;; esac
tui_keys n
tui_wait "cannot be used for a search" "junk file: n refused"
tui_keys q
tui_wait "[exit 0]" "quit on a junk file"

# A data directory that cannot be created: read what is there, read-only.
printf 'x' >"$TMP/plainfile"
TUI_ENV="XDG_DATA_HOME=$TMP/plainfile/data" tui_start
tui_wait "(read-only)" "no data directory: read-only"
tui_keys q
tui_wait "opened read-only: cannot create" "no data directory: says why"
tui_wait "[exit 0]" "quit without a data directory"

# Read-only hides writing actions.
tui_start --db "$DB" --read-only
tui_wait "(read-only)" "read-only title"
tui_wait "open read-only, so no search can start" "read-only greeting"
case "$(tui_screen)" in *"n new search"*) fail "read-only shows n" ;; esac
tui_keys n
tui_wait "read-only: start nasview without --read-only" "n refused"
tui_keys q q
tui_wait "[exit 0]" "quit read-only"

# NO_COLOR and an ASCII locale still give a readable screen.
TUI_ENV="NO_COLOR=1 LANG=C LC_ALL=C" tui_start --db "$DB"
tui_wait "Welcome to nasview." "NO_COLOR, ASCII"
tui_keys q
tui_wait "[exit 0]" "quit NO_COLOR"

finish
