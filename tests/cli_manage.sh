#!/bin/sh
# cli_manage.sh - `nasview rm` and `nasview rename`: one search goes or is
# renamed with every row of its own, no row of another changes, and a
# search a live process writes is refused.
. "${SRCDIR:-.}/tests/lib.sh"
FILL="$BUILDDIR/tests/store_fill"
DB="$TMP/m.db"
"$FILL" "$DB" alpha 4 3 >/dev/null || fail "store_fill alpha"
"$FILL" "$DB" beta 3 4 >/dev/null || fail "store_fill beta"

# rows_of NAME: a fingerprint of every row a search owns
rows_of() {
    sqlite3 "$DB" "SELECT s.id, s.name, s.samples_done,
        (SELECT group_concat(idx || ':' || hash || ':' || coalesce(reward, ''), ',')
           FROM samples WHERE search_id = s.id),
        (SELECT count(*) FROM decisions WHERE search_id = s.id),
        (SELECT count(*) FROM progress WHERE search_id = s.id),
        (SELECT count(*) FROM strategy_state WHERE search_id = s.id)
        FROM searches s WHERE s.name = '$1'"
}
beta_before=$(rows_of beta)
ALPHA_ID=$(sqlite3 "$DB" "SELECT id FROM searches WHERE name = 'alpha'")

# --- rm ----------------------------------------------------------------------
run "$NASVIEW" rm alpha --db "$DB" </dev/null
expect_status 2 "rm without a terminal or --yes"
expect_err "give --yes" "rm says how to delete without asking"
[ -n "$(rows_of alpha)" ] || fail "rm without --yes deleted"

# a search some live process writes cannot go
sqlite3 "$DB" "UPDATE searches SET status = 'running', pid = $$,
    host = '$(hostname)' WHERE name = 'beta'"
run "$NASVIEW" rm beta --yes --db "$DB"
expect_status 2 "rm a running search"
expect_err "is running in process $$" "rm names the process"
run "$NASVIEW" rename beta gamma --db "$DB"
expect_status 2 "rename a running search"
sqlite3 "$DB" "UPDATE searches SET status = 'done' WHERE name = 'beta'"
beta_before=$(rows_of beta)

run "$NASVIEW" rm alpha --yes --db "$DB"
expect_status 0 "rm alpha"
expect_out "deleted 'alpha' (4 samples)" "rm says what went"
[ -z "$(rows_of alpha)" ] || fail "alpha still there"
for t in samples decisions progress strategy_state; do
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE search_id = $ALPHA_ID")" = 0 ] ||
        fail "rows of alpha left in $t"
done
[ "$(rows_of beta)" = "$beta_before" ] || fail "rm alpha changed beta: $(rows_of beta)"
[ "$(sqlite3 "$DB" "PRAGMA foreign_key_check")" = "" ] || fail "dangling rows"
run "$NASVIEW" rm alpha --yes --db "$DB"
expect_status 1 "rm a search that is gone"
expect_err "no search named or numbered 'alpha'" "rm an unknown search"
run "$NASVIEW" rm x --yes --db "$TMP/none.db"
expect_status 1 "rm without a database"
[ ! -e "$TMP/none.db" ] || fail "rm created a database"

# --- rename ------------------------------------------------------------------
"$FILL" "$DB" delta 2 5 >/dev/null || fail "store_fill delta"
run "$NASVIEW" rename beta delta --db "$DB"
expect_status 2 "rename to a taken name"
expect_err "a search named 'delta' exists already" "taken name"
run "$NASVIEW" rename beta 42 --db "$DB"
expect_status 2 "rename to digits"
run "$NASVIEW" rename beta "$(printf 'x\033[2J')" --db "$DB"
expect_status 2 "rename to a name with an escape"
run "$NASVIEW" rename beta gamma --db "$DB"
expect_status 0 "rename beta gamma"
expect_out "renamed 'beta' to 'gamma'" "rename says so"
[ -z "$(rows_of beta)" ] || fail "beta still named beta"
[ "$(rows_of gamma | cut -d'|' -f3-)" = "$(printf '%s' "$beta_before" | cut -d'|' -f3-)" ] ||
    fail "rename changed the rows: $(rows_of gamma) vs $beta_before"
run "$NASVIEW" show gamma --db "$DB"
expect_status 0 "show the renamed search"
finish
