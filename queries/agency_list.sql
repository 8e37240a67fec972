-- The agencies after the type and group filters, with their latest names, type and group and
-- the years they span: what the agency search offers. The labels are made here, once per data
-- version: code · Thai name · English name for the search (found by any of them), and code · name
-- in each language (Thai where there is no English name) for lists.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with final as (
    select
        *,
        concat_ws(' · ', agency_code, agency_name_th, agency_name_en) as search_label,
        concat_ws(' · ', agency_code, agency_name_th) as label_th,
        concat_ws(' · ', agency_code, coalesce(agency_name_en, agency_name_th)) as label_en
    from agencies
    where in_filter($agency_types, agency_type)
      and in_filter($groups, agency_group_th)
      and in_filter($agency_codes, agency_code)
)

select * from final
order by agency_code
