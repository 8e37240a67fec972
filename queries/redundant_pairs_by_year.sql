-- Pairs of criteria of $year that measure the same thing (issue 17): their criterion % correlate at
-- r >= $redundant_r across the agencies assessed on both, after the shared filters. One row per
-- pair, a before b in code order. The issue sets no minimum for pairs: they take discrimination's
-- rule (criterion_item_stats_by_year.sql), no r among fewer than 10 agencies or without variance,
-- so that a handful of agencies cannot make two criteria look the same.
with assessed_rows as (
    select agency_code, criterion, score_pct(score, max_score) as pct
    from filtered_scores([$year], $agency_types, $groups, $agency_codes, $categories)
    where score is not null
),

pairs as (
    select
        a.criterion as a,
        b.criterion as b,
        -- DuckDB's corr gives NaN without variance: no r then
        case
            when regr_count(a.pct, b.pct) >= 10 and regr_sxx(a.pct, b.pct) > 0 and regr_syy(a.pct, b.pct) > 0
                then corr(a.pct, b.pct)
        end as r
    from assessed_rows as a
    inner join assessed_rows as b on a.agency_code = b.agency_code and a.criterion < b.criterion
    group by a.criterion, b.criterion
),

final as (
    select a, b, r
    from pairs
    where r >= $redundant_r
)

select * from final
order by a, b
