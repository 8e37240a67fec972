-- One row per agency with its latest name, type and group: names change, the code does not, and
-- the contract says to show the latest. Filters by type and group use these latest values.
with per_year as (
    select
        agency_code,
        fiscal_year,
        any_value(agency_name_th) as agency_name_th,
        any_value(agency_name_en) as agency_name_en,
        any_value(agency_type) as agency_type,
        any_value(agency_group_th) as agency_group_th,
        any_value(agency_group_en) as agency_group_en
    from scores
    group by agency_code, fiscal_year
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
