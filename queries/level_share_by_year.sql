-- Per year and status level of the scheme: agencies at that level and their share of the year's
-- agencies. Agencies below every cut-off have level null (level_rank 0); every level of the
-- scheme appears, with zero where no agency reached it. share_change_pts is the change in share
-- from the previous year of the selection (null for the first). With $like_for_like, only agencies
-- with a total in every year of the selection count.
with all_levels as (
    select * from agency_total_level($years, $agency_types, $groups, $agency_codes, $categories)
),

levels as (
    select * from all_levels
    where not $like_for_like or agency_code in (
        select agency_code from all_levels
        group by agency_code
        having count(distinct fiscal_year) = (select count(distinct fiscal_year) from all_levels)
    )
),

year_levels as (
    select y.fiscal_year, l.level, l.level_rank, l.label_th, l.label_en
    from (select distinct fiscal_year from levels) as y
    inner join (
        select distinct level, level_rank, label_th, label_en from scheme_levels
        union all
        select null, 0, null, null
    ) as l on true
),

counted as (
    select fiscal_year, level, count(*) as agencies
    from levels
    group by fiscal_year, level
),

shares as (
    select
        y.fiscal_year,
        y.level,
        y.level_rank,
        y.label_th,
        y.label_en,
        coalesce(c.agencies, 0) as agencies,
        100.0 * coalesce(c.agencies, 0) / sum(coalesce(c.agencies, 0)) over (partition by y.fiscal_year) as share_pct
    from year_levels as y
    left join counted as c on c.fiscal_year = y.fiscal_year and c.level is not distinct from y.level
),

final as (
    select
        *,
        share_pct - lag(share_pct) over (partition by level_rank order by fiscal_year) as share_change_pts
    from shares
)

select * from final
order by fiscal_year, level_rank
