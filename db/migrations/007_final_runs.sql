-- db/migrations/005_final_runs.sql - final training runs: a sample's cell
-- trained again at full scale (`nasview train --from SEARCH[:SAMPLE]`),
-- with its settings, its curve per epoch, its test accuracy, its time and
-- where its weights are.  A search's samples never change; a run only
-- points at one of them.  Written once, when the run ends (finished,
-- diverged or interrupted); a run killed outright leaves no row, and a
-- resumed one (--resume) writes its row when it ends.

CREATE TABLE final_runs (
    id          INTEGER PRIMARY KEY,
    search_id   INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    sample_idx  INTEGER NOT NULL,          -- the sample whose cell it trains
    genotype    TEXT NOT NULL,             -- canonical text (the sample's)
    hash        TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    F           INTEGER NOT NULL,
    N           INTEGER NOT NULL,
    epochs      INTEGER NOT NULL,
    batch       INTEGER NOT NULL,
    lr          REAL NOT NULL,
    seed        INTEGER NOT NULL,
    threads     INTEGER NOT NULL,
    train_size  INTEGER NOT NULL,          -- images trained on
    val_size    INTEGER NOT NULL,          -- 0: no validation subset
    settings    TEXT NOT NULL DEFAULT '{}', -- JSON: every setting, with the
                                            -- regularisers
    status      TEXT NOT NULL
                CHECK (status IN ('done', 'diverged', 'interrupted')),
    epochs_done INTEGER NOT NULL,
    val_acc     REAL,                      -- NULL without validation
    test_acc    REAL,                      -- NULL without --test
    train_loss  REAL,                      -- mean over the last epoch
    params      INTEGER NOT NULL,
    seconds     REAL NOT NULL,             -- all sessions together
    weights     TEXT,                      -- --save file, or NULL
    checkpoint  TEXT,                      -- --checkpoint file, or NULL
    created     INTEGER NOT NULL,          -- unix seconds, when written
    version     TEXT NOT NULL              -- nasview version
);
CREATE INDEX final_runs_sample ON final_runs (search_id, sample_idx);

-- One row per finished epoch of a final run.
CREATE TABLE final_run_epochs (
    run_id      INTEGER NOT NULL REFERENCES final_runs(id) ON DELETE CASCADE,
    epoch       INTEGER NOT NULL,          -- 1-based
    train_loss  REAL,
    val_acc     REAL,                      -- NULL when not scored
    test_acc    REAL,
    seconds     REAL NOT NULL,             -- since the run began
    PRIMARY KEY (run_id, epoch)
);
