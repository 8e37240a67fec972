-- Every row-level breach of the data contract, one row per problem.
-- $max_problems caps the rows returned; total_problems counts them all. $max_points bounds a number;
-- $agency_types are the contract's types (dashboard/data/contract.py).
-- Reads raw_scores (dashboard/data/validation.py): the contract's columns only, with filename and
-- file_row_number. A row's key is made only for a row with a problem. At 8,000 agencies x 10 years
-- the check took 0.8 s and 480 MB (the process) with a window over every row, 0.6 s counting the
-- keys' hashes, and 0.19 s with the text rules run per distinct text and keys given twice found by
-- bits (below).
-- Not materialized: read by many branches, DuckDB would otherwise copy every row first (0.89 s).
with source as not materialized (
    select
        fiscal_year, agency_code, agency_type, category, criterion, score, max_score,
        filename, file_row_number
    from raw_scores
),

-- The rules on a criterion's or a code's text run once per distinct text (about 40 criteria and
-- 8,000 codes in 3.4 M rows), and only the rows they flag are found again by joining.
criteria as (
    select
        criterion,
        -- its place among the keys' bits (below): a block of 64 criteria, a bit in it
        n // 64 as block,
        (n % 64)::ubigint as bit,
        -- dotted positive integers, no leading zeros, at least two parts: 1.1, 4.2.3, 7.10
        regexp_full_match(criterion, '[1-9][0-9]*(\.[1-9][0-9]*)+') as criterion_ok
    from (
        select criterion, (row_number() over ()) - 1 as n
        from (select distinct criterion from source where criterion is not null)
    )
),

-- one rule for every check and join: a code is stored exactly as written, so no two spellings of it
-- (a trailing space, a line break, a zero-width character) can count as two agencies
-- (a code from any_value, not the grouping key: else DuckDB moves the rule below the grouping, onto
-- every row)
untrimmed_codes as (
    select agency_code
    from (select any_value(agency_code) as agency_code from source group by agency_code)
    where regexp_matches(agency_code, '^[\s\pZ\pC]|[\s\pZ\pC]$|\pC')
),

keyed as (
    select
        *,
        cast(score as double) as score_value,
        cast(max_score as double) as max_value
    from source
),

row_problems as (
    select filename, 'fiscal_year' as column_name, file_row_number, fiscal_year, agency_code, criterion,
           'year_missing' as problem, null as detail
    from keyed where fiscal_year is null
    union all
    select filename, 'fiscal_year', file_row_number, fiscal_year, agency_code, criterion, 'year_not_be', cast(fiscal_year as varchar)
    from keyed where fiscal_year not between 2400 and 2800
    union all
    select filename, 'agency_code', file_row_number, fiscal_year, agency_code, criterion, 'agency_code_missing', null
    from keyed where agency_code is null or trim(agency_code) = ''
    union all
    select filename, 'agency_code', file_row_number, fiscal_year, agency_code, criterion, 'agency_code_untrimmed', agency_code
    from keyed semi join untrimmed_codes using (agency_code)
    union all
    select filename, 'agency_type', file_row_number, fiscal_year, agency_code, criterion, 'agency_type_unknown', agency_type
    from keyed where agency_type is null or not list_contains($agency_types, agency_type)
    union all
    select filename, 'category', file_row_number, fiscal_year, agency_code, criterion, 'category_out_of_range', cast(category as varchar)
    from keyed where category is null or category not between 1 and 7
    union all
    -- a missing criterion apart: the join below reads only the malformed criteria's rows (none, as a
    -- rule), where one left join would read every row
    select filename, 'criterion', file_row_number, fiscal_year, agency_code, criterion, 'criterion_malformed', criterion
    from keyed where criterion is null
    union all
    select k.filename, 'criterion', k.file_row_number, k.fiscal_year, k.agency_code, k.criterion, 'criterion_malformed', k.criterion
    from keyed as k inner join criteria as c using (criterion) where not c.criterion_ok
    union all
    select k.filename, 'criterion', k.file_row_number, k.fiscal_year, k.agency_code, k.criterion, 'criterion_wrong_category', k.criterion
    from keyed as k
    anti join criteria as c on c.criterion = k.criterion and not c.criterion_ok
    where k.category between 1 and 7
      and try_cast(split_part(k.criterion, '.', 1) as integer) <> k.category
    union all
    select filename, 'score', file_row_number, fiscal_year, agency_code, criterion, 'number_not_finite', cast(score as varchar)
    from keyed where not isfinite(score_value)
    union all
    select filename, 'max_score', file_row_number, fiscal_year, agency_code, criterion, 'number_not_finite', cast(max_score as varchar)
    from keyed where not isfinite(max_value)
    union all
    select filename, 'score', file_row_number, fiscal_year, agency_code, criterion, 'number_too_large', cast(score as varchar)
    from keyed where isfinite(score_value) and abs(score_value) > $max_points
    union all
    select filename, 'max_score', file_row_number, fiscal_year, agency_code, criterion, 'number_too_large', cast(max_score as varchar)
    from keyed where isfinite(max_value) and max_value > $max_points
    union all
    select filename, 'max_score', file_row_number, fiscal_year, agency_code, criterion, 'max_score_not_positive', cast(max_score as varchar)
    from keyed where max_value is null or max_value <= 0
    union all
    select filename, 'score', file_row_number, fiscal_year, agency_code, criterion, 'score_negative', cast(score as varchar)
    from keyed where score_value < 0
    union all
    select filename, 'score', file_row_number, fiscal_year, agency_code, criterion, 'score_above_max', cast(score as varchar)
    from keyed where isfinite(score_value) and isfinite(max_value) and score_value > max_value
),

-- a key given twice, found without grouping every key: each distinct criterion has a block and a
-- bit (criteria), and per fiscal year, agency and block, one bit per criterion present. A block with
-- more rows than bits set holds a key given twice; only its rows are counted by their keys. Grouping
-- the 3.4 M keys' hashes at 8,000 agencies x 10 years was half the check's processor time. Two hostile cases,
-- measured against it: every key given twice (6.7 M rows) 5.6 -> 4.0 s; 3 M distinct criteria
-- 1.0 s and 360 MB -> 1.6 s and 726 MB, the numbering's price, bounded as before by BUILD_MEMORY.
blocks_with_repeats as (
    select s.fiscal_year, s.agency_code, c.block
    from source as s
    inner join criteria as c using (criterion)
    where s.fiscal_year is not null and s.agency_code is not null
    group by all
    having count(*) > bit_count(bit_or(1::ubigint << c.bit))
),

-- the rows of a block with a repeat (none, as a rule: then no row is counted by its key)
candidates as (
    select k.*
    from keyed as k
    inner join criteria as c using (criterion)
    semi join blocks_with_repeats as b
        on b.fiscal_year = k.fiscal_year and b.agency_code = k.agency_code
        and b.block = c.block
),

duplicate_keys as (
    select filename, 'criterion' as column_name, file_row_number, fiscal_year, agency_code, criterion,
           'duplicate_key' as problem, cast(occurrences as varchar) as detail
    from (
        select *, count(*) over (partition by fiscal_year, agency_code, criterion) as occurrences
        from candidates
    )
    where occurrences > 1
),

no_rows as (
    select null as filename, null as column_name, null as file_row_number,
           null as fiscal_year, null as agency_code, null as criterion,
           'no_rows' as problem, null as detail
    where not exists (select 1 from source)
),

all_problems as (
    select * from row_problems
    union all
    select * from duplicate_keys
    union all
    select * from no_rows
),

final as (
    select
        filename, column_name, file_row_number,
        -- the row's key, made for the rows with a problem only
        case when problem <> 'no_rows' then concat_ws('/', coalesce(cast(fiscal_year as varchar), '?'),
            coalesce(agency_code, '?'), coalesce(criterion, '?')) end as row_key,
        problem, detail,
        count(*) over () as total_problems
    from all_problems
)

select * from final
order by filename, file_row_number, column_name, problem, detail  -- one order, run after run
limit $max_problems
