-- db/migrations/005_fidelity.sql - fidelity panels (`nasview fidelity`):
-- a fixed set of architectures, each scored at several fidelities (proxy
-- settings, or zero-cost scores at initialisation), so that how well a
-- cheap score ranks architectures the way the reference one does can be
-- measured, extended, resumed and reported later.  A result row is
-- written in one transaction when its child has finished; a killed run
-- leaves no partial rows, and running the panel again computes only what
-- is missing.

CREATE TABLE fidelity_panels (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    seed     INTEGER NOT NULL,  -- random draws, data split, weight init
    created  INTEGER NOT NULL,  -- unix seconds
    updated  INTEGER NOT NULL,
    version  TEXT NOT NULL      -- nasview version that created it
);

-- The architectures, in the order they joined the panel.
CREATE TABLE fidelity_members (
    panel_id INTEGER NOT NULL REFERENCES fidelity_panels(id)
                     ON DELETE CASCADE,
    idx      INTEGER NOT NULL,  -- 0-based
    source   TEXT NOT NULL,     -- 'random:J' (J-th seeded draw),
                                -- 'nasnet-a', 'search:NAME:IDX'
    genotype TEXT NOT NULL,     -- canonical text
    hash     TEXT NOT NULL,     -- 16 hex digits
    PRIMARY KEY (panel_id, idx)
);

-- The fidelities, in the order they were defined; the first is the
-- default reference.
CREATE TABLE fidelity_levels (
    panel_id INTEGER NOT NULL REFERENCES fidelity_panels(id)
                     ON DELETE CASCADE,
    idx      INTEGER NOT NULL,  -- 0-based
    name     TEXT NOT NULL,
    score    TEXT NOT NULL CHECK (score IN ('val_acc', 'params',
                     'mult_adds', 'naswot')),
    spec     TEXT NOT NULL,     -- every setting, 'dataset=D,train=N,...'
    PRIMARY KEY (panel_id, idx),
    UNIQUE (panel_id, name)
);

-- One score of one member at one fidelity.
CREATE TABLE fidelity_results (
    panel_id   INTEGER NOT NULL,
    member_idx INTEGER NOT NULL,
    level_idx  INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('done', 'diverged',
                     'failed')),
    score      REAL,            -- diverged: 0; failed: NULL
    seconds    REAL NOT NULL,   -- wall time of this child at this fidelity
    params     INTEGER,
    mult_adds  INTEGER,
    message    TEXT NOT NULL DEFAULT '',
    finished   INTEGER NOT NULL,
    PRIMARY KEY (panel_id, member_idx, level_idx),
    FOREIGN KEY (panel_id, member_idx)
        REFERENCES fidelity_members(panel_id, idx) ON DELETE CASCADE,
    FOREIGN KEY (panel_id, level_idx)
        REFERENCES fidelity_levels(panel_id, idx) ON DELETE CASCADE
);
