-- Per agency and category: the percentage in the base and the compare year and the change in
-- points, for agencies with the category in both years; movers are the largest changes.
with paired as (
    select * from agency_category_pair($base_year, $compare_year, $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        p.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        p.category,
        p.base_pct,
        p.compare_pct,
        p.compare_pct - p.base_pct as delta_pts
    from paired as p
    inner join agencies as a using (agency_code)
    where p.base_pct is not null and p.compare_pct is not null
)

select * from final
order by category, delta_pts desc, agency_code
