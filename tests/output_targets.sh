#!/bin/sh
# output_targets.sh - every file output (export --svg/--dot/--csv/--json,
# genotype --svg/--dot) writes a FIFO or device node directly and leaves it
# what it was, refuses a directory, and replaces a regular file whole.
. "${SRCDIR:-.}/tests/lib.sh"

db="$TMP/t.db"
"$BUILDDIR/tests/mkcomparedb" "$db" || { fail "mkcomparedb"; finish; }

# kind_of FILE: "fifo", "char" or "regular"
kind_of() {
    if [ -p "$1" ]; then echo fifo; elif [ -c "$1" ]; then echo char;
    elif [ -f "$1" ]; then echo regular; else echo other; fi
}

# each way of writing a file, with the target appended
set -- "export rl-s1 --db $db --csv" "export rl-s1 --db $db --json" \
       "export rl-s1 1 --db $db --svg" "export rl-s1 1 --db $db --dot" \
       "genotype nasnet-a --svg" "genotype nasnet-a --dot"

for cmd in "$@"; do
    # a FIFO: written through, still a FIFO afterwards
    rm -f "$TMP/fifo" "$TMP/got"
    mkfifo "$TMP/fifo"
    # the reader gives up after 60 s, so a writer that replaced the FIFO
    # instead of writing to it fails the test rather than hanging it
    timeout 60 cat "$TMP/fifo" > "$TMP/got" &
    reader=$!
    # shellcheck disable=SC2086
    run "$NASVIEW" $cmd "$TMP/fifo"
    expect_status 0 "$cmd FIFO"
    wait "$reader"
    [ "$(kind_of "$TMP/fifo")" = fifo ] || fail "$cmd replaced the FIFO with a $(kind_of "$TMP/fifo")"
    [ -s "$TMP/got" ] || fail "$cmd wrote nothing into the FIFO"

    # a regular file: replaced whole, no temporary file left beside it
    printf 'old\n' > "$TMP/reg"
    # shellcheck disable=SC2086
    run "$NASVIEW" $cmd "$TMP/reg"
    expect_status 0 "$cmd regular file"
    grep -q '^old$' "$TMP/reg" && fail "$cmd left the old content"
    left=$(ls -A "$TMP" | grep '^\.reg\.' || true)
    [ -z "$left" ] || fail "$cmd left a temporary file: $left"

    # a directory is refused with its name
    mkdir -p "$TMP/dir"
    # shellcheck disable=SC2086
    run "$NASVIEW" $cmd "$TMP/dir"
    expect_status 1 "$cmd directory"
    expect_err "is a directory" "$cmd directory"

    # device nodes (root only can make them): the null and full devices
    # made beside the test, so a failure cannot touch the real /dev
    if [ "$(id -u)" -eq 0 ] && mknod "$TMP/null" c 1 3 2>/dev/null &&
            mknod "$TMP/full" c 1 7 2>/dev/null; then
        # shellcheck disable=SC2086
        run "$NASVIEW" $cmd "$TMP/null"
        expect_status 0 "$cmd null device"
        [ "$(kind_of "$TMP/null")" = char ] || fail "$cmd replaced a null device with a $(kind_of "$TMP/null") file"
        # shellcheck disable=SC2086
        run "$NASVIEW" $cmd "$TMP/full"
        expect_status 1 "$cmd full device"
        expect_err "No space left" "$cmd full device"
        [ "$(kind_of "$TMP/full")" = char ] || fail "$cmd replaced a full device with a $(kind_of "$TMP/full") file"
        rm -f "$TMP/null" "$TMP/full"
    fi
done

# the database itself, under any name, is never an export's target
before=$(md5sum < "$db")
ln -s "$db" "$TMP/alias.db"
for target in "$db" "$TMP/alias.db" "$TMP/./t.db"; do
    run "$NASVIEW" export rl-s1 --db "$db" --csv "$target"
    expect_status 2 "export over the database as $target"
    expect_err "is the database" "export over the database as $target"
done
[ "$(md5sum < "$db")" = "$before" ] || fail "the database changed"
# its WAL and shared-memory files, while a connection holds them open
python3 - "$NASVIEW" "$db" <<'PY' || fail "export over the database's -wal or -shm was not refused"
import sqlite3, subprocess, sys
nasview, db = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE IF NOT EXISTS keep_wal(x)")
c.execute("INSERT INTO keep_wal VALUES (1)")
c.commit()
bad = 0
for side in ("-wal", "-shm"):
    r = subprocess.run([nasview, "export", "rl-s1", "--db", db, "--json", db + side],
                       capture_output=True, text=True)
    if r.returncode != 2 or "is the database" not in r.stderr:
        print("export over", side, "gave", r.returncode, r.stderr, file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
run "$NASVIEW" export rl-s1 --db "$db" --csv "$TMP/other.csv"
expect_status 0 "export beside the database"

# two outputs of one command naming one file: refused, nothing written
mkdir -p "$TMP/two"
run "$NASVIEW" genotype nasnet-a --svg "$TMP/two/x" --dot "$TMP/two/../two/x"
expect_status 2 "--svg and --dot on one new file"
expect_err "name the same file" "one file named twice"
[ ! -e "$TMP/two/x" ] || fail "a drawing was written anyway"
: >"$TMP/two/y"
ln "$TMP/two/y" "$TMP/two/z"
run "$NASVIEW" genotype nasnet-a --svg "$TMP/two/y" --dot "$TMP/two/z"
expect_status 2 "--svg and --dot on two links of one file"
run "$NASVIEW" genotype nasnet-a --svg "$TMP/two/a.svg" --dot "$TMP/two/a.dot"
expect_status 0 "two files"
finish
