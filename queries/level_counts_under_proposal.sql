-- How many agencies of $year after the shared filters reach each status level now and under a
-- proposed scheme (issue 18): one row per level of the year, lowest first, after 'below' (a total
-- under every cut-off), with zeros where no agency is. An agency the proposal leaves with no
-- assessed criterion is counted now but not under the proposal (`proposed` of no level).
with levels as (
    select * from proposal_levels(
        $year, $agency_types, $groups, $agency_codes, $criteria,
        $indicator_agencies, $indicator_names, $indicator_values, $cutoffs
    )
),

every_level as (
    select 'below' as level, 0 as level_rank
    union all
    select level, level_rank from (select unnest($cutoffs, recursive := true))
),

final as (
    select
        e.level,
        e.level_rank,
        (select count(*) from levels as l where l.current_level = e.level) as current,
        (select count(*) from levels as l where l.proposed_level = e.level) as proposed
    from every_level as e
)

select * from final
order by level_rank
