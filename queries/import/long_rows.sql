-- The staged rows in the contract's columns, each with whether importer._long finds a problem in it
-- (ok); the rows that are not are read again by importer._long, which says what it is. A wide sheet's
-- rows come one per criterion-code column (sub: the column), each with its code as its criterion and
-- the row of maxima's cell as its max_score (has_max where the sheet has that row). A cell's number comes from `numbers` (import/number_cells, completed by
-- importer.parse_number), an agency type from `agency_types` (importer._agency_type on each distinct
-- text), a maximum not given in the file from `scheme_max` (the scheme's latest year not after the row's).
-- has_* say which columns the row's file has; $year is --year (or null). A name or criterion is trimmed
-- as Python's strip() does (import/py_strip); an agency code never is, only found empty.
with parsed as (
    select
        c.*,
        case when c.has_year then y.value else $year end as fiscal_year,
        coalesce(y.failed, false) as year_failed,
        case when py_strip(c.code_raw) <> '' then c.code_raw end as agency_code,
        nullif(py_strip(c.name_th_raw), '') as agency_name_th,
        nullif(py_strip(c.name_en_raw), '') as agency_name_en,
        t.value as agency_type,
        nullif(py_strip(c.group_th_raw), '') as agency_group_th,
        nullif(py_strip(c.group_en_raw), '') as agency_group_en,
        coalesce(k.value, kc.value) as category,
        coalesce(k.failed, false) as category_failed,
        coalesce(kc.failed, false) as criterion_category_failed,
        nullif(py_strip(c.criterion_raw), '') as criterion,
        s.value as score,
        coalesce(s.failed, false) as score_failed,
        m.value as given_max,
        coalesce(m.failed, false) as max_failed
    from cells as c
    left join numbers as y on y.kind = 'integer' and y.raw = c.year_raw
    left join numbers as k on k.kind = 'integer' and k.raw = c.category_raw
    left join numbers as kc on kc.kind = 'integer' and kc.raw = c.criterion_category_raw
    left join numbers as s on s.kind = 'number' and s.raw = c.score_raw
    left join numbers as m on m.kind = 'number' and m.raw = c.max_raw
    left join agency_types as t on t.raw = c.type_raw
),

checked as (
    select
        *,
        fiscal_year is not null and fiscal_year not between 2400 and 2800 and has_year as year_not_be,
        has_year and $year is not null and fiscal_year is not null and fiscal_year <> $year as year_differs
    from parsed
),

scheme_years as (
    select distinct
        c.fiscal_year,
        (select max(scheme_year) from scheme_max where scheme_year <= c.fiscal_year) as scheme_year
    from checked as c
    where not c.has_max and c.fiscal_year between 2400 and 2800
),

with_max as (
    select
        c.*,
        case when c.has_max then c.given_max else x.max_score end as max_score,
        not c.has_max and c.fiscal_year is not null and c.fiscal_year between 2400 and 2800
        and c.criterion is not null and x.max_score is null as no_maximum
    from checked as c
    left join scheme_years as sy on sy.fiscal_year = c.fiscal_year
    left join scheme_max as x on x.scheme_year = sy.scheme_year and x.criterion = c.criterion
),

final as (
    select
        *,
        -- a flag SQL could not decide counts as a problem: importer._long reads the row again
        coalesce(not (
            year_failed or year_not_be or year_differs or category_failed or score_failed or max_failed
            or criterion_category_failed or no_maximum
        ), false) as ok
    from with_max
)

select
    file_index, line, sub, fiscal_year, agency_code, agency_name_th, agency_name_en, agency_type, agency_group_th,
    agency_group_en, category, criterion, score, max_score, ok
from final
