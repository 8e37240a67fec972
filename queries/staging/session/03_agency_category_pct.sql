-- Agency-category rows after the filters every page shares, assessed or not: who was present.
-- Type and group filters use the agency's latest type and group (see build/01_agencies.sql).
create or replace macro agency_category_rows(years, agency_types, groups, agency_codes, categories) as table
select *
from agency_category
where in_filter(years, fiscal_year)
  and in_filter(agency_types, agency_type)
  and in_filter(groups, agency_group_th)
  and in_filter(agency_codes, agency_code)
  and in_filter(categories, category);

-- The agency-category percentage over the kept sums (build/02_agency_category.sql): a category
-- with no assessed criterion has no percentage at all (no row), never zero.
create or replace macro agency_category_pct(years, agency_types, groups, agency_codes, categories) as table
select
    fiscal_year,
    agency_code,
    category,
    score,
    max_score,
    100 * score / max_score as pct,
    criteria_assessed,
    criteria_not_assessed
from agency_category_rows(years, agency_types, groups, agency_codes, categories)
where criteria_assessed > 0
