-- agency_total_level(years, agency_types, groups, agency_codes, categories): the status level of
-- each agency total: the highest level of the scoring scheme whose cut-off the total percentage
-- reaches. A year with no scheme of its own uses the latest earlier one; a total below every cut-off
-- has no level (null).
create macro agency_total_level(years, agency_types, groups, agency_codes, categories) as table
with totals as (
    select * from agency_total_pct(years, agency_types, groups, agency_codes, categories)
),

scheme_for_year as (
    select t.fiscal_year, max(l.scheme_year) as scheme_year
    from (select distinct fiscal_year from totals) as t
    inner join scheme_levels as l on l.scheme_year <= t.fiscal_year
    group by t.fiscal_year
),

reached as (
    select t.fiscal_year, t.agency_code, l.level, l.level_rank, l.label_th, l.label_en
    from totals as t
    inner join scheme_for_year as y using (fiscal_year)
    inner join scheme_levels as l on l.scheme_year = y.scheme_year and t.pct >= l.min_pct
    qualify row_number() over (partition by t.fiscal_year, t.agency_code order by l.min_pct desc) = 1
)

select totals.*, reached.level, reached.level_rank, reached.label_th, reached.label_en
from totals
left join reached using (fiscal_year, agency_code)
