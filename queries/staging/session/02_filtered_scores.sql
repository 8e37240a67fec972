-- in_filter: an empty list means "no filter on this dimension"; every filter below uses it.
create or replace macro in_filter(allowed, value) as len(allowed) = 0 or list_contains(allowed, value);

-- Criterion rows after the filters every page shares.
-- Type and group filters use the agency's latest type and group (see 02_agencies.sql).
create or replace macro filtered_scores(years, agency_types, groups, agency_codes, categories) as table
select s.*
from scores as s
inner join agencies as a using (agency_code)
where in_filter(years, s.fiscal_year)
  and in_filter(agency_types, a.agency_type)
  and in_filter(groups, a.agency_group_th)
  and in_filter(agency_codes, s.agency_code)
  and in_filter(categories, s.category)
