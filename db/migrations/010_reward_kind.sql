-- db/migrations/010_reward_kind.sql - zero-cost rewards.
--
-- What a search's rewards measure (`nasview search --reward`): 'accuracy'
-- (each child trained and scored on the validation subset, as every
-- search before this migration) or a score at initialisation that is not
-- an accuracy: 'naswot', 'synflow' (its natural logarithm), 'params',
-- 'mult_adds' (src/train/zerocost.h).  The column is reward_metric because
-- reward_kind (migration 008) already says how an accuracy reward is
-- measured (stand-alone or with shared weights).
ALTER TABLE searches ADD COLUMN reward_metric TEXT NOT NULL DEFAULT 'accuracy'
    CHECK (reward_metric IN ('accuracy', 'naswot', 'synflow', 'params',
                             'mult_adds'));

-- Fidelity panels may score synflow.  SQLite cannot edit a CHECK, so the
-- levels table is rebuilt with the wider one, and the results table (its
-- foreign keys point at the levels) with it: copied, the old ones dropped
-- (results first, so dropping the levels deletes nothing), the new ones
-- renamed into place (renaming rewrites the results' reference).
CREATE TABLE fidelity_levels_new (
    panel_id INTEGER NOT NULL REFERENCES fidelity_panels(id)
                     ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    name     TEXT NOT NULL,
    score    TEXT NOT NULL CHECK (score IN ('val_acc', 'params',
                     'mult_adds', 'naswot', 'synflow')),
    spec     TEXT NOT NULL,
    PRIMARY KEY (panel_id, idx),
    UNIQUE (panel_id, name)
);
INSERT INTO fidelity_levels_new (panel_id, idx, name, score, spec)
    SELECT panel_id, idx, name, score, spec FROM fidelity_levels;

CREATE TABLE fidelity_results_new (
    panel_id   INTEGER NOT NULL,
    member_idx INTEGER NOT NULL,
    level_idx  INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('done', 'diverged',
                     'failed')),
    score      REAL,
    seconds    REAL NOT NULL,
    params     INTEGER,
    mult_adds  INTEGER,
    message    TEXT NOT NULL DEFAULT '',
    finished   INTEGER NOT NULL,
    PRIMARY KEY (panel_id, member_idx, level_idx),
    FOREIGN KEY (panel_id, member_idx)
        REFERENCES fidelity_members(panel_id, idx) ON DELETE CASCADE,
    FOREIGN KEY (panel_id, level_idx)
        REFERENCES fidelity_levels_new(panel_id, idx) ON DELETE CASCADE
);
INSERT INTO fidelity_results_new
    SELECT panel_id, member_idx, level_idx, status, score, seconds, params,
           mult_adds, message, finished FROM fidelity_results;

DROP TABLE fidelity_results;
DROP TABLE fidelity_levels;
ALTER TABLE fidelity_levels_new RENAME TO fidelity_levels;
ALTER TABLE fidelity_results_new RENAME TO fidelity_results;
