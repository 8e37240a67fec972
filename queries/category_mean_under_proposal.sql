-- Each category's mean agency % in $year after the shared filters now and under a proposed scheme
-- (issue 18), with the change in points. An agency-category % is 100 × Σ score / Σ max over its
-- assessed criteria of the category, as everywhere; the mean is over the agencies assessed on the
-- category. A category the proposal drops has no proposed mean; one it adds has no current mean.
with current_pct as (
    select category, avg(pct) as current_mean_pct, count(*) as current_agencies
    from agency_category_pct([$year], $agency_types, $groups, $agency_codes, [])
    group by category
),

proposed_rows as (
    select agency_code, category, score_pct(sum(score), sum(max_score)) as pct
    from proposal_scores(
        $year, $agency_types, $groups, $agency_codes, $criteria, $indicator_agencies, $indicator_names, $indicator_values
    )
    where score is not null
    group by agency_code, category
),

proposed_pct as (
    select category, avg(pct) as proposed_mean_pct, count(*) as proposed_agencies
    from proposed_rows
    group by category
),

final as (
    select
        category,
        c.current_mean_pct,
        p.proposed_mean_pct,
        p.proposed_mean_pct - c.current_mean_pct as delta_pts,
        coalesce(c.current_agencies, 0) as current_agencies,
        coalesce(p.proposed_agencies, 0) as proposed_agencies
    from current_pct as c
    full outer join proposed_pct as p using (category)
)

select * from final
order by category
