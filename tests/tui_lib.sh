# tests/tui_lib.sh - drive the real nasview TUI inside a private tmux
# server and assert on the captured screen.  Source after tests/lib.sh.
#   tui_start [ARGS...]      start nasview ARGS in a 100x30 window
#   tui_keys KEY...          send keys (tmux send-keys syntax)
#   tui_wait TEXT WHAT       poll the screen until it shows TEXT (bounded
#                            number of tries; no timing is asserted)
#   tui_wait_not TEXT WHAT   poll until TEXT is gone
#   tui_resize W H           resize the window
#   tui_screen               print the current screen
# The server is killed when the test exits.

command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
TUI_RUN=0
TMUX_SOCK="nasview-test-$$-0"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
TUI_TRIES=${TUI_TRIES:-300}

tui_start() {
    # Each start gets its own server: a server that is still shutting down
    # would refuse the next session.
    tm kill-server 2>/dev/null
    TUI_RUN=$((TUI_RUN + 1))
    TMUX_SOCK="nasview-test-$$-$TUI_RUN"
    # A shell keeps the pane open after nasview exits, so its exit status
    # and the restored terminal can be checked.
    tm -f /dev/null new-session -d -x 100 -y 30 \
        "ulimit -c 0; env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_DATA_HOME='$XDG_DATA_HOME' \
         ${TUI_ENV:-} '$NASVIEW' $*; echo \"[exit \$?]\"; sleep 600" \
        </dev/null >/dev/null 2>&1
}

tui_keys() { tm send-keys -t 0 "$@"; }

tui_screen() { tm capture-pane -t 0 -p 2>/dev/null; }

tui_wait() {
    i=0
    while [ "$i" -lt "$TUI_TRIES" ]; do
        case "$(tui_screen)" in *"$1"*) return 0 ;; esac
        tm has-session 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    fail "$2: screen never showed '$1'; it shows:
$(tui_screen)"
    return 1
}

# tui_wait_re REGEX WHAT: as tui_wait, for an extended regular expression.
tui_wait_re() {
    i=0
    while [ "$i" -lt "$TUI_TRIES" ]; do
        tui_screen | grep -Eq "$1" && return 0
        tm has-session 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    fail "$2: screen never matched /$1/; it shows:
$(tui_screen)"
    return 1
}

tui_wait_not() {
    i=0
    while [ "$i" -lt "$TUI_TRIES" ]; do
        case "$(tui_screen)" in *"$1"*) ;; *) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    fail "$2: screen still shows '$1':
$(tui_screen)"
    return 1
}

tui_resize() { tm resize-window -t 0 -x "$1" -y "$2"; }
