-- Per fiscal year, agency type and pair of criteria: the sums that give the pair's correlation across
-- every agency (macros/pair_sums.sql). Sums add up, so the workbench's pairs for any year, type and
-- category filter are a few thousand of these rows summed (macros/criterion_pair_r.sql) instead of a
-- self-join of the year's rows (~7 M rows at 8,000 agencies) on every cleared page cache.
select *
from pair_sums([], [], [], [], [])
order by fiscal_year, a, b
