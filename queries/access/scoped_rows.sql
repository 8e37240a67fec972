-- A kept table of agencies' rows (one with an agency_code column) as a scoped cursor sees it: a
-- temporary view named like the kept table comes first in DuckDB's search path, so every named
-- query and metric macro reads only the scope's agencies without knowing it.
create temp view {table} as
select * from {catalog}.main.{table}
where agency_code in (select agency_code from temp.main.scope_agencies)
