-- A scoped cursor's view of the kept tables: temporary views named like the kept tables come first
-- in DuckDB's search path, so every named query and metric macro reads only the scope's agencies
-- without knowing it. Aggregates over agencies (years, criterion counts) are counted again over the
-- scope; a criterion's structure (its maximum, its names) is not agency data and stays as it is.
create temp view agencies as
select * from {catalog}.main.agencies
where agency_code in (select agency_code from temp.main.scope_agencies);

create temp view agency_category as
select * from {catalog}.main.agency_category
where agency_code in (select agency_code from temp.main.scope_agencies);

create temp view agency_year as
select * from {catalog}.main.agency_year
where agency_code in (select agency_code from temp.main.scope_agencies);

create temp view criterion_score as
select * from {catalog}.main.criterion_score
where agency_code in (select agency_code from temp.main.scope_agencies);

create temp view year_stats as
select fiscal_year, count(*) as agencies, sum(criterion_rows) as criterion_rows
from temp.main.agency_year
group by fiscal_year;

create temp view criterion_year as
with counted as (
    select
        fiscal_year,
        criterion,
        count(score) as agencies_assessed,
        count(*) - count(score) as agencies_not_assessed
    from temp.main.criterion_score
    group by fiscal_year, criterion
)

select
    c.fiscal_year,
    c.category,
    c.criterion,
    c.max_score,
    coalesce(n.agencies_assessed, 0) as agencies_assessed,
    coalesce(n.agencies_not_assessed, 0) as agencies_not_assessed,
    c.criterion_name_th,
    c.criterion_name_en
from {catalog}.main.criterion_year as c
left join counted as n using (fiscal_year, criterion)
where c.fiscal_year in (select fiscal_year from temp.main.year_stats);
