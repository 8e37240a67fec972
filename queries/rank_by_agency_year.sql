-- One agency's total percentage per year with its rank among the agencies after the filters
-- (1 = highest), how many were ranked, and its percentile (100 = above all others), so a page can
-- show the rank and its change since the agency's previous year. Among fewer than $min_peers
-- agencies the rank and percentile are left out (they would tell a scoped person how the others
-- scored); the agency's own percentage stays.
with totals as (
    select * from agency_total_pct($years, $agency_types, $groups, [], $categories)
),

ranked as (
    select
        fiscal_year,
        agency_code,
        pct,
        score,
        rank() over (partition by fiscal_year order by pct desc) as position,
        count(*) over (partition by fiscal_year) as ranked_agencies,
        100 * percent_rank() over (partition by fiscal_year order by pct) as percentile
    from totals
),

shown as (
    select
        fiscal_year,
        agency_code,
        pct,
        score,
        case when ranked_agencies >= $min_peers then position end as position,
        ranked_agencies,
        case when ranked_agencies >= $min_peers then percentile end as percentile
    from ranked
    where agency_code = $agency_code
),

final as (
    select
        *,
        pct - lag(pct) over w as pct_change_pts,
        lag(position) over w - position as positions_gained,
        percentile - lag(percentile) over w as percentile_change
    from shown
    window w as (order by fiscal_year)
)

select * from final
order by fiscal_year
