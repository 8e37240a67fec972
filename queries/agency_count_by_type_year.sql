-- Per year and agency type: agencies assessed, how many were not assessed the year before
-- (joined) and how many assessed the year before are missing this year (left_since). The first
-- year of the selection has no year before, so its joined and left_since are null.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with present as (
    select distinct fiscal_year, agency_code, agency_type
    from agency_category_rows($years, $agency_types, $groups, $agency_codes, $categories)
),

data_years as (
    select fiscal_year, lag(fiscal_year) over (order by fiscal_year) as previous_year
    from (select distinct fiscal_year from present)
),

current_and_previous as (
    select
        y.fiscal_year,
        y.previous_year,
        p.agency_code,
        p.agency_type,
        bool_or(p.fiscal_year = y.fiscal_year) as now_present,
        bool_or(p.fiscal_year = y.previous_year) as was_present
    from data_years as y
    inner join present as p on p.fiscal_year = y.fiscal_year or p.fiscal_year = y.previous_year
    group by y.fiscal_year, y.previous_year, p.agency_code, p.agency_type
),

final as (
    select
        fiscal_year,
        agency_type,
        count(*) filter (where now_present) as agencies,
        case when any_value(previous_year) is not null then
            count(*) filter (where now_present and not was_present) end as joined,
        case when any_value(previous_year) is not null then
            count(*) filter (where was_present and not now_present) end as left_since
    from current_and_previous
    group by fiscal_year, agency_type
)

select * from final
order by fiscal_year, agency_type
