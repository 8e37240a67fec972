-- The agency-category percentage over the kept sums (build/02_agency_category.sql).
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
