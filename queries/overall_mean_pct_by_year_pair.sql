-- The mean agency total percentage in a base and a compare year and its change in points; the
-- mean total points and how many agencies have a total in each year, with their changes.
-- With $like_for_like, only agencies with a total in both years count.
with totals as (
    select * from agency_total_pct([$base_year, $compare_year], $agency_types, $groups, $agency_codes, [])
),

paired as (
    select
        agency_code,
        max(pct) filter (where fiscal_year = $base_year) as base_pct,
        max(pct) filter (where fiscal_year = $compare_year) as compare_pct,
        max(score) filter (where fiscal_year = $base_year) as base_points,
        max(score) filter (where fiscal_year = $compare_year) as compare_points
    from totals
    group by agency_code
),

eligible as (
    select * from paired
    where not $like_for_like or (base_pct is not null and compare_pct is not null)
),

final as (
    select
        avg(base_pct) as base_mean_pct,
        avg(compare_pct) as compare_mean_pct,
        avg(compare_pct) - avg(base_pct) as delta_pts,
        avg(base_points) as base_mean_points,
        avg(compare_points) as compare_mean_points,
        avg(compare_points) - avg(base_points) as points_change,
        count(base_pct) as base_agencies,
        count(compare_pct) as compare_agencies,
        count(compare_pct) - count(base_pct) as agencies_change
    from eligible
)

select * from final
