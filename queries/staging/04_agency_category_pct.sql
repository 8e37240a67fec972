-- The agency-category percentage, defined once: 100 * sum(score) / sum(max_score) over the
-- criteria that were assessed. A null score leaves both sums; a category with no assessed
-- criterion has no percentage at all (no row), never zero.
create or replace macro agency_category_pct(years, agency_types, groups, agency_codes, categories) as table
select
    fiscal_year,
    agency_code,
    category,
    sum(score) as score,
    sum(max_score) filter (where score is not null) as max_score,
    100 * sum(score) / sum(max_score) filter (where score is not null) as pct,
    count(score) as criteria_assessed,
    count(*) - count(score) as criteria_not_assessed
from filtered_scores(years, agency_types, groups, agency_codes, categories)
group by fiscal_year, agency_code, category
having count(score) > 0
