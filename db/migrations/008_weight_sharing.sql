-- db/migrations/005_weight_sharing.sql - searches whose rewards are
-- measured with shared weights (ENAS, Pham et al. 2018; SPEC.md section
-- 5): what kind of reward a search's samples hold ('standalone': each
-- child trained on its own; 'shared': one validation batch through the
-- search's shared weights), its rounds (shared-weight training steps and
-- architectures evaluated per round, architectures of each half of the
-- fidelity panel), the checkpoint of its shared weights and their
-- optimiser state, written at each phase boundary, and the panel: some of
-- its architectures trained stand-alone at the end, so that the rank
-- correlation of shared-weight and stand-alone rewards can be measured.
-- Searches made before this migration are stand-alone.

ALTER TABLE searches ADD COLUMN reward_kind TEXT NOT NULL DEFAULT 'standalone'
    CHECK (reward_kind IN ('standalone', 'shared'));
ALTER TABLE searches ADD COLUMN ws_steps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE searches ADD COLUMN ws_samples INTEGER NOT NULL DEFAULT 0;
ALTER TABLE searches ADD COLUMN ws_panel INTEGER NOT NULL DEFAULT 0;

CREATE TABLE shared_weights (
    search_id   INTEGER PRIMARY KEY REFERENCES searches(id) ON DELETE CASCADE,
    rounds      INTEGER NOT NULL,          -- shared-weight phases trained
    state       BLOB NOT NULL,             -- supernet snapshot
    created     INTEGER NOT NULL
);

CREATE TABLE panel (
    search_id   INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    sample_idx  INTEGER NOT NULL,          -- the sample trained again
    pick        TEXT NOT NULL CHECK (pick IN ('top', 'random')),
    shared_reward REAL,                    -- its shared-weight reward
    reward      REAL,                      -- stand-alone validation accuracy
    status      TEXT NOT NULL,             -- done, diverged
    params      INTEGER,
    seconds     REAL,
    finished    INTEGER NOT NULL,
    PRIMARY KEY (search_id, sample_idx)
);
