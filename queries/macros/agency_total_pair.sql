-- agency_total_pair(base_year, compare_year, agency_types, groups, agency_codes): a base and a
-- compare year side by side, one row per agency: its total percentage and points in each. A value
-- missing in one year is null there, so like-for-like is "both not null".
create macro agency_total_pair(base_year, compare_year, agency_types, groups, agency_codes) as table
select
    agency_code,
    max(pct) filter (where fiscal_year = base_year) as base_pct,
    max(pct) filter (where fiscal_year = compare_year) as compare_pct,
    max(score) filter (where fiscal_year = base_year) as base_points,
    max(score) filter (where fiscal_year = compare_year) as compare_points
from agency_total_pct([base_year, compare_year], agency_types, groups, agency_codes, [])
group by agency_code
