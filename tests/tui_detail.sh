#!/bin/sh
# tui_detail.sh - the Sample screen: the chosen value of a 13-way decision
# is shown with its marker at 140x45 and, the bars scrolled to it, at the
# smallest size 70x20 without colour; the genotype is shown whole, wrapped
# at block boundaries (the lines joined give the stored text back); `y`
# puts it on the terminal's clipboard through OSC 52 (tmux's buffer, with
# set-clipboard on), `Y` writes it to a file named on screen and refuses
# the database file; `e` exports an SVG titled with the search, sample,
# reward and parameters.  The live view's cell at 80x24 has abbreviated labels
# and a legend of them.
. "${SRCDIR:-.}/tests/lib.sh"
. "${SRCDIR:-.}/tests/tui_lib.sh"

DB="$TMP/detail.db"
"$BUILDDIR/tests/store_fill" "$DB" alpha 8 3 >/dev/null || fail "store_fill"
# A decision whose chosen value is the last of 13 operations.
row=$(sqlite3 "$DB" "SELECT sample_idx, step, chosen_label FROM decisions
                     WHERE field IN ('op1', 'op2') AND chosen = 12
                     ORDER BY sample_idx, step LIMIT 1")
[ -n "$row" ] || { fail "no decision chose operation 12"; finish; }
IDX=${row%%|*}
rest=${row#*|}
STEP=${rest%%|*}
LABEL=${rest#*|}
GENO=$(sqlite3 "$DB" "SELECT genotype FROM samples WHERE idx = $IDX")

# open_decision: from the searches list to sample IDX, decision STEP.
open_decision() {
    tui_wait "alpha" "searches listed"
    tui_keys Enter
    tui_wait_re "^alpha  random  sample" "live view"
    tui_keys s
    tui_wait "Samples of alpha" "samples table"
    i=0
    while [ "$i" -lt "$IDX" ]; do tui_keys j; i=$((i + 1)); done
    tui_keys Enter
    tui_wait "Sample #$IDX of alpha" "sample screen"
    i=0
    while [ "$i" -lt "$STEP" ]; do tui_keys j; i=$((i + 1)); done
    tui_wait_re "(normal|reduce) b[0-4] op[12](,|:)" \
        "decision $STEP selected"
}

# check_genotype SIZE: the lines between the title and "Normal cell" are
# the whole genotype, broken only after a block or the normal cell.
check_genotype() {
    tui_screen | awk 'NR == 1 { next } /^Normal cell/ { exit } { print }' \
        >"$TMP/geno.lines"
    joined=$(awk '{ sub(/ +$/, ""); printf "%s%s", (NR > 1 ? " " : ""), $0 }' \
        "$TMP/geno.lines")
    [ "$joined" = "$GENO" ] ||
        fail "$1: genotype lines are not the whole genotype:
$(cat "$TMP/geno.lines")
expected: $GENO"
    n=$(wc -l <"$TMP/geno.lines")
    [ "$n" -ge 2 ] || fail "$1: genotype on $n line(s)"
    head -n $((n - 1)) "$TMP/geno.lines" | sed 's/ *$//' | grep -Ev '[;|]$' |
        grep -q . && fail "$1: a genotype line breaks inside a block:
$(cat "$TMP/geno.lines")"
}

# Abbreviated labels in the live view's cell come with their legend.
tui_start --db "$DB"
tui_resize 80 24
tui_wait "alpha" "searches listed"
tui_keys Enter
tui_wait_re "^alpha  random  sample" "live view"
tui_wait_re "[║┃<[(](sep[357]|max[357]|avg3|dil3|c1|c3|c13|c17|id)(/2)?[║┃>)]|[]]" \
    "abbreviated labels at 80x24"
tui_wait_re "(^| )(sep|max|avg|dil|c|c13|c17|id)=[a-z_0-9]+  " "a legend of them"

tui_start --db "$DB"
tm set -g set-clipboard on
tui_resize 140 45
open_decision
tui_wait "▶ $LABEL" "the chosen value and its marker at 140x45"
check_genotype 140x45

# y: the genotype on the terminal's clipboard (tmux keeps it as a buffer).
tui_keys y
tui_wait "sent the genotype (${#GENO} characters)" "copy message"
[ "$(tm show-buffer 2>/dev/null)" = "$GENO" ] ||
    fail "tmux buffer after y: '$(tm show-buffer 2>&1)', expected '$GENO'"

# Y: to a file named in the prompt; the database is refused, unchanged.
tui_keys Y
tui_wait "Write the genotype to:" "file prompt"
tui_wait "sample-1-$IDX.genotype.txt" "the prompt offers a file name"
tui_keys C-u
tui_keys -l "$TMP/geno.txt"
tui_keys Enter
tui_wait "wrote the genotype to $TMP/geno.txt" "file written, named on screen"
[ "$(cat "$TMP/geno.txt")" = "$GENO" ] || fail "file holds: $(cat "$TMP/geno.txt")"
sum=$(cksum <"$DB")
tui_keys Y
tui_wait "Write the genotype to:" "file prompt again"
tui_keys C-u
tui_keys -l "$DB"
tui_keys Enter
tui_wait "is the database" "writing over the database refused"
[ "$(cksum <"$DB")" = "$sum" ] || fail "the database changed"

# e: the SVG is titled with the search, the sample, its reward and
# parameters, and has the legend of shapes and colours.
tui_keys e
tui_wait "Export both cells as SVG to:" "export prompt"
tui_keys C-u
tui_keys -l "$TMP/cells.svg"
tui_keys Enter
tui_wait "exported both cells as SVG to $TMP/cells.svg" "exported"
want=$(sqlite3 "$DB" "SELECT printf('search alpha (random, seed 3), sample #%d: reward %.4f, %d parameters', idx, reward, params) FROM samples WHERE idx = $IDX")
got=$(xmllint --xpath "string(//*[local-name()='g'][@class='graph']/*[local-name()='title'])" "$TMP/cells.svg")
[ "$got" = "$want" ] || fail "exported SVG's title '$got', expected '$want'"
[ "$(xmllint --xpath "count(//*[local-name()='g'][@class='node'][starts-with(*[local-name()='title'], 'legend_')])" "$TMP/cells.svg")" = 10 ] ||
    fail "exported SVG without its legend"

# The smallest size, no colour: the bars scroll to the chosen value.
TUI_ENV="NO_COLOR=1" tui_start --db "$DB"
tui_resize 70 20
open_decision
tui_wait "▶ $LABEL" "the chosen value and its marker at 70x20"
tui_wait_re "values [0-9]+-13 of 13" "the bars say which values they show"
check_genotype 70x20
finish
