#!/bin/sh
# untrusted_text.sh - names given on the command line and text read from a
# crafted database never reach the terminal raw: control characters in a
# name are refused, digit-only names too (they would shadow ids), and ls,
# show, compare and CSV print every control character as \xNN.
. "${SRCDIR:-.}/tests/lib.sh"
FILL="$BUILDDIR/tests/store_fill"
DB="$TMP/a.db"
ESC=$(printf '\033')

# raw_controls TEXT: true when TEXT holds a control character other than
# a newline (a C0 byte, DEL, or an 8-bit C1 byte).
raw_controls() {
    printf '%s' "$1" | python3 -c '
import sys
b = sys.stdin.buffer.read()
sys.exit(0 if any(c < 0x20 and c != 10 or c == 0x7f for c in b) else 1)'
}

# --- names refused at the door --------------------------------------------
for name in "$(printf 'x\033[2J\033[31mRED\033]0;PWNED\007')" \
            "$(printf 'two\nlines')" "$(printf 'tab\there')" \
            "$(printf 'bad\377utf8')" "2" "0042"; do
    run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 1 \
        --name "$name"
    expect_status 2 "search --name with a bad name"
    expect_err "--name: a search name cannot" "the reason for a bad name"
    raw_controls "$err" && fail "the refusal echoed control characters: $err"
done
[ ! -e "$DB" ] || fail "a refused name created the database"
run "$NASVIEW" search --db "$DB" --strategy random --budget 1 --seed 1 \
    --name "$(printf 'x%0128d' 0)"
expect_status 2 "search --name too long"
expect_err "1 to 127 characters" "too long a name"

# --- a crafted database: every text column holds escapes ---------------------
"$FILL" "$DB" alpha 3 3 >/dev/null || fail "store_fill alpha"
"$FILL" "$DB" beta 3 4 >/dev/null || fail "store_fill beta"
sqlite3 "$DB" "UPDATE searches SET
    name = char(27) || '[2J' || char(27) || ']0;PWNED' || char(7) || 'evil' || char(10) || 'x',
    message = 'm' || char(27) || '[31m', dataset = 'd' || char(27) || '[1m',
    host = 'h' || char(155) || 'q', version = 'v' || char(13)
    WHERE name = 'alpha';
  UPDATE samples SET message = 's' || char(27) || '[5m',
    hash = char(27) || '[7m' WHERE idx = 0;" || fail "crafting the database"
ID=$(sqlite3 "$DB" "SELECT id FROM searches WHERE name LIKE '%evil%'")

for fmt in table csv; do
    run "$NASVIEW" ls --db "$DB" --format "$fmt"
    expect_status 0 "ls --format $fmt"
    expect_out '\x1b[2J\x1b]0;PWNED\x07evil\x0ax' "ls $fmt shows the escapes"
    raw_controls "$out" && fail "ls $fmt printed control characters: $out"
done
run "$NASVIEW" ls --db "$DB" --format json
expect_json "$out" "ls json"
raw_controls "$out" && fail "ls json printed control characters"

run "$NASVIEW" show "$ID" --db "$DB"
expect_status 0 "show"
expect_out 'm\x1b[31m' "show: the message escaped"
expect_out 'd\x1b[1m' "show: the dataset escaped"
raw_controls "$out" && fail "show printed control characters: $out"
for fmt in table csv; do
    run "$NASVIEW" show "$ID" --db "$DB" --format "$fmt" --samples
    raw_controls "$out" && fail "show --samples $fmt printed control characters: $out"
done
run "$NASVIEW" show "$ID" 0 --db "$DB"
expect_status 0 "show a sample"
expect_out 's\x1b[5m' "show sample: the message escaped"
raw_controls "$out" && fail "show sample printed control characters: $out"

run "$NASVIEW" compare "$ID" beta --db "$DB"
expect_status 2 "compare: the crafted dataset differs"
raw_controls "$out$err" && fail "compare refusal printed control characters: $out $err"
expect_err 'differ in dataset (d\x1b[1m vs' "compare: the differing dataset escaped"
run "$NASVIEW" compare "$ID" beta --db "$DB" --force
raw_controls "$out$err" && fail "compare printed control characters: $out $err"
expect_out '\x1b[2J' "compare names the search, escaped"

# error messages that quote the database's text are escaped too
sqlite3 "$DB" "UPDATE searches SET status = 'running', pid = 1 WHERE id = $ID"
run "$NASVIEW" show "nope$ESC[2J" --db "$DB"
expect_status 1 "show an unknown search"
expect_err 'nope\x1b[2J' "the unknown name, escaped"
raw_controls "$err" && fail "an error message printed control characters: $err"
finish
