-- The fiscal years (B.E.) the data holds, with how many agencies and rows each has.
select fiscal_year, agencies, criterion_rows
from year_stats
order by fiscal_year
