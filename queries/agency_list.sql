-- The agencies after the type and group filters, with their latest names, type and group and
-- the years they span: what the agency search offers.
with final as (
    select *
    from agencies
    where in_filter($agency_types, agency_type)
      and in_filter($groups, agency_group_th)
)

select * from final
order by agency_code
