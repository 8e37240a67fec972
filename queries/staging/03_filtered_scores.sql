-- Criterion rows after the filters every page shares. An empty list means "no filter".
-- Type and group filters use the agency's latest type and group (see 02_agencies.sql).
create or replace macro filtered_scores(years, agency_types, groups, agency_codes, categories) as table
select s.*
from scores as s
inner join agencies as a using (agency_code)
where (len(years) = 0 or list_contains(years, s.fiscal_year))
  and (len(agency_types) = 0 or list_contains(agency_types, a.agency_type))
  and (len(groups) = 0 or list_contains(groups, a.agency_group_th))
  and (len(agency_codes) = 0 or list_contains(agency_codes, s.agency_code))
  and (len(categories) = 0 or list_contains(categories, s.category))
