-- in_filter: an empty list means "no filter on this dimension"; every filter below uses it.
create or replace macro in_filter(allowed, value) as len(allowed) = 0 or list_contains(allowed, value);

-- Criterion rows after the filters every page shares (build/06_criterion_score.sql).
-- Type and group filters use the agency's latest type and group (see build/01_agencies.sql).
create or replace macro filtered_scores(years, agency_types, groups, agency_codes, categories) as table
select fiscal_year, agency_code, category, criterion, score, max_score
from criterion_score
where in_filter(years, fiscal_year)
  and in_filter(agency_types, agency_type)
  and in_filter(groups, agency_group_th)
  and in_filter(agency_codes, agency_code)
  and in_filter(categories, category)
