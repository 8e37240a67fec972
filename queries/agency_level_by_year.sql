-- Each agency's total percentage, points and status level per year, with its latest name, type
-- and group; the level is null where the total is below every cut-off of the year's scheme.
with levels as (
    select * from agency_total_level($years, $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        l.fiscal_year,
        l.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        l.score,
        l.max_score,
        l.pct,
        l.level,
        l.level_rank,
        l.label_th as level_label_th,
        l.label_en as level_label_en
    from levels as l
    inner join agencies as a using (agency_code)
)

select * from final
order by fiscal_year, agency_code
