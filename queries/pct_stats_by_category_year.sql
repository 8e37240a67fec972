-- Per category and year: the mean agency percentage and its spread (quartiles, range), the
-- number of agencies, the category's rank in the year (macros/category_rank.sql: 1 = the highest
-- mean), and the like-for-like mean over agencies that have the category in every year of the
-- selection, which shows how much of a change comes from agencies joining or leaving.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with agency_pct as (
    select * from agency_category_pct($years, $agency_types, $groups, $agency_codes, $categories)
),

years_selected as (
    select count(distinct fiscal_year) as n from agency_pct
),

always_present as (
    select category, agency_code
    from agency_pct
    group by category, agency_code
    having count(*) = (select n from years_selected)  -- one row per agency, category and year
),

per_year as (
    select
        p.fiscal_year,
        p.category,
        avg(p.pct) as mean_pct,
        quantile_cont(p.pct, 0.25) as q1_pct,
        median(p.pct) as median_pct,
        quantile_cont(p.pct, 0.75) as q3_pct,
        min(p.pct) as min_pct,
        max(p.pct) as max_pct,
        count(*) as agencies,
        avg(p.pct) filter (where a.agency_code is not null) as like_for_like_mean_pct,
        count(a.agency_code) as like_for_like_agencies
    from agency_pct as p
    left join always_present as a using (category, agency_code)
    group by p.fiscal_year, p.category
),

final as (
    select
        *,
        category_rank(fiscal_year, mean_pct, category) as rank_in_year
    from per_year
)

select * from final
order by fiscal_year, category
