-- proposal_levels(year, agency_types, groups, agency_codes, criteria, indicator_agencies,
-- indicator_names, indicator_values, cutoffs): each agency of `year` after the shared filters with
-- its total % and status level now (the year's scheme, agency_total_level) and under the proposal
-- (proposal_scores; `cutoffs` is every level of the year, each {level, level_rank, min_pct}, with the
-- proposal's cut-offs in place of the year's). The proposed total % = 100 × Σ proposed scores /
-- Σ proposed maxima over the agency's assessed criteria; its level is the highest whose cut-off it
-- reaches. 'below' is a total under the lowest cut-off; an agency the proposal leaves with no
-- assessed criterion has no proposed total and no level (null).
create macro proposal_levels(
    year, agency_types, groups, agency_codes, criteria, indicator_agencies, indicator_names, indicator_values, cutoffs
) as table
with current_levels as (
    select agency_code, pct as current_pct, coalesce(level, 'below') as current_level, coalesce(level_rank, 0) as current_rank
    from agency_total_level([year], agency_types, groups, agency_codes, [])
),

proposed_totals as (
    select agency_code, score_pct(sum(score), sum(max_score)) as proposed_pct
    from proposal_scores(
        year, agency_types, groups, agency_codes, criteria, indicator_agencies, indicator_names, indicator_values
    )
    where score is not null
    group by agency_code
),

proposed_cutoffs as (
    select unnest(cutoffs, recursive := true)
),

reached as (
    select t.agency_code, c.level, c.level_rank
    from proposed_totals as t
    -- rounded: a rescaled score such as 0.7 × 20 is 14.000000000000002 in floating point, and a
    -- total that is exactly a cut-off by hand must reach it
    inner join proposed_cutoffs as c on round(t.proposed_pct, 9) >= c.min_pct
    qualify row_number() over (partition by t.agency_code order by c.min_pct desc) = 1
)

select
    c.agency_code,
    c.current_pct,
    c.current_level,
    c.current_rank,
    t.proposed_pct,
    case when t.proposed_pct is not null then coalesce(r.level, 'below') end as proposed_level,
    case when t.proposed_pct is not null then coalesce(r.level_rank, 0) end as proposed_rank
from current_levels as c
left join proposed_totals as t using (agency_code)
left join reached as r using (agency_code)
