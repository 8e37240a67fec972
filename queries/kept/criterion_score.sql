-- The criterion rows the criterion-level queries read, kept on disk in the cache file (never in
-- memory) in year, category and criterion order: a query for one year or one category then reads
-- only the blocks that hold it (zone maps), where the exports' files are in no useful order. The
-- agency's latest type and group sit beside each row, so a filter never joins.
select
    s.fiscal_year,
    s.category,
    s.criterion,
    s.agency_code,
    s.score,
    s.max_score,
    a.agency_type,
    a.agency_group_th
from scores as s
inner join agencies as a using (agency_code)
order by s.fiscal_year, s.category, s.criterion, s.agency_code
