-- Per agency and category: the percentage in the base and the compare year and the change in
-- points, for agencies with the category in both years (movers_by_category.sql keeps the largest).
select *
from agency_category_change($base_year, $compare_year, $agency_types, $groups, $agency_codes, $categories)
order by category, delta_pts desc, agency_code
