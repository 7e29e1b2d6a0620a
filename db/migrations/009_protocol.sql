-- db/migrations/009_protocol.sql - what a comparison of searches needs to
-- know about how each was run (issue 18, "an honest protocol").
--
-- streams: how the seed became the search's random streams: 'common' (from
-- the seed alone: searches of different strategies with one seed share
-- their numbers, common random numbers) or 'independent' (from a seed
-- derived from the seed and the strategy).  Searches made before this
-- migration drew common streams, so they say 'common' and resume as they
-- began.  nasview compare pairs common searches by seed (Wilcoxon
-- signed-rank) and tests independent ones unpaired (Mann-Whitney).
--
-- space_version: the version of the search space (the cells' decisions
-- and operations, genotype.h GENO_SPACE_VERSION) the search sampled from;
-- every search before this migration used version 1.
--
-- search_env: the environment a search was created in, one row per search
-- made after this migration (none for older ones): nasview's version and
-- source revision, the compiler, the BLAS library's own description, the
-- CPU model and online cores, the workers and BLAS threads it was started
-- with, and the 1, 5 and 15 minute load averages when it started.  Text
-- nasview could not learn is ''; a load it could not read is NULL.

ALTER TABLE searches ADD COLUMN streams TEXT NOT NULL DEFAULT 'common'
    CHECK (streams IN ('common', 'independent'));
ALTER TABLE searches ADD COLUMN space_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE search_env (
    search_id   INTEGER PRIMARY KEY REFERENCES searches(id) ON DELETE CASCADE,
    version     TEXT NOT NULL,             -- PACKAGE_VERSION
    revision    TEXT NOT NULL,             -- git describe at build time
    compiler    TEXT NOT NULL,             -- __VERSION__
    blas        TEXT NOT NULL,             -- openblas_get_config()
    cpu         TEXT NOT NULL,             -- /proc/cpuinfo model name
    cores       INTEGER NOT NULL,          -- online processors
    workers     INTEGER NOT NULL,          -- children trained at once
    threads     INTEGER NOT NULL,          -- BLAS threads per child
    load1       REAL,                      -- load averages at the start
    load5       REAL,
    load15      REAL,
    recorded    INTEGER NOT NULL           -- unix seconds
);
