-- The drill-through of a criterion (issue 17): the agencies of $year, after the shared filters,
-- whose criterion % on $criterion is below $threshold, the lowest first, with their latest name,
-- type and group, their criterion % in $base_year (null when there is none or they were not
-- assessed then) and their total % in $year over all their assessed criteria. An agency not
-- assessed on the criterion is not below it: it is not listed.
with criterion_rows as (
    select agency_code, score, max_score, score_pct(score, max_score) as pct
    from filtered_scores([$year], $agency_types, $groups, $agency_codes, $categories)
    where criterion = $criterion and score is not null
),

base_rows as (
    select agency_code, score_pct(score, max_score) as base_pct
    from filtered_scores([$base_year], $agency_types, $groups, $agency_codes, $categories)
    where criterion = $criterion and score is not null
),

totals as (
    select agency_code, pct as total_pct
    from agency_total_pct([$year], $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        r.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        a.agency_group_en,
        r.score,
        r.max_score,
        r.pct,
        b.base_pct,
        t.total_pct
    from criterion_rows as r
    inner join agencies as a using (agency_code)
    left join base_rows as b using (agency_code)
    left join totals as t using (agency_code)
    where r.pct < $threshold
)

select * from final
order by pct, agency_code
