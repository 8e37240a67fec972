-- A base and a compare year side by side, one row per agency (and category): what every
-- year-pair query starts from. A value missing in one year is null there, so like-for-like is
-- "both not null".
create or replace macro agency_category_pair(base_year, compare_year, agency_types, groups, agency_codes, categories) as table
select
    agency_code,
    category,
    max(pct) filter (where fiscal_year = base_year) as base_pct,
    max(pct) filter (where fiscal_year = compare_year) as compare_pct
from agency_category_pct([base_year, compare_year], agency_types, groups, agency_codes, categories)
group by agency_code, category;

create or replace macro agency_total_pair(base_year, compare_year, agency_types, groups, agency_codes) as table
select
    agency_code,
    max(pct) filter (where fiscal_year = base_year) as base_pct,
    max(pct) filter (where fiscal_year = compare_year) as compare_pct,
    max(score) filter (where fiscal_year = base_year) as base_points,
    max(score) filter (where fiscal_year = compare_year) as compare_points
from agency_total_pct([base_year, compare_year], agency_types, groups, agency_codes, [])
group by agency_code
;

-- Per agency and category with a value in both years: both percentages and the change in points,
-- with the agency's latest name, type and group.
create or replace macro agency_category_change(base_year, compare_year, agency_types, groups, agency_codes, categories) as table
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
