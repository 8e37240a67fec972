-- Agencies whose Thai name, type or group differs from their previous assessed year: renamed or
-- moved. One row per agency, year and changed field, with the value before and after.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with per_year as (
    select agency_code, fiscal_year, agency_name_th, agency_type, agency_group_th
    from agency_year
),

with_previous as (
    select
        *,
        lag(fiscal_year) over w as previous_year,
        lag(agency_name_th) over w as previous_name_th,
        lag(agency_type) over w as previous_type,
        lag(agency_group_th) over w as previous_group_th
    from per_year
    window w as (partition by agency_code order by fiscal_year)
),

changes as (
    select fiscal_year, agency_code, 'name' as change, previous_name_th as before, agency_name_th as after
    from with_previous where previous_year is not null and agency_name_th is distinct from previous_name_th
    union all
    select fiscal_year, agency_code, 'type', previous_type, agency_type
    from with_previous where previous_year is not null and agency_type is distinct from previous_type
    union all
    select fiscal_year, agency_code, 'group', previous_group_th, agency_group_th
    from with_previous where previous_year is not null and agency_group_th is distinct from previous_group_th
),

final as (
    select * from changes
)

select * from final
order by fiscal_year, agency_code, change
