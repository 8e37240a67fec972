-- Every row-level breach of the data contract, one row per problem.
-- $max_problems caps the rows returned; total_problems counts them all. $max_points bounds a number;
-- $agency_types are the contract's types (dashboard/data/contract.py).
-- Reads raw_scores (dashboard/data/validation.py): the contract's columns only, with filename and
-- file_row_number. A row's key is made only for a row with a problem, and a key given twice is found
-- by counting hashes, not a window over every row: at 8,000 agencies x 10 years the check took 0.8 s
-- and 480 MB (the process), now 0.6 s and 330 MB.
with source as (
    select
        fiscal_year, agency_code, agency_type, category, criterion, score, max_score,
        filename, file_row_number
    from raw_scores
),

keyed as (
    select
        *,
        try_cast(split_part(criterion, '.', 1) as integer) as criterion_category,
        -- dotted positive integers, no leading zeros, at least two parts: 1.1, 4.2.3, 7.10
        regexp_full_match(coalesce(criterion, ''), '[1-9][0-9]*(\.[1-9][0-9]*)+') as criterion_ok,
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
    -- one rule for every check and join: a code is stored exactly as written, so no two spellings of it
    -- (a trailing space, a line break, a zero-width character) can count as two agencies
    select filename, 'agency_code', file_row_number, fiscal_year, agency_code, criterion, 'agency_code_untrimmed', agency_code
    from keyed where regexp_matches(agency_code, '^[\s\pZ\pC]|[\s\pZ\pC]$|\pC')
    union all
    select filename, 'agency_type', file_row_number, fiscal_year, agency_code, criterion, 'agency_type_unknown', agency_type
    from keyed where agency_type is null or not list_contains($agency_types, agency_type)
    union all
    select filename, 'category', file_row_number, fiscal_year, agency_code, criterion, 'category_out_of_range', cast(category as varchar)
    from keyed where category is null or category not between 1 and 7
    union all
    select filename, 'criterion', file_row_number, fiscal_year, agency_code, criterion, 'criterion_malformed', criterion
    from keyed where not criterion_ok
    union all
    select filename, 'criterion', file_row_number, fiscal_year, agency_code, criterion, 'criterion_wrong_category', criterion
    from keyed
    where criterion_ok
      and category between 1 and 7
      and criterion_category <> category
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

-- a key given twice, found in two steps: the keys' hashes counted (a number per row: counting the
-- keys' text held 400 MB at 3.4 M rows, this 250 MB), then only the rows whose hash came twice
-- counted by their keys, so two keys whose hashes collide are never taken for a duplicate
repeated_hashes as (
    select hash(fiscal_year, agency_code, criterion) as key_hash
    from source
    where fiscal_year is not null and agency_code is not null and criterion is not null
    group by key_hash
    having count(*) > 1
),

candidates as (
    select *
    from keyed
    where fiscal_year is not null and agency_code is not null and criterion is not null
      and hash(fiscal_year, agency_code, criterion) in (select key_hash from repeated_hashes)
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
