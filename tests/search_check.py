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
  search_check.py DB waitdone NAME K STATUS  wait until K samples are
                                          done and the search has STATUS
  search_check.py DB waitpanel NAME K STATUS  wait until K panel results
                                          are stored and the search has
                                          STATUS
  search_check.py DB sameweights A B      the shared-weight checkpoints of
                                          A and B hold the same rounds and
                                          tensors (values and momentum)
  search_check.py DB field NAME SQL       print one value of SQL with ? = id
"""
import json
import math
import sqlite3
import struct
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
    budget, status, done, best, best_idx, kind, ws_samples = c.execute(
        "SELECT budget, status, samples_done, best_reward, best_idx, "
        "reward_kind, ws_samples FROM searches WHERE id = ?",
        (sid,)).fetchone()
    shared = kind == "shared"
    if shared:
        # weight sharing: every round's shared weights were checkpointed
        rounds = c.execute("SELECT rounds FROM shared_weights WHERE "
                           "search_id = ?", (sid,)).fetchone()
        assert rounds == (-(-budget // ws_samples),), (name, rounds)
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
        elif shared:
            # scored on one batch with the shared weights: no curve, and a
            # known architecture is scored again (the weights moved on)
            assert dup is None and st == "done", (name, idx, st)
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


def shared_tensors(c, name):
    """The checkpoint of a weight-sharing search as (rounds, {key: bytes})
    (supernet.c's snapshot: magic, version, shape, seed, count, then key,
    size, values and momentum per tensor)."""
    rounds, blob = c.execute("SELECT rounds, state FROM shared_weights WHERE "
                             "search_id = ?", (search_id(c, name),)).fetchone()
    magic, version = struct.unpack_from("<II", blob, 0)
    assert magic == 0x4e53564e and version == 1, (magic, version)
    (count,) = struct.unpack_from("<Q", blob, 40)
    off, tensors = 48, {}
    for _ in range(count):
        key, n = struct.unpack_from("<QQ", blob, off)
        off += 16
        tensors[key] = blob[off:off + 8 * n]
        off += 8 * n
    assert off == len(blob), (off, len(blob))
    return rounds, tensors


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
    elif what == "sameweights":
        c = connect(db)
        a, b = shared_tensors(c, sys.argv[3]), shared_tensors(c, sys.argv[4])
        if a[0] != b[0]:
            raise SystemExit("shared-weight checkpoints of %d and %d rounds"
                             % (a[0], b[0]))
        # a tensor made only for scoring (never trained: zero momentum) may
        # be in one checkpoint only; it holds its initial values, which a
        # resumed search makes again when it needs them
        for x, y in ((a[1], b[1]), (b[1], a[1])):
            for k in x.keys() - y.keys():
                m = x[k][len(x[k]) // 2:]
                if m != bytes(len(m)):
                    raise SystemExit("trained tensor %x in one checkpoint "
                                     "only" % k)
        bad = [k for k in a[1].keys() & b[1].keys() if a[1][k] != b[1][k]]
        if bad:
            raise SystemExit("%d of %d shared tensors differ"
                             % (len(bad), len(a[1])))
    elif what in ("waitdone", "waitpanel"):
        name, k, status = sys.argv[3], int(sys.argv[4]), sys.argv[5]
        count = ("SELECT count(*) FROM samples x WHERE x.search_id = s.id "
                 "AND x.status = 'done'") if what == "waitdone" else \
            "SELECT count(*) FROM panel x WHERE x.search_id = s.id"
        for _ in range(3000):
            try:
                c = connect(db)
                row = c.execute(
                    "SELECT s.status, (%s) FROM searches s WHERE name = ?"
                    % count, (name,)).fetchone()
                c.close()
                if row and row[1] >= k and \
                        (status == "any" or row[0] == status):
                    return
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        raise SystemExit("timed out waiting for %s: %d %s, %s"
                         % (name, k, what, status))
    elif what == "field":
        c = connect(db)
        print(c.execute(sys.argv[4], (search_id(c, sys.argv[3]),)).fetchone()[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
