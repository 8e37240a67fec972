-- The agencies of $year after the shared filters whose status level a proposed scheme changes
-- (macros/proposal_levels.sql, issue 18), with their total % and level now and proposed and their
-- latest name, type and group; the furthest move first, then by code. An agency the proposal
-- leaves with no assessed criterion (no proposed level) changes too. Agency-level rows: for a
-- role that may read them (dashboard/data/access.py).
with levels as (
    select * from proposal_levels(
        $year, $agency_types, $groups, $agency_codes, $criteria,
        $indicator_agencies, $indicator_names, $indicator_values, $cutoffs
    )
),

final as (
    select
        l.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        l.current_pct,
        l.current_level,
        l.current_rank,
        l.proposed_pct,
        l.proposed_level,
        l.proposed_rank
    from levels as l
    inner join agencies as a using (agency_code)
    where l.proposed_rank is distinct from l.current_rank
)

select * from final
order by abs(proposed_rank - current_rank) desc nulls first, agency_code
