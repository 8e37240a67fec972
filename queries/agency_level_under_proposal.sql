-- Each agency of $year after the shared filters with its total % and status level now and under a
-- proposed scheme (macros/proposal_levels.sql, issue 18), with its latest name, type and group;
-- the agencies that change level first, the furthest move first. Agency-level rows: for a role
-- that may read them (dashboard/data/access.py).
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
        l.proposed_rank,
        l.proposed_rank is distinct from l.current_rank as changed
    from levels as l
    inner join agencies as a using (agency_code)
)

select * from final
order by changed desc, abs(proposed_rank - current_rank) desc nulls last, agency_code
