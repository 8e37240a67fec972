-- Each candidate indicator's values of $year (issue 18) over the agencies of the year after the
-- shared filters: how many have a value, its mean and five-number summary, and its correlation
-- (macros/correlation.sql: none among fewer than 10 agencies or without variance) with the
-- agency's category-7 % now, with its total % now, and its discrimination as in the criteria
-- workbench: with the agency's total % under the proposal over the criteria the indicator does not
-- feed. An indicator the proposal does not use is still described: its discrimination is then
-- against the whole proposed total.
with candidate_values as (
    select
        unnest($indicator_agencies::varchar[]) as agency_code,
        unnest($indicator_names::varchar[]) as indicator,
        unnest($indicator_values::double[]) as value
),

current_totals as (
    select agency_code, pct as total_pct
    from agency_total_pct([$year], $agency_types, $groups, $agency_codes, [])
),

category_7 as (
    select agency_code, pct as category_7_pct
    from agency_category_pct([$year], $agency_types, $groups, $agency_codes, [7])
),

sources as (
    select criterion, source
    from (select unnest($criteria, recursive := true))
    where source is not null
),

proposed_rows as (
    select p.agency_code, p.score, p.max_score, s.source
    from proposal_scores(
        $year, $agency_types, $groups, $agency_codes, $criteria, $indicator_agencies, $indicator_names, $indicator_values
    ) as p
    left join sources as s using (criterion)
    where p.score is not null
),

indicators as (
    select distinct indicator from candidate_values
),

-- per indicator and agency: the proposed total over the criteria that indicator does not feed
rest_totals as (
    select
        i.indicator,
        r.agency_code,
        score_pct(
            sum(r.score) filter (where r.source is distinct from i.indicator),
            nullif(sum(r.max_score) filter (where r.source is distinct from i.indicator), 0)
        ) as rest_pct
    from indicators as i
    cross join proposed_rows as r
    group by i.indicator, r.agency_code
),

described as (
    select
        v.indicator,
        v.value,
        c.category_7_pct,
        t.total_pct,
        r.rest_pct
    from candidate_values as v
    -- only the agencies of the year under the filters (the scope's, for a scoped person)
    inner join current_totals as t using (agency_code)
    left join category_7 as c using (agency_code)
    left join rest_totals as r on r.indicator = v.indicator and r.agency_code = v.agency_code
    where v.value is not null
),

final as (
    select
        i.indicator,
        count(d.value) as agencies,
        avg(d.value) as mean,
        min(d.value) as min,
        quantile_cont(d.value, 0.25) as q1,
        quantile_cont(d.value, 0.5) as median,
        quantile_cont(d.value, 0.75) as q3,
        max(d.value) as max,
        correlation(d.value, d.category_7_pct) as corr_category_7,
        correlation(d.value, d.total_pct) as corr_total,
        correlation(d.value, d.rest_pct) as discrimination
    from indicators as i
    left join described as d using (indicator)
    group by i.indicator
)

select * from final
order by indicator
