-- agency_category_pair(base_year, compare_year, agency_types, groups, agency_codes, categories): a
-- base and a compare year side by side, one row per agency and category: what every year-pair query
-- by category starts from. A value missing in one year is null there, so like-for-like is "both not
-- null".
create macro agency_category_pair(base_year, compare_year, agency_types, groups, agency_codes, categories) as table
select
    agency_code,
    category,
    max(pct) filter (where fiscal_year = base_year) as base_pct,
    max(pct) filter (where fiscal_year = compare_year) as compare_pct
from agency_category_pct([base_year, compare_year], agency_types, groups, agency_codes, categories)
group by agency_code, category
