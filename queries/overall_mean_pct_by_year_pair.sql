-- The mean agency total percentage in a base and a compare year and its change in points; the
-- mean total points, out of each year's full maximum (the sum of its criteria's maxima), and how
-- many agencies have a total in each year, with their changes.
-- With $like_for_like, only agencies with a total in both years count.
with paired as (
    select * from agency_total_pair($base_year, $compare_year, $agency_types, $groups, $agency_codes)
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
        count(compare_pct) - count(base_pct) as agencies_change,
        (select sum(max_score) from criterion_year where fiscal_year = $base_year) as base_max_points,
        (select sum(max_score) from criterion_year where fiscal_year = $compare_year) as compare_max_points
    from eligible
)

select * from final
