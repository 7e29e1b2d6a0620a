-- db/migrations/005_weight_sharing.sql - searches whose rewards are
-- measured with shared weights (ENAS, Pham et al. 2018; SPEC.md section
-- 5): what kind of reward a search's samples hold ('standalone': each
-- child trained on its own; 'shared': one validation batch through the
-- search's shared weights), its rounds (shared-weight training steps and
-- architectures evaluated per round), and the checkpoint of its shared
-- weights and their optimiser state, written at each phase boundary.
-- Searches made before this migration are stand-alone.

ALTER TABLE searches ADD COLUMN reward_kind TEXT NOT NULL DEFAULT 'standalone'
    CHECK (reward_kind IN ('standalone', 'shared'));
ALTER TABLE searches ADD COLUMN ws_steps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE searches ADD COLUMN ws_samples INTEGER NOT NULL DEFAULT 0;

CREATE TABLE shared_weights (
    search_id   INTEGER PRIMARY KEY REFERENCES searches(id) ON DELETE CASCADE,
    rounds      INTEGER NOT NULL,          -- shared-weight phases trained
    state       BLOB NOT NULL,             -- supernet snapshot
    created     INTEGER NOT NULL
);
