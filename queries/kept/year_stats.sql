-- Per fiscal year: agencies and criterion rows, kept so that the years (asked on every page and
-- command) never need a scan of the criterion rows. Counted over the kept agency_year, so a scope's
-- cursor counts its own agencies with this same select (access/scoped_aggregate.sql).
select
    fiscal_year,
    count(*) as agencies,
    sum(criterion_rows) as criterion_rows
from agency_year
group by fiscal_year
order by fiscal_year
