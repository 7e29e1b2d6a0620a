#!/usr/bin/env python3
"""help_layout.py - check one captured page of nasview's help screen (on
standard input): every key line keeps its key text apart from its
description.  Keys start in column 3; descriptions start in one column D
shared by every line of the page, with at least two blanks before it; a
line may hold only a key part (the key wraps) or only a description part
(the description wraps).  Exits 1 with the offending lines otherwise.

    help_layout.py [KEYFILE] < PAGE    check PAGE; append its key texts
                                       (one per line) to KEYFILE
    help_layout.py --expect KEYFILE KEY...
        exit 1 naming each KEY that is not a whole item (between spaces,
        commas and slashes) of a key text in KEYFILE"""
import re
import sys

if len(sys.argv) > 2 and sys.argv[1] == "--expect":
    text = open(sys.argv[2]).read()
    missing = [k for k in sys.argv[3:]
               if not re.search(r"(^|[ ,/])" + re.escape(k) + r"($|[ ,/])",
                                text, re.M)]
    for k in missing:
        print("help lists no key '%s'" % k)
    sys.exit(1 if missing else 0)

lines = sys.stdin.read().split("\n")
# Item lines: three blanks, then text (titles and notes start in column 1,
# the hint bar in column 0).
items = [l.rstrip() for l in lines
         if len(l) > 3 and l.startswith("   ") and l.strip()]
if not items:
    print("no key lines on the help page")
    sys.exit(1)


def fits(d, line):
    if len(line) <= d:          # a key part alone (the key wraps)
        return line[3] != " " and (len(line) <= d - 2 or
                                   line[d - 2:d].strip() == "")
    if line[d] == " ":
        return False
    if line[:d].strip() == "":  # a description part alone
        return True
    return line[3] != " " and line[d - 2:d] == "  "


width = max(len(l) for l in items)
good = [d for d in range(6, width + 1) if all(fits(d, l) for l in items)]
if not good:
    print("no description column D fits every line; a key runs into its "
          "description:")
    for l in items:
        print("  |" + l)
    sys.exit(1)
if len(sys.argv) > 1:
    with open(sys.argv[1], "a") as f:
        for l in items:
            k = l[:good[0] - 2].strip()
            if k:
                f.write(k + "\n")
