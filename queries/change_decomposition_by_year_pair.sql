-- How much of the change in the mean total between two years comes from agencies joining or
-- leaving: the change over all agencies, the change over agencies with a total in both years
-- (like-for-like), and the difference between them (composition).
with paired as (
    select * from agency_total_pair($base_year, $compare_year, $agency_types, $groups, $agency_codes)
),

changes as (
    select
        avg(compare_pct) - avg(base_pct) as all_agencies_pts,
        avg(compare_pct) filter (where base_pct is not null)
            - avg(base_pct) filter (where compare_pct is not null) as like_for_like_pts,
        count(*) filter (where base_pct is null) as agencies_joined,
        count(*) filter (where compare_pct is null) as agencies_left
    from paired
),

final as (
    select *, all_agencies_pts - like_for_like_pts as composition_pts
    from changes
)

select * from final
