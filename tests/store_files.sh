#!/bin/sh
# store_files.sh - the database through the real binary: ls, show and
# export in every format on a filled database; foreign, damaged and newer
# files refused and left byte-for-byte unchanged; a schema version 1 file
# upgraded by the first reader, its search shown as not recalibrating.
. "${SRCDIR:-.}/tests/lib.sh"
FILL="$BUILDDIR/tests/store_fill"
DB="$TMP/a.db"

# --- no database there: said, exit 1, nothing created ----------------------
for fmt in table json csv; do
    run "$NASVIEW" ls --db "$TMP/none.db" --format "$fmt"
    expect_status 1 "ls --format $fmt without a database"
    expect_err "no database at $TMP/none.db" "ls without a database"
    [ -z "$out" ] || fail "ls without a database printed: $out"
done
[ ! -e "$TMP/none.db" ] || fail "ls created a database"

# --- a filled database ----------------------------------------------------
"$FILL" "$DB" alpha 6 3 >/dev/null || fail "store_fill alpha"
"$FILL" "$DB" beta 3 4 >/dev/null || fail "store_fill beta"

run "$NASVIEW" ls --db "$DB"
expect_status 0 "ls"
expect_out "alpha" "ls table"
expect_out "6/6" "ls samples done/budget"
expect_out "done" "ls status"
run "$NASVIEW" ls --db "$DB" --format json
expect_status 0 "ls json"
expect_json "$out" "ls json"
printf '%s' "$out" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert [r["name"] for r in rows] == ["alpha", "beta"], rows
assert rows[0]["samples_done"] == 6 and rows[0]["status"] == "done"
assert 0 <= rows[0]["best_reward"] <= 1
assert rows[0]["dataset"] == "test, \"quoted\""
' || fail "ls json content"
run "$NASVIEW" ls --db "$DB" --format csv
expect_status 0 "ls csv"
printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert len(rows) == 2 and rows[1]["name"] == "beta", rows
assert rows[0]["dataset"] == "test, \"quoted\"", rows[0]["dataset"]
' || fail "ls csv content"

run "$NASVIEW" show --db "$DB" alpha
expect_status 0 "show by name"
expect_out "RANK" "show table"
expect_out "duplicate" "show lists the duplicate"
run "$NASVIEW" show --db "$DB" 2 --format json
expect_status 0 "show by id"
expect_json "$out" "show json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["search"]["name"] == "beta"
r = [s["reward"] for s in d["samples"]]
assert r == sorted(r, reverse=True), r
' || fail "show json ranks by reward"
run "$NASVIEW" show --db "$DB" alpha --format csv
expect_status 0 "show csv"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 7 ] || fail "show csv: header + 6 rows: $out"

run "$NASVIEW" show --db "$DB" alpha 0
expect_status 0 "show sample"
expect_out "genotype    normal:" "show sample genotype"
expect_out "MOST LIKELY" "show sample decisions"
expect_out "end of epoch" "show sample curve"
run "$NASVIEW" show --db "$DB" alpha 1 --format json
expect_json "$out" "show sample json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["sample"]
assert s["status"] == "duplicate" and s["duplicate_of"] == 0
assert len(s["decisions"]) == 50
for x in s["decisions"]:
    assert abs(sum(x["probs"]) - 1) < 1e-5, x
    assert 0 <= x["chosen"] < len(x["probs"])
assert len(d["curve"]) == 3 and d["curve"][-1]["epoch_end"]
' || fail "show sample json content"
run "$NASVIEW" show --db "$DB" alpha 0 --format csv
[ "$(printf '%s\n' "$out" | wc -l)" -eq 51 ] || fail "decisions csv: 51 lines"
run "$NASVIEW" show --db "$DB" nosuch
expect_status 1 "show unknown search"
expect_err "no search named or numbered 'nosuch'" "show unknown search"
run "$NASVIEW" show --db "$DB" alpha 99
expect_status 1 "show unknown sample"
expect_err "no sample 99" "show unknown sample"

run "$NASVIEW" export --db "$DB" alpha --csv "$TMP/a.csv"
expect_status 0 "export csv"
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [int(r["idx"]) for r in rows] == list(range(6)), rows
assert all(r["genotype"].startswith("normal:") for r in rows)
' "$TMP/a.csv" || fail "export csv content"
run "$NASVIEW" export --db "$DB" alpha --json "$TMP/a.json"
expect_status 0 "export json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["samples"]) == 6
assert all(len(s["decisions"]) == 50 for s in d["samples"])
' "$TMP/a.json" || fail "export json content"
run "$NASVIEW" export --db "$DB" alpha --json -
expect_json "$out" "export json to stdout"
run "$NASVIEW" export --db "$DB" alpha
expect_status 2 "export without a format"
# Cells as SVG (the best sample by default) and DOT.
run "$NASVIEW" export --db "$DB" alpha --svg "$TMP/best.svg"
expect_status 0 "export svg"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' \
    "$TMP/best.svg" || fail "export svg: not XML"
run "$NASVIEW" export --db "$DB" alpha 3 --dot - --cell reduce
expect_status 0 "export dot"
expect_out "digraph" "export dot"
run "$NASVIEW" export --db "$DB" alpha --csv - --cell reduce
expect_status 2 "--cell without a picture"

# --- what sqlite3 users see ------------------------------------------------
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 10 ] || fail "schema version 10"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM decisions WHERE search_id = 1")" = 300 ] ||
    fail "50 decisions per sample"
[ "$(sqlite3 "$DB" "SELECT samples_done FROM search_summary WHERE name = 'alpha'")" = 6 ] ||
    fail "search_summary view"
[ "$(sqlite3 "$DB" "SELECT times FROM duplicates WHERE search_id = 1")" = 2 ] ||
    fail "duplicates view"

# --- hostile files: refused, unchanged -------------------------------------
expect_refused() { # FILE WHAT MESSAGE
    cp "$1" "$1.orig"
    for c in "ls" "show x" "export x --csv $TMP/x.csv"; do
        # shellcheck disable=SC2086
        run "$NASVIEW" $c --db "$1"
        expect_status 1 "$2: $c"
        expect_err "$3" "$2: $c"
    done
    cmp -s "$1" "$1.orig" || fail "$2: the file changed"
}
printf 'just some text\n' > "$TMP/text.db"
expect_refused "$TMP/text.db" "text file" "not an SQLite database"
sqlite3 "$TMP/other.db" "CREATE TABLE accounts (id INTEGER, owner TEXT);
    INSERT INTO accounts VALUES (1, 'me');" || fail "sqlite3"
expect_refused "$TMP/other.db" "foreign database" "another program (tables: accounts)"
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 99" || fail "sqlite3"
expect_refused "$TMP/newer.db" "newer schema" "schema version 99, newer"
cp "$DB" "$TMP/damaged.db"
sqlite3 "$TMP/damaged.db" "PRAGMA journal_mode = DELETE" >/dev/null
size=$(wc -c < "$TMP/damaged.db")
[ "$size" -gt 8192 ] || fail "damaged.db too small ($size)"
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
    dd of="$TMP/damaged.db" bs=1 seek=4100 conv=notrunc 2>/dev/null
expect_refused "$TMP/damaged.db" "damaged file" "is damaged"

# --- migration from schema version 1 ----------------------------------------
V1="$TMP/v1.db"
sqlite3 "$V1" < "$SRCDIR/db/schema.sql" || fail "sqlite3 schema.sql"
sqlite3 "$V1" "INSERT INTO searches (name, strategy, seed, budget, dataset, F,
    N, epochs, train_size, val_size, batch, lr, threads, status, created,
    updated, version) VALUES ('old', 'rl', 5, 10, 'fashion-mnist', 8, 1, 1,
    100, 50, 64, 0.05, 1, 'done', 1700000000, 1700000000, '0.0.1')"
[ "$(sqlite3 "$V1" 'PRAGMA user_version')" = 1 ] || fail "v1 file is version 1"
run "$NASVIEW" ls --db "$V1"
expect_status 0 "ls on a version 1 file"
expect_out "old" "version 1 rows survive"
[ "$(sqlite3 "$V1" 'PRAGMA user_version')" = 10 ] || fail "upgraded to version 10"
[ "$(sqlite3 "$V1" "SELECT name FROM search_summary")" = old ] ||
    fail "views of migration 002 exist"
[ "$(sqlite3 "$V1" "SELECT count(*) FROM sqlite_schema WHERE name = 'samples_by_reward_desc'")" = 1 ] ||
    fail "index of migration 003 exists"
# migration 004: a search made before it did not recalibrate batch norms,
# and is shown so (search_e2e.sh: new searches do, resumed old ones do not)
[ "$(sqlite3 "$V1" "SELECT bn_recalibrate FROM searches WHERE name = 'old'")" = 0 ] ||
    fail "migration 004: old searches do not recalibrate"
run "$NASVIEW" show --db "$V1" old --format json
expect_status 0 "show an upgraded search"
printf '%s' "$out" | python3 -c '
import json, sys
assert json.load(sys.stdin)["search"]["bn_recalibrate"] is False
' || fail "show json: an old search does not recalibrate: $out"
run "$NASVIEW" show --db "$V1" old
expect_out "batch norm  not recalibrated" "show table: an old search"
run "$NASVIEW" ls --db "$V1" --format csv
printf '%s\n' "$out" | python3 -c '
import csv, sys
assert [r["bn_recalibrate"] for r in csv.DictReader(sys.stdin)] == ["0"]
' || fail "ls csv: bn_recalibrate column: $out"
# migration 005: a search made before it is a stand-alone one
[ "$(sqlite3 "$V1" "SELECT reward_kind || ws_steps || ws_samples FROM searches WHERE name = 'old'")" = standalone00 ] ||
    fail "migration 005: old searches are stand-alone"
[ "$(sqlite3 "$V1" "SELECT count(*) FROM shared_weights")" = 0 ] ||
    fail "migration 005: shared_weights table exists"
# migration 009: a search made before it drew common random numbers from
# the space of version 1, and has no recorded environment
[ "$(sqlite3 "$V1" "SELECT streams || space_version FROM searches WHERE name = 'old'")" = common1 ] ||
    fail "migration 009: old searches have common streams, space 1"
[ "$(sqlite3 "$V1" "SELECT count(*) FROM search_env")" = 0 ] ||
    fail "migration 009: search_env table exists"
run "$NASVIEW" show --db "$V1" old
expect_out "streams     common" "show table: an old search has common streams"
expect_out "environment not recorded" "show table: an old search has no environment"
# migration 010: a search made before it is rewarded by accuracy
[ "$(sqlite3 "$V1" "SELECT reward_metric FROM searches WHERE name = 'old'")" = accuracy ] ||
    fail "migration 010: old searches are rewarded by accuracy"

# --- migration 010 on a file with a fidelity panel ----------------------------
# The levels and results tables are rebuilt (a wider CHECK for synflow):
# every row survives, the results still point at the levels (deleting a
# panel still cascades), and a synflow level can be stored.
V8="$TMP/v8.db"
cat "$SRCDIR/db/schema.sql" "$SRCDIR"/db/migrations/00[2-8]_*.sql |
    sqlite3 "$V8" || fail "sqlite3 schema version 8"
sqlite3 "$V8" "PRAGMA user_version = 8;
    INSERT INTO fidelity_panels VALUES (1, 'p', 3, 1, 1, '0.0.1');
    INSERT INTO fidelity_members VALUES (1, 0, 'nasnet-a', 'g0', '0123456789abcdef');
    INSERT INTO fidelity_levels VALUES (1, 0, 'ref', 'val_acc', 'dataset=x');
    INSERT INTO fidelity_levels VALUES (1, 1, 'naswot', 'naswot', 'dataset=x');
    INSERT INTO fidelity_results VALUES (1, 0, 0, 'done', 0.5, 2.0, 10, 20, '', 1);
    INSERT INTO fidelity_results VALUES (1, 0, 1, 'done', 7.5, 0.1, 10, 20, '', 1);" ||
    fail "sqlite3 version 8 panel"
run "$NASVIEW" ls --db "$V8"
expect_status 0 "ls on a version 8 file"
[ "$(sqlite3 "$V8" 'PRAGMA user_version')" = 10 ] || fail "v8 upgraded to 10"
[ "$(sqlite3 "$V8" "SELECT group_concat(x) FROM (SELECT level_idx || ':' || score AS x FROM fidelity_results ORDER BY level_idx)")" = "0:0.5,1:7.5" ] ||
    fail "migration 010: results survive"
[ "$(sqlite3 "$V8" "SELECT group_concat(name) FROM (SELECT name FROM fidelity_levels ORDER BY idx)")" = "ref,naswot" ] ||
    fail "migration 010: levels survive"
sqlite3 "$V8" "INSERT INTO fidelity_levels VALUES (1, 2, 'synflow', 'synflow', 'dataset=x')" ||
    fail "migration 010: a synflow level is allowed"
sqlite3 "$V8" "SELECT sql FROM sqlite_schema WHERE name = 'fidelity_results'" |
    grep -q 'REFERENCES "\{0,1\}fidelity_levels"\{0,1\}(' ||
    fail "migration 010: results reference the levels"
sqlite3 "$V8" "PRAGMA foreign_keys = ON; DELETE FROM fidelity_panels" ||
    fail "sqlite3 delete panel"
[ "$(sqlite3 "$V8" "SELECT count(*) FROM fidelity_results")" = 0 ] ||
    fail "migration 010: deleting a panel still cascades"

# --- structurally damaged: a table or a column gone -------------------------
# Refused on open, before anything is written: a search would otherwise
# insert its row, train a child, then fail on the missing table.
for drop in "DROP TABLE progress" "DROP TABLE decisions" \
            "DROP TABLE strategy_state" "DROP TABLE samples" \
            "ALTER TABLE samples DROP COLUMN entropy" \
            "ALTER TABLE progress DROP COLUMN eta_s"; do
    D="$TMP/dropped.db"
    rm -f "$D" "$D-wal" "$D-shm"
    "$FILL" "$D" alpha 2 3 >/dev/null || fail "store_fill for '$drop'"
    sqlite3 "$D" "$drop" || fail "sqlite3: $drop"
    what=$(printf '%s' "$drop" | sed 's/.*DROP TABLE \([a-z_]*\).*/table \1/;
        s/ALTER TABLE \([a-z_]*\) DROP COLUMN \([a-z_]*\)/column \1.\2/')
    expect_refused "$D" "$drop" "is damaged (missing $what"
    cp "$D" "$D.orig"
    run "$NASVIEW" search --db "$D" --strategy random --budget 1 --seed 9 \
        --train-size 64 --val-size 32 --F 2
    expect_status 1 "search on a file after $drop"
    expect_err "missing $what" "search after $drop names what is missing"
    cmp -s "$D" "$D.orig" || fail "search changed the file after $drop"
    run "$NASVIEW" search --db "$D" --resume alpha
    expect_status 1 "resume on a file after $drop"
    cmp -s "$D" "$D.orig" || fail "resume changed the file after $drop"
done

# --- a read-only directory: reading works, nothing is left beside it --------
# As root, through an unprivileged user (root writes anywhere).
as_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
# the build may sit where nobody cannot reach it (root's home): a copy
USER_NASVIEW=$NASVIEW
if [ "$(id -u)" = 0 ] && ! runuser -u nobody -- test -x "$NASVIEW"; then
    cp "$NASVIEW" "$TMP/nasview-for-nobody"
    USER_NASVIEW="$TMP/nasview-for-nobody"
fi
RO="$TMP/ro"
mkdir "$RO"
"$FILL" "$RO/r.db" alpha 2 3 >/dev/null || fail "store_fill in ro"
sqlite3 "$RO/r.db" "PRAGMA journal_mode" | grep -qx wal || fail "r.db not WAL"
chmod 755 "$TMP"
chmod 644 "$RO/r.db"
chmod 555 "$RO"
for c in "ls" "show alpha" "show alpha 0" "export alpha --csv -"; do
    # shellcheck disable=SC2086
    run as_user "$USER_NASVIEW" $c --db "$RO/r.db"
    expect_status 0 "$c in a read-only directory"
    case $c in export*) expect_out "idx,status" "$c" ;;
               *) expect_out "alpha" "$c in a read-only directory" ;; esac
done
run as_user "$USER_NASVIEW" search --resume alpha --db "$RO/r.db"
expect_status 1 "search in a read-only directory"
expect_err "cannot write in directory $RO" "search names the directory"
[ "$(ls "$RO")" = "r.db" ] || fail "files left in the read-only directory: $(ls "$RO")"
chmod 755 "$RO"

# refused files get no -wal or -shm beside them
sqlite3 "$TMP/foreign.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(x);" >/dev/null
run "$NASVIEW" ls --db "$TMP/foreign.db"
expect_status 1 "a foreign WAL database"
[ ! -e "$TMP/foreign.db-wal" ] && [ ! -e "$TMP/foreign.db-shm" ] ||
    fail "refusing a foreign database left -wal or -shm"

# where a database cannot be, the message says why
run "$NASVIEW" search --strategy random --budget 1 --seed 1 --db "$TMP/no/such/x.db"
expect_status 1 "search in a missing directory"
expect_err "no directory $TMP/no/such" "the missing directory named"
run "$NASVIEW" search --strategy random --budget 1 --seed 1 --db ""
expect_status 2 "search --db ''"
expect_err "the database file name is empty" "empty --db"

# --- numbers out of range in a crafted file are kept within bounds -----------
C="$TMP/crafted.db"
"$FILL" "$C" alpha 3 3 >/dev/null || fail "store_fill crafted"
sqlite3 "$C" "UPDATE samples SET idx = 2147483647 WHERE idx = 2;
    UPDATE searches SET budget = 99999999999, samples_done = -5,
    best_idx = 9223372036854775807" || fail "crafting numbers"
run "$NASVIEW" show alpha --db "$C" --format json
expect_status 0 "show a crafted file"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["search"] if "search" in d else d
assert s["budget"] == 1000000 and s["samples_done"] == 0, s
assert s["best_idx"] == 1000000, s
' || fail "crafted counts clamped: $out"

finish
