-- Criteria that some agencies were not assessed on, per year, the most gaps first.
select fiscal_year, criterion, agencies_not_assessed, agencies_assessed
from criterion_year
where agencies_not_assessed > 0
order by agencies_not_assessed desc, fiscal_year, criterion
