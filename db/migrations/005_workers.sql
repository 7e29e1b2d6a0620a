-- db/migrations/005_workers.sql - how many children the process running a
-- search trains at once (worker processes or MPI ranks; 1 in-process),
-- written when a run starts or resumes.  Searches made before it say 1:
-- they trained one child at a time.  Several children of a search train at
-- once, each writing its own progress rows: the newest row of every
-- running sample is one line of the live view.

ALTER TABLE searches ADD COLUMN workers INTEGER NOT NULL DEFAULT 1;
