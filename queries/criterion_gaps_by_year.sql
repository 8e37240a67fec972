-- Criteria that some agencies were not assessed on, per year, the most gaps first.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
select fiscal_year, criterion, agencies_not_assessed, agencies_assessed
from criterion_year
where agencies_not_assessed > 0
order by agencies_not_assessed desc, fiscal_year, criterion
