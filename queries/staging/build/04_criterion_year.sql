-- Per criterion and fiscal year: the structure (the most common maximum of the year, as agencies
-- may differ by mistake) and how many agencies were assessed on it and how many not.
create or replace table criterion_year as
select
    fiscal_year,
    category,
    criterion,
    mode(max_score) as max_score,
    count(score) as agencies_assessed,
    count(*) - count(score) as agencies_not_assessed
from scores
group by fiscal_year, category, criterion
order by fiscal_year, category, criterion
