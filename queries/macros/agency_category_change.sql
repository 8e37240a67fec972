-- agency_category_change(base_year, compare_year, agency_types, groups, agency_codes, categories):
-- per agency and category with a value in both years, both percentages and the change in points,
-- with the agency's latest name, type and group.
create macro agency_category_change(base_year, compare_year, agency_types, groups, agency_codes, categories) as table
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
from agency_category_pair(base_year, compare_year, agency_types, groups, agency_codes, categories) as p
inner join agencies as a using (agency_code)
where p.base_pct is not null and p.compare_pct is not null
