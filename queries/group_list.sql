-- The ministries and clusters (agency groups, by their latest Thai and English names) with their
-- agency type and how many agencies each holds: what the group filter offers.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with final as (
    select
        agency_group_th,
        any_value(agency_group_en) as agency_group_en,
        string_agg(distinct agency_type, ',' order by agency_type) as agency_types,
        count(*) as agencies
    from agencies
    group by agency_group_th
)

select * from final
order by agency_group_th
