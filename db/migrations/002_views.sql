-- db/migrations/002_views.sql - views for the questions people ask most.

-- The best sample of every search (ties: the earliest).
CREATE VIEW best_per_search AS
SELECT s.id AS search_id, s.name, s.strategy, s.seed, x.idx, x.reward,
       x.params, x.genotype
FROM searches s
JOIN samples x ON x.search_id = s.id
WHERE x.idx = (SELECT y.idx FROM samples y
               WHERE y.search_id = s.id AND y.reward IS NOT NULL
               ORDER BY y.reward DESC, y.idx ASC LIMIT 1);

-- Per search: samples finished, best and mean reward, duplicates, time.
CREATE VIEW search_summary AS
SELECT s.id AS search_id, s.name, s.strategy, s.seed, s.budget, s.status,
       count(x.idx) FILTER (WHERE x.status IN ('done', 'diverged',
                                               'duplicate')) AS samples_done,
       max(x.reward) AS best_reward,
       avg(x.reward) AS mean_reward,
       count(x.idx) FILTER (WHERE x.status = 'duplicate') AS duplicates,
       count(x.idx) FILTER (WHERE x.status = 'diverged') AS diverged,
       sum(x.seconds) AS train_seconds
FROM searches s
LEFT JOIN samples x ON x.search_id = s.id
GROUP BY s.id;

-- Per strategy: how many searches, their best rewards on average.
CREATE VIEW strategy_summary AS
SELECT strategy, count(*) AS searches, sum(samples_done) AS samples,
       avg(best_reward) AS mean_best_reward, max(best_reward) AS best_reward
FROM search_summary
GROUP BY strategy;

-- Architectures trained more than once within a search.
CREATE VIEW duplicates AS
SELECT search_id, hash, count(*) AS times, min(idx) AS first_idx,
       group_concat(idx) AS idxs
FROM samples
GROUP BY search_id, hash
HAVING count(*) > 1;
