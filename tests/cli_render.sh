#!/bin/sh
# cli_render.sh - `nasview genotype --svg/--dot/--cell` end to end: SVG that
# xmllint accepts and rsvg-convert renders, one node per operation with the
# right label, DOT, stdout, hostile genotypes and paths (clear message,
# nothing left behind), and a missing Graphviz plugin; `nasview export
# --svg` titled with the search, sample, reward and parameters, and every
# SVG with a legend of node shapes and colours (checked with xmllint).
. "${SRCDIR:-.}/tests/lib.sh"

# no_leftovers DIR WHAT: DIR holds exactly the files named after WHAT.
no_leftovers() {
    left=$(ls -A "$1" | grep -v -x -e "$3" -e "${4:-/}" || true)
    [ -z "$left" ] || fail "$2: left behind in $1: $left"
}

out_dir="$TMP/pictures"
mkdir -p "$out_dir"

run "$NASVIEW" genotype nasnet-a --svg "$out_dir/both.svg"
expect_status 0 "svg of both cells"
[ -z "$out" ] || fail "--svg printed on stdout: $out"
xmllint --noout "$out_dir/both.svg" 2>"$TMP/xml.err" ||
    fail "svg not well-formed: $(cat "$TMP/xml.err")"
rsvg-convert -o "$out_dir/both.png" "$out_dir/both.svg" 2>"$TMP/rsvg.err" ||
    fail "rsvg-convert failed: $(cat "$TMP/rsvg.err")"
[ -s "$TMP/rsvg.err" ] && fail "rsvg-convert complained: $(cat "$TMP/rsvg.err")"
[ -s "$out_dir/both.png" ] || fail "rsvg-convert wrote no image"

# One node per operation, labelled with its name ("/2" when strided), per
# cell, exactly as the genotype says.
python3 - "$out_dir/both.svg" <<'EOF' || fail "svg nodes and labels"
import sys, collections, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
labels = collections.Counter()
for g in root.iter("{http://www.w3.org/2000/svg}g"):
    if g.get("class") == "node":
        text = " ".join(t.text or "" for t in g.findall("s:text", ns))
        labels[text] += 1
ops = collections.Counter({
    # both cells: ops on other blocks' outputs keep stride 1
    "sep_conv_5x5": 2, "sep_conv_3x3": 4, "avg_pool_3x3": 4, "identity": 3,
    # reduction cell: ops on h(i-1)/h(i) have stride 2
    "sep_conv_5x5 /2": 2, "sep_conv_7x7 /2": 2, "max_pool_3x3 /2": 2,
    "avg_pool_3x3 /2": 1,
})
for name, n in ops.items():
    assert labels[name] == n, (name, labels[name], n)
assert sum(n for l, n in labels.items() if l.startswith(("b0 ", "b1 ", "b2 ", "b3 ", "b4 "))) == 10, labels
assert labels["output concat"] == 2 and labels["h(i-1)"] == 2 and labels["h(i)"] == 2, labels
assert labels["normal cell"] == 1, labels
EOF

run "$NASVIEW" genotype nasnet-a --cell reduce --svg -
expect_status 0 "svg to stdout"
expect_out "<svg" "svg on stdout"
expect_out "max_pool_3x3 /2" "strided label"
case "$out" in *"normal cell"*) fail "--cell reduce drew the normal cell" ;; esac
printf '%s\n' "$out" | xmllint --noout - 2>/dev/null || fail "stdout svg not well-formed"

run "$NASVIEW" genotype nasnet-a --cell normal --dot "$out_dir/normal.dot"
expect_status 0 "dot"
grep -q '^digraph' "$out_dir/normal.dot" || fail "dot header"
dot -Tsvg "$out_dir/normal.dot" -o "$out_dir/normal.svg" 2>"$TMP/dot.err" ||
    fail "dot cannot read our DOT: $(cat "$TMP/dot.err")"
[ "$(grep -c 'class="node"' "$out_dir/normal.svg")" -eq 19 ] ||
    fail "re-rendered DOT: $(grep -c 'class="node"' "$out_dir/normal.svg") nodes, expected 19"

run "$NASVIEW" genotype nasnet-a --svg "$out_dir/a.svg" --dot "$out_dir/a.dot" --cell both
expect_status 0 "svg and dot together"
[ -s "$out_dir/a.svg" ] && [ -s "$out_dir/a.dot" ] || fail "svg and dot together"

run "$NASVIEW" genotype nasnet-a --svg - --dot -
expect_status 2 "both to stdout"
run "$NASVIEW" genotype nasnet-a --cell normal
expect_status 2 "--cell alone"
expect_err "--cell only applies to --svg and --dot" "--cell alone"
run "$NASVIEW" genotype nasnet-a --svg "$out_dir/x.svg" --cell middle
expect_status 2 "bad --cell"
expect_err "--cell 'middle' is not one of normal, reduce, both" "bad --cell"

# Hostile: a malformed genotype writes nothing; a bad path says which and
# why; an existing file survives a failure; no temporary file is left.
hostile="$TMP/hostile"
mkdir -p "$hostile"
run "$NASVIEW" genotype "normal: 1 0 sep_conv_5x5 bogus_op add" --svg "$hostile/g.svg"
expect_status 2 "malformed genotype"
expect_err "nasview genotype:" "malformed genotype message"
no_leftovers "$hostile" "malformed genotype" "/"

echo keep >"$hostile/keep.svg"
run "$NASVIEW" genotype "normal: 9 9 identity identity add" --svg "$hostile/keep.svg"
expect_status 2 "malformed genotype over a file"
[ "$(cat "$hostile/keep.svg")" = keep ] || fail "existing file changed by a failed run"

run "$NASVIEW" genotype nasnet-a --svg "$hostile/missing/dir/g.svg"
expect_status 1 "missing directory"
expect_err "cannot write '$hostile/missing/dir/g.svg'" "missing directory message"
expect_err "No such file or directory" "missing directory reason"

run "$NASVIEW" genotype nasnet-a --dot "$hostile/keep.svg/sub.dot"
expect_status 1 "path through a file"
expect_err "Not a directory" "path through a file"

run "$NASVIEW" genotype nasnet-a --svg "$hostile"
expect_status 1 "a directory as output"
expect_err "is a directory" "directory message"
no_leftovers "$hostile" "failed writes" "keep.svg"

run "$NASVIEW" genotype nasnet-a --svg "$hostile/keep.svg"
expect_status 0 "replace an existing file"
grep -q "<svg" "$hostile/keep.svg" || fail "existing file not replaced"
no_leftovers "$hostile" "replacing a file" "keep.svg"

if [ -w /dev/full ]; then
    run "$NASVIEW" genotype nasnet-a --svg - >/dev/full
    "$NASVIEW" genotype nasnet-a --svg - >/dev/full 2>"$TMP/full.err"
    [ $? -eq 1 ] || fail "writing to a full stdout must fail"
    grep -q "cannot write to standard output" "$TMP/full.err" || fail "full stdout message: $(cat "$TMP/full.err")"
fi

# Graphviz plugins that cannot be found (as on a machine where libgvc6's
# plugins are missing): the message names the package.
mkdir -p "$TMP/noplugins"
GVBINDIR="$TMP/noplugins" run "$NASVIEW" genotype nasnet-a --svg "$hostile/np.svg"
expect_status 1 "missing plugins"
expect_err "install the Debian packages libgvc6 and graphviz" "missing plugins message"
[ -e "$hostile/np.svg" ] && fail "missing plugins left a file"

# The dot layout plugin alone, without the core plugins (svg): the layout
# works, the SVG renderer is reported missing, DOT still works.
gvlib="$(pkg-config --variable=libdir libgvc 2>/dev/null)/graphviz"
if [ -f "$gvlib/config6a" ] && [ -e "$gvlib/libgvplugin_dot_layout.so.6" ]; then
    mkdir -p "$TMP/dotonly"
    ln -s "$gvlib/libgvplugin_dot_layout.so.6" "$TMP/dotonly/"
    printf 'libgvplugin_dot_layout.so.6 dot_layout {\n\tlayout {\n\t\tdot 0\n\t}\n}\n' >"$TMP/dotonly/config6a"
    GVBINDIR="$TMP/dotonly" run "$NASVIEW" genotype nasnet-a --svg "$hostile/ns.svg"
    expect_status 1 "missing svg plugin"
    expect_err "svg renderer could not be loaded" "missing svg plugin message"
    expect_err "libgvc6" "missing svg plugin package"
    [ -e "$hostile/ns.svg" ] && fail "missing svg plugin left a file"
    GVBINDIR="$TMP/dotonly" run "$NASVIEW" genotype nasnet-a --dot "$hostile/ns.dot"
    expect_status 0 "dot without the svg plugin"
fi

# Titles and legends, read back with xmllint's XPath.
svg_xpath() { xmllint --xpath "$2" "$1" 2>/dev/null; }
NODES='//*[local-name()="g"][@class="node"]'
[ "$(svg_xpath "$out_dir/both.svg" "count($NODES[starts-with(*[local-name()='title'], 'legend_')])")" = 10 ] ||
    fail "genotype svg: no legend of 9 kinds and its caption"
for kind in "input h(i-1), h(i)" "unused input (dashed)" "identity, fact_reduce" \
    conv sep_conv pool "add, concat" output "stride 2 (/2)"; do
    [ "$(svg_xpath "$out_dir/both.svg" "count($NODES[*[local-name()='text']='$kind'])")" = 1 ] ||
        fail "genotype svg: legend lacks '$kind'"
done
# Each legend entry is drawn as the nodes it stands for: pool a hexagon
# (a 6-point polygon), sep_conv a box3d, in their fill colours.
# fill_of TEXT: the fill of the outline of the first node labelled TEXT;
# shape_of: its outline's element and number of points.
OUTLINE="*[@fill and local-name() != 'text'][1]"
fill_of() {
    svg_xpath "$out_dir/both.svg" \
        "string(($NODES[*[local-name()='text']='$1'])[1]/$OUTLINE/@fill)"
}
shape_of() {
    n="($NODES[*[local-name()='text']='$1'])[1]/$OUTLINE"
    echo "$(svg_xpath "$out_dir/both.svg" "local-name($n)")" \
        "$(svg_xpath "$out_dir/both.svg" "string($n/@points)" | wc -w)"
}
for pair in "pool avg_pool_3x3" "sep_conv sep_conv_3x3" "identity, fact_reduce identity" \
    "add, concat" "output output concat"; do
    case $pair in
    "add, concat") legend="add, concat" node="b0 add" ;;
    "identity, fact_reduce identity") legend="identity, fact_reduce" node=identity ;;
    "output output concat") legend=output node="output concat" ;;
    *) legend=${pair%% *} node=${pair#* } ;;
    esac
    [ -n "$(fill_of "$node")" ] && [ "$(fill_of "$legend")" = "$(fill_of "$node")" ] ||
        fail "legend's $legend colour '$(fill_of "$legend")', $node's '$(fill_of "$node")'"
    [ "$(shape_of "$legend")" = "$(shape_of "$node")" ] ||
        fail "legend's $legend drawn as '$(shape_of "$legend")', $node as '$(shape_of "$node")'"
done
[ "$(svg_xpath "$out_dir/both.svg" "string(//*[local-name()='g'][@class='graph']/*[local-name()='title'])")" = cell ] ||
    fail "an untitled picture got a title"

DB="$TMP/render.db"
"$BUILDDIR/tests/store_fill" "$DB" alpha 4 3 >/dev/null || fail "store_fill"
reward=$(sqlite3 "$DB" "SELECT printf('%.4f', reward) FROM samples WHERE idx = 2")
params=$(sqlite3 "$DB" "SELECT params FROM samples WHERE idx = 2")
want="search alpha (random, seed 3), sample #2: reward $reward, $params parameters"
run "$NASVIEW" export --db "$DB" alpha 2 --svg "$out_dir/s2.svg"
expect_status 0 "export svg"
xmllint --noout "$out_dir/s2.svg" || fail "export svg not well-formed"
got=$(svg_xpath "$out_dir/s2.svg" "string(//*[local-name()='g'][@class='graph']/*[local-name()='title'])")
[ "$got" = "$want" ] || fail "export svg <title>: '$got', expected '$want'"
got=$(svg_xpath "$out_dir/s2.svg" "string(//*[local-name()='g'][@class='graph']/*[local-name()='text'][1])")
[ "$got" = "$want" ] || fail "export svg caption: '$got', expected '$want'"
[ "$(svg_xpath "$out_dir/s2.svg" "count($NODES[starts-with(*[local-name()='title'], 'legend_')])")" = 10 ] ||
    fail "export svg: no legend"
run "$NASVIEW" export --db "$DB" alpha 2 --dot -
expect_out "label=\"$want\"" "export dot titled"
case "$out" in *legend*) fail "export dot has a legend" ;; esac

finish
