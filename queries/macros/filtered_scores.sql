-- filtered_scores(years, agency_types, groups, agency_codes, categories): the criterion rows
-- (kept/criterion_score.sql) after the filters every page shares. Type and group filters use the
-- agency's latest type and group (see kept/agencies.sql).
create macro filtered_scores(years, agency_types, groups, agency_codes, categories) as table
select fiscal_year, agency_code, category, criterion, score, max_score
from criterion_score
where in_filter(years, fiscal_year)
  and in_filter(agency_types, agency_type)
  and in_filter(groups, agency_group_th)
  and in_filter(agency_codes, agency_code)
  and in_filter(categories, category)
