-- One row per agency with its latest name, type and group: names change, the code does not, and
-- the contract says to show the latest. Filters by type and group use these latest values.
-- Read from the kept agency_year (one row per agency and year, 80,000 at 8,000 agencies x 10 years)
-- rather than the criterion rows again (3.4 M): the two agree on a year's name, type and group.
with per_year as (
    select agency_code, fiscal_year, agency_name_th, agency_name_en, agency_type, agency_group_th, agency_group_en
    from agency_year
),

final as (
    select
        * exclude (fiscal_year),
        fiscal_year as latest_year,
        min(fiscal_year) over (partition by agency_code) as first_year
    from per_year
    qualify row_number() over (partition by agency_code order by fiscal_year desc) = 1
)

select * from final
order by agency_code
