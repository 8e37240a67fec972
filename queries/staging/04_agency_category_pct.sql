-- The agency-category percentage, defined once: 100 * sum(score) / sum(max_score) over the
-- criteria that were assessed. A null score leaves both sums; a category with no assessed
-- criterion has no percentage at all (no row), never zero.
-- The sums are kept as a table at load, so pages read one row per agency, category and year
-- instead of every criterion (about a sixth of the rows); totals are sums of these sums.
create or replace table agency_category as
select
    fiscal_year,
    agency_code,
    category,
    sum(score) as score,
    sum(max_score) filter (where score is not null) as max_score,
    count(score) as criteria_assessed,
    count(*) - count(score) as criteria_not_assessed
from scores
group by fiscal_year, agency_code, category
having count(score) > 0;

create or replace macro agency_category_pct(years, agency_types, groups, agency_codes, categories) as table
select
    c.fiscal_year,
    c.agency_code,
    c.category,
    c.score,
    c.max_score,
    100 * c.score / c.max_score as pct,
    c.criteria_assessed,
    c.criteria_not_assessed
from agency_category as c
inner join agencies as a using (agency_code)
where in_filter(years, c.fiscal_year)
  and in_filter(agency_types, a.agency_type)
  and in_filter(groups, a.agency_group_th)
  and in_filter(agency_codes, c.agency_code)
  and in_filter(categories, c.category)
