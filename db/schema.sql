-- db/schema.sql - the nasview database, schema version 1.
--
-- Compiled into the binary (see db/embed.awk); a new file gets this script
-- and then every db/migrations/NNN_*.sql in order, each in the same
-- transaction, and PRAGMA user_version ends at the highest NNN.
-- Never edit this file once released: change the schema with a migration.
--
-- Conventions: times are unix seconds (UTC); names are readable; a NULL
-- number means "not known yet" (a child still training, or interrupted).

-- One row per search: a strategy, a seed, a budget and proxy settings.
CREATE TABLE searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    strategy    TEXT NOT NULL,             -- 'rl', 'random', 'evolution'
    seed        INTEGER NOT NULL,          -- the one seed of everything
    budget      INTEGER NOT NULL,          -- children to train
    dataset     TEXT NOT NULL,             -- 'fashion-mnist', 'cifar10:DIR', DIR
    F           INTEGER NOT NULL,          -- filters of the first stack
    N           INTEGER NOT NULL,          -- normal cells per stack
    epochs      INTEGER NOT NULL,
    train_size  INTEGER NOT NULL,          -- images in the train subset
    val_size    INTEGER NOT NULL,          -- images in the validation subset
    batch       INTEGER NOT NULL,
    lr          REAL NOT NULL,             -- child learning rate
    threads     INTEGER NOT NULL,          -- OpenBLAS threads
    retrain_duplicates INTEGER NOT NULL DEFAULT 0,
    settings    TEXT NOT NULL DEFAULT '{}', -- JSON: every setting, with the
                                            -- strategy's in "strategy_params"
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'paused', 'done',
                                  'interrupted', 'failed')),
    pid         INTEGER,                   -- process writing it
    host        TEXT,                      -- host name of that process
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    finished    INTEGER,
    version     TEXT NOT NULL,             -- nasview version that created it
    message     TEXT,                      -- why it stopped or failed
    samples_done INTEGER NOT NULL DEFAULT 0, -- samples with a reward (kept
    best_reward REAL,                        -- up to date with every finished
    best_idx    INTEGER                      -- sample, ties: earliest idx)
);

-- One row per child network a search proposed.  The row and its 50
-- decisions are written in one transaction when training starts; the
-- result is filled in when it ends.
CREATE TABLE samples (
    search_id   INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,          -- 0, 1, 2, ... in proposal order
    genotype    TEXT NOT NULL,             -- canonical text form
    hash        TEXT NOT NULL,             -- 16 hex digits, FNV-1a of genotype
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'diverged', 'duplicate',
                                  'interrupted', 'failed')),
    reward      REAL,                      -- validation accuracy in [0, 1]
    train_loss  REAL,                      -- mean loss of the last epoch
    params      INTEGER,                   -- trainable parameters
    mult_adds   INTEGER,                   -- per image, forward pass
    seconds     REAL,                      -- training + evaluation wall time
    duplicate_of INTEGER,                  -- idx whose reward was reused
    log_prob    REAL,                      -- sum of the 50 log-probabilities
    entropy     REAL,                      -- sum of the 50 entropies (nats)
    created     INTEGER NOT NULL,
    finished    INTEGER,
    message     TEXT,
    PRIMARY KEY (search_id, idx)
) WITHOUT ROWID;

CREATE INDEX samples_by_hash ON samples(search_id, hash);
CREATE INDEX samples_by_reward ON samples(search_id, reward);

-- The 50 decisions of a sample, in the order the controller makes them.
CREATE TABLE decisions (
    search_id   INTEGER NOT NULL,
    sample_idx  INTEGER NOT NULL,
    step        INTEGER NOT NULL CHECK (step BETWEEN 0 AND 49),
    cell        TEXT NOT NULL CHECK (cell IN ('normal', 'reduce')),
    block       INTEGER NOT NULL CHECK (block BETWEEN 0 AND 4),
    field       TEXT NOT NULL CHECK (field IN ('in1', 'in2', 'op1', 'op2',
                                               'comb')),
    chosen      INTEGER NOT NULL,          -- value index
    chosen_label TEXT NOT NULL,            -- 'h(i)', 'b2', 'sep_conv_3x3', 'add'
    probs       TEXT NOT NULL,             -- JSON array, one probability per
                                           -- value of the support, in index order
    PRIMARY KEY (search_id, sample_idx, step),
    FOREIGN KEY (search_id, sample_idx) REFERENCES samples(search_id, idx)
        ON DELETE CASCADE
) WITHOUT ROWID;

-- Training progress of children: points written about once a second while
-- a child trains and at the end of every epoch.  The last row of a running
-- sample is its live state; all rows of a sample are its training curve.
CREATE TABLE progress (
    id          INTEGER PRIMARY KEY,
    search_id   INTEGER NOT NULL,
    sample_idx  INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,          -- 0-based epoch running
    epochs      INTEGER NOT NULL,
    step        INTEGER NOT NULL,          -- optimiser steps done
    steps       INTEGER NOT NULL,          -- total steps
    loss        REAL,                      -- moving average training loss
    acc         REAL,                      -- moving average batch accuracy
    images_per_s REAL,
    elapsed_s   REAL,
    eta_s       REAL,
    evaluating  INTEGER NOT NULL DEFAULT 0, -- 1 during the validation pass
    epoch_end   INTEGER NOT NULL DEFAULT 0, -- 1 for the last point of an epoch
    time        INTEGER NOT NULL,
    FOREIGN KEY (search_id, sample_idx) REFERENCES samples(search_id, idx)
        ON DELETE CASCADE
);

CREATE INDEX progress_by_sample ON progress(search_id, sample_idx, id);

-- The strategy's complete state (controller weights, Adam moments, baseline,
-- population, RNG) after it observed sample after_sample (-1: before the
-- first proposal).  Only the latest snapshot of a search is kept.
CREATE TABLE strategy_state (
    search_id   INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    after_sample INTEGER NOT NULL,
    state       BLOB NOT NULL,
    created     INTEGER NOT NULL,
    PRIMARY KEY (search_id, after_sample)
);

PRAGMA application_id = 1312904022; -- 0x4E415356, "NASV"
PRAGMA user_version = 1;
