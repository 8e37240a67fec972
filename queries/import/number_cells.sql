-- Every distinct number cell of the staged rows, with its value where SQL reads it the way
-- importer.parse_number does: Thai digits, a no-break space and the not-assessed tokens ('', '-', 'n/a'
-- ...) in any case, then a plain decimal within $max_points ('7', '-2.5'); an integer kind must be whole.
-- Any other text (a thousands comma, a word, a number out of range) comes back with plain = false, and
-- importer.parse_number reads it or names what is wrong: one call per distinct text, not per cell.
-- Reads the table `cells` (dashboard/data/staged_import.py); py_strip is import/py_strip.
with raw as (
    select 'integer' as kind, year_raw as raw from cells
    union all
    select 'integer', category_raw from cells
    union all
    select 'integer', criterion_category_raw from cells
    union all
    select 'number', score_raw from cells
    union all
    select 'number', max_raw from cells
),

distinct_cells as (
    select distinct kind, raw from raw where raw is not null
),

cleaned as (
    select
        kind,
        raw,
        py_strip(replace(translate(raw, '๐๑๒๓๔๕๖๗๘๙', '0123456789'), chr(160), ' ')) as text
    from distinct_cells
),

read as (
    select
        kind,
        raw,
        lower(text) in ('', '-', '–', '—', 'n/a', 'na') as not_assessed,
        case when regexp_full_match(text, '[+-]?[0-9]+(\.[0-9]+)?') then try_cast(text as double) end as number
    from cleaned
),

final as (
    select
        kind,
        raw,
        case when not_assessed then null else number end as value,
        not_assessed
        or (
            abs(number) <= $max_points
            and (kind = 'number' or number = floor(number))
        ) as plain
    from read
)

select kind, raw, value, coalesce(plain, false) as plain
from final
