-- The criteria workbench's item analysis (issue 17): per criterion of $year after the shared
-- filters, how many agencies were assessed, their mean criterion %, the shares of them below
-- $threshold and at the maximum, the corrected item-total correlation (discrimination), whether the
-- criterion is in a redundant pair, one flag, and its mean and share below in $base_year (null when
-- there is no base year, or the criterion was not assessed then) with the change in points.
-- A null score is "not assessed" and left out of every number. The cut points are the caller's
-- ($saturated_share, $redundant_r, $hard_share, $discrimination_cut): options shown on the page.
with year_rows as (
    select * from filtered_scores([$year], $agency_types, $groups, $agency_codes, $categories)
),

base_rows as (
    select * from filtered_scores([$base_year], $agency_types, $groups, $agency_codes, $categories)
    where score is not null
),

-- each agency's total over its assessed criteria, within the same filters as its criterion rows
totals as (
    select agency_code, score, max_score
    from agency_total_pct([$year], $agency_types, $groups, $agency_codes, $categories)
),

assessed_rows as (
    select
        r.category,
        r.criterion,
        r.agency_code,
        r.score,
        r.max_score,
        score_pct(r.score, r.max_score) as pct,
        -- the total over the agency's other criteria: the criterion itself would inflate its own
        -- correlation; null for an agency assessed on this criterion only
        score_pct(t.score - r.score, nullif(t.max_score - r.max_score, 0)) as rest_pct
    from year_rows as r
    inner join totals as t using (agency_code)
    where r.score is not null
),

item_stats as (
    select
        criterion,
        count(*) as assessed,
        avg(pct) as mean_pct,
        100.0 * count(*) filter (where pct < $threshold) / count(*) as below_share,
        100.0 * count(*) filter (where score = max_score) / count(*) as ceiling_share,
        -- none among fewer than 10 agencies or without variance (macros/correlation.sql)
        correlation(pct, rest_pct) as discrimination
    from assessed_rows
    group by criterion
),

-- every pair of criteria over the agencies assessed on both (the same pairs as
-- redundant_pairs_by_year.sql, from the same macro)
pairs as (
    select a, b, r
    from criterion_pair_r([$year], $agency_types, $groups, $agency_codes, $categories)
),

-- each criterion's redundant partners with their r: the workbench reads its pairs list from here,
-- so the pairs (the costliest step: a self-join of the year's rows) are computed once
partners as (
    select criterion, list({'criterion': other, 'r': r} order by other) as partners
    from (
        select a as criterion, b as other, r from pairs where r >= $redundant_r
        union all
        select b, a, r from pairs where r >= $redundant_r
    )
    group by criterion
),

base_stats as (
    select
        criterion,
        avg(score_pct(score, max_score)) as base_mean_pct,
        100.0 * count(*) filter (where score_pct(score, max_score) < $threshold) / count(*) as base_below_share
    from base_rows
    group by criterion
),

-- every criterion of the year, also one nobody was assessed on (assessed 0, no numbers)
criteria as (
    select distinct category, criterion from year_rows
),

flagged as (
    select
        c.category,
        c.criterion,
        coalesce(s.assessed, 0) as assessed,
        s.mean_pct,
        s.below_share,
        s.ceiling_share,
        s.discrimination,
        p.partners is not null as redundant,
        p.partners
    from criteria as c
    left join item_stats as s using (criterion)
    left join partners as p using (criterion)
),

final as (
    select
        f.criterion,
        f.category,
        f.assessed,
        f.mean_pct,
        f.below_share,
        f.ceiling_share,
        f.discrimination,
        f.redundant,
        -- the first that applies; a null discrimination (too few agencies, no variance) is never "hard"
        case
            when f.ceiling_share >= $saturated_share then 'saturated'
            when f.redundant then 'redundant'
            when f.below_share >= $hard_share and f.discrimination >= $discrimination_cut then 'hard'
            when f.below_share >= $hard_share then 'unclear'
            else 'none'
        end as flag,
        b.base_mean_pct,
        b.base_below_share,
        f.mean_pct - b.base_mean_pct as delta_pts,
        f.partners
    from flagged as f
    left join base_stats as b using (criterion)
)

select * from final
order by category, criterion
