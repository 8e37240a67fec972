-- Per year: agencies with a total, their mean total percentage and points, and the like-for-like
-- mean over agencies with a total in every year of the selection.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with totals as (
    select * from agency_total_pct($years, $agency_types, $groups, $agency_codes, $categories)
),

always_present as (
    select agency_code
    from totals
    group by agency_code
    having count(*) = (select count(distinct fiscal_year) from totals)
),

final as (
    select
        t.fiscal_year,
        count(*) as agencies,
        avg(t.pct) as mean_pct,
        avg(t.score) as mean_points,
        avg(t.pct) filter (where a.agency_code is not null) as like_for_like_mean_pct,
        count(a.agency_code) as like_for_like_agencies
    from totals as t
    left join always_present as a using (agency_code)
    group by t.fiscal_year
)

select * from final
order by fiscal_year
