-- agency_total_pct(years, agency_types, groups, agency_codes, categories): the agency total
-- percentage over all its assessed criteria of the year (within the category filter, when one is
-- given), with the total points beside it. Summing the category sums gives the same result as
-- summing the criteria.
create macro agency_total_pct(years, agency_types, groups, agency_codes, categories) as table
select
    fiscal_year,
    agency_code,
    sum(score) as score,
    sum(max_score) as max_score,
    score_pct(sum(score), sum(max_score)) as pct
from agency_category_pct(years, agency_types, groups, agency_codes, categories)
group by fiscal_year, agency_code
