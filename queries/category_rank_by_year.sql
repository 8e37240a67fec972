-- Per category and year: the mean agency percentage and the category's rank in the year
-- (macros/category_rank.sql: 1 = the highest mean). The light sibling of pct_stats_by_category_year,
-- for views that need no spread: no quantile is computed.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with per_year as (
    select fiscal_year, category, avg(pct) as mean_pct, count(*) as agencies
    from agency_category_pct($years, $agency_types, $groups, $agency_codes, $categories)
    group by fiscal_year, category
),

final as (
    select
        *,
        category_rank(fiscal_year, mean_pct, category) as rank_in_year
    from per_year
)

select * from final
order by fiscal_year, category
