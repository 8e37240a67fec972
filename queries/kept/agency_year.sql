-- Per agency and fiscal year: its name, type and group as assessed that year, how many criteria
-- it has rows for and how many of them were not assessed. Kept once per data version, so the Data
-- quality page never scans the criterion rows.
select
    fiscal_year,
    agency_code,
    any_value(agency_name_th) as agency_name_th,
    any_value(agency_name_en) as agency_name_en,
    any_value(agency_type) as agency_type,
    any_value(agency_group_th) as agency_group_th,
    any_value(agency_group_en) as agency_group_en,
    count(*) as criterion_rows,
    count(*) - count(score) as not_assessed
from scores
group by fiscal_year, agency_code
order by fiscal_year, agency_code
