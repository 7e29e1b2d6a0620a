-- db/migrations/004_bn_recalibrate.sql - whether a search recalibrates the
-- batch-norm statistics of every child before scoring it (SPEC.md section
-- 3).  Searches made before this rule did not: they keep 0, and a resumed
-- one goes on without; nasview writes 1 for a new search unless told
-- --bn-recalibrate off.

ALTER TABLE searches ADD COLUMN bn_recalibrate INTEGER NOT NULL DEFAULT 0;
