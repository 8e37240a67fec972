-- Per criterion and fiscal year: the structure (the most common maximum of the year, as agencies
-- may differ by mistake), how many agencies were assessed on it and how many not, and its names
-- where the data gives them (the most common, as a name may be mistyped in a few rows).
create or replace table criterion_year as
select
    fiscal_year,
    category,
    criterion,
    mode(max_score) as max_score,
    count(score) as agencies_assessed,
    count(*) - count(score) as agencies_not_assessed,
    mode(criterion_name_th) as criterion_name_th,
    mode(criterion_name_en) as criterion_name_en
from scores
group by fiscal_year, category, criterion
order by fiscal_year, category, criterion
