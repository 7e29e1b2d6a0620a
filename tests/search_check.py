#!/usr/bin/env python3
"""search_check.py - read a nasview database the way a person would (the
sqlite3 module, read-only) and check what `nasview search` promises.

  search_check.py DB consistent NAME...   every row of each search complete
                                          and consistent
  search_check.py DB same A B             searches A and B proposed and
                                          scored the same samples
  search_check.py DB wait NAME IDX STATUS wait (up to 60 s) until sample IDX
                                          or later trains and the search has
                                          STATUS ('any' for any status)
  search_check.py DB field NAME SQL       print one value of SQL with ? = id
"""
import json
import math
import sqlite3
import sys
import time


def connect(db):
    return sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)


def search_id(c, name):
    row = c.execute("SELECT id FROM searches WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise SystemExit("no search %r" % name)
    return row[0]


def consistent(c, name):
    sid = search_id(c, name)
    budget, status, done, best, best_idx = c.execute(
        "SELECT budget, status, samples_done, best_reward, best_idx "
        "FROM searches WHERE id = ?", (sid,)).fetchone()
    assert status == "done", (name, status)
    rows = c.execute("SELECT idx, genotype, hash, status, reward, params, "
                     "duplicate_of, seconds FROM samples WHERE search_id = ? "
                     "ORDER BY idx", (sid,)).fetchall()
    assert [r[0] for r in rows] == list(range(budget)), (name, rows)
    assert done == budget, (name, done, budget)
    by_idx = {r[0]: r for r in rows}
    for idx, geno, h, st, reward, params, dup, secs in rows:
        assert st in ("done", "diverged", "duplicate"), (name, idx, st)
        assert reward is not None and 0.0 <= reward <= 1.0, (name, idx, reward)
        assert geno.startswith("normal: ") and " | reduce: " in geno, geno
        assert len(h) == 16 and int(h, 16) >= 0, h
        assert params is not None and params > 0, (name, idx, params)
        if st == "duplicate":
            first = by_idx[dup]
            assert dup < idx and first[2] == h and first[3] != "duplicate"
            assert first[4] == reward, (name, idx)
        else:
            assert dup is None
            assert c.execute("SELECT count(*) FROM samples WHERE search_id = ? "
                             "AND hash = ? AND idx < ? AND status != "
                             "'duplicate'", (sid, h, idx)).fetchone()[0] == 0, \
                ("retrained a known architecture", name, idx)
            assert c.execute("SELECT count(*) FROM progress WHERE search_id = ? "
                             "AND sample_idx = ?", (sid, idx)).fetchone()[0] > 0, \
                ("no training curve", name, idx)
        dec = c.execute("SELECT step, cell, block, field, chosen, chosen_label, "
                        "probs FROM decisions WHERE search_id = ? AND "
                        "sample_idx = ? ORDER BY step", (sid, idx)).fetchall()
        assert [d[0] for d in dec] == list(range(50)), (name, idx, len(dec))
        for step, cell, block, field, chosen, label, probs in dec:
            p = json.loads(probs)
            kind = step % 5
            support = [2 + block, 2 + block, 13, 13, 2][kind]
            assert cell == ("normal" if step < 25 else "reduce")
            assert block == (step % 25) // 5
            assert field == ["in1", "in2", "op1", "op2", "comb"][kind]
            assert len(p) == support, (name, idx, step, p)
            assert abs(sum(p) - 1.0) < 1e-4, (name, idx, step, sum(p))
            assert all(x >= 0 for x in p)
            assert 0 <= chosen < support and p[chosen] > 0, (name, idx, step)
            assert label, (name, idx, step)
    rewards = [r[4] for r in rows]
    assert math.isclose(best, max(rewards)), (best, rewards)
    assert rewards[best_idx] == best and rewards.index(best) == best_idx
    after = c.execute("SELECT after_sample FROM strategy_state WHERE "
                      "search_id = ?", (sid,)).fetchall()
    assert after == [(budget - 1,)], (name, after)


def samples(c, name):
    return c.execute("SELECT idx, hash, status, reward, params FROM samples "
                     "WHERE search_id = ? ORDER BY idx",
                     (search_id(c, name),)).fetchall()


def main():
    db, what = sys.argv[1], sys.argv[2]
    if what == "consistent":
        c = connect(db)
        for name in sys.argv[3:]:
            consistent(c, name)
    elif what == "same":
        c = connect(db)
        a, b = samples(c, sys.argv[3]), samples(c, sys.argv[4])
        if a != b:
            raise SystemExit("different samples:\n%s\n%s" % (a, b))
    elif what == "wait":
        name, idx, status = sys.argv[3], int(sys.argv[4]), sys.argv[5]
        for _ in range(3000):
            try:
                c = connect(db)
                row = c.execute(
                    "SELECT s.status, (SELECT max(sample_idx) FROM progress p "
                    "WHERE p.search_id = s.id) FROM searches s WHERE name = ?",
                    (name,)).fetchone()
                c.close()
                if row and row[1] is not None and row[1] >= idx and \
                        (status == "any" or row[0] == status):
                    return
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        raise SystemExit("timed out waiting for %s sample %d %s"
                         % (name, idx, status))
    elif what == "field":
        c = connect(db)
        print(c.execute(sys.argv[4], (search_id(c, sys.argv[3]),)).fetchone()[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
