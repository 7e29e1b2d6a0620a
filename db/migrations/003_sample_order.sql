-- db/migrations/003_sample_order.sql - indexes that serve the sample pages
-- of the UI and `nasview show` in order, without sorting the whole search:
-- best first (unknown rewards as -1, ties by idx), and by size.

DROP INDEX IF EXISTS samples_by_reward;
CREATE INDEX samples_by_reward_desc
    ON samples(search_id, coalesce(reward, -1.0) DESC, idx);
CREATE INDEX samples_by_params
    ON samples(search_id, coalesce(params, -1), idx);
