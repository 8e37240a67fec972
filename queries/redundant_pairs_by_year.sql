-- Pairs of criteria of $year that measure the same thing (issue 17): their criterion % correlate at
-- r >= $redundant_r across the agencies assessed on both, after the shared filters. One row per
-- pair, a before b in code order. The issue sets no minimum for pairs: they take discrimination's
-- rule (criterion_item_stats_by_year.sql), no r among fewer than 10 agencies or without variance,
-- so that a handful of agencies cannot make two criteria look the same.
with pairs as (
    select a, b, r
    from criterion_pair_r([$year], $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select a, b, r
    from pairs
    where r >= $redundant_r
)

select * from final
order by a, b
