-- The sums behind the agency-category percentage (macros/agency_category_pct.sql): sum(score) and
-- sum(max_score) over the criteria that were assessed. A null score leaves both sums; a category
-- with no assessed criterion has no percentage at all, never zero.
-- The sums are kept as a table once per data version (in the cache database), so pages read one
-- row per agency, category and year instead of every criterion; totals are sums of these sums.
-- Every agency, category and year with a criterion row is kept, assessed or not (the filters' notion
-- of "present"); the agency's latest type and group (kept/agencies.sql) sit beside the sums, so a
-- filter never joins. In year order, so a year's rows are found by zone maps.
with sums as (
    select
        fiscal_year,
        agency_code,
        category,
        sum(score) as score,
        sum(max_score) filter (where score is not null) as max_score,
        count(score) as criteria_assessed,
        count(*) - count(score) as criteria_not_assessed
    from scores
    group by fiscal_year, agency_code, category
)

select s.*, a.agency_type, a.agency_group_th
from sums as s
inner join agencies as a using (agency_code)
order by s.fiscal_year, s.agency_code, s.category
