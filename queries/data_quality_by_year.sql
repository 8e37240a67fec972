-- Per year, how complete and how comparable the data is: agencies assessed, criteria in the
-- structure, criterion rows, rows not assessed (null score), agencies with at least one criterion
-- not assessed, and agencies that joined or left since the previous year of the data.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with per_agency_year as (
    select fiscal_year, agency_code, not_assessed
    from agency_year
),

presence as (
    select
        fiscal_year,
        agency_code,
        lag(fiscal_year) over (partition by agency_code order by fiscal_year) as agency_previous_year
    from per_agency_year
),

data_years as (
    select fiscal_year, lag(fiscal_year) over (order by fiscal_year) as previous_year
    from year_stats
),

left_since as (
    select y.fiscal_year, count(*) as agencies_left
    from data_years as y
    inner join per_agency_year as p on p.fiscal_year = y.previous_year
    where not exists (
        select 1 from per_agency_year as q where q.fiscal_year = y.fiscal_year and q.agency_code = p.agency_code
    )
    group by y.fiscal_year
),

final as (
    select
        y.fiscal_year,
        (select count(*) from per_agency_year as a where a.fiscal_year = y.fiscal_year) as agencies,
        (select count(*) from criterion_year as c where c.fiscal_year = y.fiscal_year) as criteria,
        (select s.criterion_rows from year_stats as s where s.fiscal_year = y.fiscal_year) as criterion_rows,
        (select sum(not_assessed) from per_agency_year as a where a.fiscal_year = y.fiscal_year)
            as rows_not_assessed,
        (select count(*) from per_agency_year as a where a.fiscal_year = y.fiscal_year and a.not_assessed > 0)
            as agencies_with_gaps,
        case when y.previous_year is not null then
            (select count(*) from presence as p
             where p.fiscal_year = y.fiscal_year and p.agency_previous_year is distinct from y.previous_year)
        end as agencies_joined,
        case when y.previous_year is not null then coalesce(l.agencies_left, 0) end as agencies_left
    from data_years as y
    left join left_since as l using (fiscal_year)
)

select * from final
order by fiscal_year
