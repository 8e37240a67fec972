-- Per fiscal year: agencies and criterion rows, kept so that the years (asked on every page and
-- command) never need a scan of the criterion rows.
create or replace table year_stats as
select
    fiscal_year,
    count(*) as agencies,
    sum(criterion_rows) as criterion_rows
from agency_year
group by fiscal_year
order by fiscal_year
