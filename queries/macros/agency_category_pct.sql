-- agency_category_pct(years, agency_types, groups, agency_codes, categories): the agency-category
-- percentage, over the kept sums of its assessed criteria (kept/agency_category.sql): a category
-- with no assessed criterion has no percentage at all (no row), never zero.
create macro agency_category_pct(years, agency_types, groups, agency_codes, categories) as table
select
    fiscal_year,
    agency_code,
    category,
    score,
    max_score,
    score_pct(score, max_score) as pct,
    criteria_assessed,
    criteria_not_assessed
from agency_category_rows(years, agency_types, groups, agency_codes, categories)
where criteria_assessed > 0
