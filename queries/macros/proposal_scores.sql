-- proposal_scores(year, agency_types, groups, agency_codes, criteria, indicator_agencies,
-- indicator_names, indicator_values): every agency's criterion rows of `year` after the shared
-- filters as a proposed scheme would score them (issue 18). `criteria` is the proposal's full list,
-- each {criterion, category, max_score, source}:
--   - a criterion of the data with no source is kept, its score rescaled as
--     score × proposed max / current max (a null max_score keeps the current one); one left out is dropped;
--   - a criterion with a source takes its scores from that candidate indicator: value / 100 × its
--     maximum, the value a share of the maximum from 0 to 100; an agency without a value is not
--     assessed on it (a null score), as a null score is everywhere.
-- The indicator values of `year` come as three lists of equal length (agency, indicator, value).
create macro proposal_scores(
    year, agency_types, groups, agency_codes, criteria, indicator_agencies, indicator_names, indicator_values
) as table
with current_rows as (
    select agency_code, category, criterion, score, max_score
    from filtered_scores([year], agency_types, groups, agency_codes, [])
),

proposed as (
    select unnest(criteria, recursive := true)
),

candidate_values as (
    select
        unnest(indicator_agencies::varchar[]) as agency_code,
        unnest(indicator_names::varchar[]) as indicator,
        unnest(indicator_values::double[]) as value
),

kept as (
    select
        r.agency_code,
        r.category,
        r.criterion,
        r.score * coalesce(p.max_score, r.max_score) / r.max_score as score,
        coalesce(p.max_score, r.max_score)::double as max_score
    from current_rows as r
    inner join proposed as p using (criterion)
    where p.source is null
),

fed as (
    select
        a.agency_code,
        p.category,
        p.criterion,
        v.value / 100 * p.max_score as score,
        p.max_score::double as max_score
    from (select distinct agency_code from current_rows) as a
    cross join (select * from proposed where source is not null) as p
    left join candidate_values as v on v.agency_code = a.agency_code and v.indicator = p.source
)

select * from kept
union all
select * from fed
