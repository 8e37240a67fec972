-- A kept aggregate over agencies (a kept table with no agency_code column, such as year_stats) as a
-- scoped cursor sees it: its own select from queries/kept/, run again over the scoped views made
-- before it, so its counts are the scope's and the kept definition is written once.
-- The criterion rows themselves (scores) are not kept: what the select reads of them is this
-- table's own kept rows, which is right for what is no agency's data, a criterion's maximum and
-- names (kept/criterion_year.sql); a count of agencies is taken over the scoped kept tables.
create temp view {table} as
with scores as (
    select * from {catalog}.main.{table}
)

select * from (
{select}
)
