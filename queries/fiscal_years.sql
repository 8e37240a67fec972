-- The fiscal years (B.E.) the data holds, with how many agencies and rows each has.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
select fiscal_year, agencies, criterion_rows
from year_stats
order by fiscal_year
