-- The agency total percentage, defined once, over all its assessed criteria of the year
-- (within the category filter, when one is given), with the total points beside it. Summing the
-- category sums gives the same result as summing the criteria.
create or replace macro agency_total_pct(years, agency_types, groups, agency_codes, categories) as table
select
    fiscal_year,
    agency_code,
    sum(score) as score,
    sum(max_score) as max_score,
    100 * sum(score) / sum(max_score) as pct
from agency_category_pct(years, agency_types, groups, agency_codes, categories)
group by fiscal_year, agency_code
