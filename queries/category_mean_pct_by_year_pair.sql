-- Each category's mean agency percentage in a base and a compare year, the change in points,
-- and its rank: strength_rank 1-3 are the strongest, weakness_rank 1 the weakest (by the
-- compare-year mean; ties go to the lower category number). With $like_for_like, only agencies
-- that have the category in both years count.
with paired as (
    select * from agency_category_pair($base_year, $compare_year, $agency_types, $groups, $agency_codes, [])
),

eligible as (
    select * from paired
    where not $like_for_like or (base_pct is not null and compare_pct is not null)
),

per_category as (
    select
        category,
        avg(base_pct) as base_mean_pct,
        avg(compare_pct) as compare_mean_pct,
        count(base_pct) as base_agencies,
        count(compare_pct) as compare_agencies
    from eligible
    group by category
),

final as (
    select
        c.category,
        p.base_mean_pct,
        p.compare_mean_pct,
        p.compare_mean_pct - p.base_mean_pct as delta_pts,
        coalesce(p.base_agencies, 0) as base_agencies,
        coalesce(p.compare_agencies, 0) as compare_agencies,
        case when p.compare_mean_pct is not null then
            row_number() over (order by p.compare_mean_pct desc nulls last, c.category) end as strength_rank,
        case when p.compare_mean_pct is not null then
            row_number() over (order by p.compare_mean_pct asc nulls last, c.category) end as weakness_rank
    from range(1, 8) as c(category)
    left join per_category as p using (category)
)

select * from final
order by category
