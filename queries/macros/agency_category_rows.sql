-- agency_category_rows(years, agency_types, groups, agency_codes, categories): the kept
-- agency-category sums (kept/agency_category.sql) after the filters every page shares, assessed or
-- not: who was present. Type and group filters use the agency's latest type and group (see
-- kept/agencies.sql).
create macro agency_category_rows(years, agency_types, groups, agency_codes, categories) as table
select *
from agency_category
where in_filter(years, fiscal_year)
  and in_filter(agency_types, agency_type)
  and in_filter(groups, agency_group_th)
  and in_filter(agency_codes, agency_code)
  and in_filter(categories, category)
