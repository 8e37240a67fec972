-- Per fiscal year, agency type and pair of criteria: the sums that give the pair's correlation across
-- every agency (macros/pair_sums.sql). Sums add up, so the workbench's pairs for any year, type and
-- category filter are a few thousand of these rows summed (macros/criterion_pair_r.sql) instead of a
-- self-join of the year's rows (~7 M rows at 8,000 agencies) on every cleared page cache.
-- The build makes it a year at a time (db._keep_by_year sets kept_years to each year in turn: one
-- year's self-join fits in the build's memory, every year's spilled); unset, as where a scoped
-- cursor reads this select again (access/scoped_aggregate.sql), it is every year at once.
select *
from pair_sums(coalesce(getvariable('kept_years'), []), [], [], [], [])
order by fiscal_year, a, b
