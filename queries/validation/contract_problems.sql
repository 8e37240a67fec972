-- Every row-level breach of the data contract, one row per problem.
-- $max_problems caps the rows returned; total_problems counts them all.
-- Reads raw_scores: the files that passed the schema check, with filename and file_row_number.
with source as (
    select * from raw_scores
),

keyed as (
    select
        *,
        concat_ws('/', coalesce(cast(fiscal_year as varchar), '?'),
                  coalesce(agency_code, '?'), coalesce(criterion, '?')) as row_key,
        try_cast(split_part(criterion, '.', 1) as integer) as criterion_category
    from source
),

row_problems as (
    select filename, 'fiscal_year' as column_name, file_row_number, row_key,
           'year_missing' as problem, null as detail
    from keyed where fiscal_year is null
    union all
    select filename, 'fiscal_year', file_row_number, row_key, 'year_not_be', cast(fiscal_year as varchar)
    from keyed where fiscal_year not between 2400 and 2800
    union all
    select filename, 'agency_code', file_row_number, row_key, 'agency_code_missing', null
    from keyed where agency_code is null or trim(agency_code) = ''
    union all
    select filename, 'agency_type', file_row_number, row_key, 'agency_type_unknown', agency_type
    from keyed where agency_type is null or agency_type not in ('department', 'province', 'public_organization')
    union all
    select filename, 'category', file_row_number, row_key, 'category_out_of_range', cast(category as varchar)
    from keyed where category is null or category not between 1 and 7
    union all
    select filename, 'criterion', file_row_number, row_key, 'criterion_malformed', criterion
    from keyed where criterion is null or not regexp_full_match(criterion, '[0-9]+(\.[0-9]+)*')
    union all
    select filename, 'criterion', file_row_number, row_key, 'criterion_wrong_category', criterion
    from keyed
    where regexp_full_match(criterion, '[0-9]+(\.[0-9]+)*')
      and category between 1 and 7
      and criterion_category <> category
    union all
    select filename, 'max_score', file_row_number, row_key, 'max_score_not_positive', cast(max_score as varchar)
    from keyed where max_score is null or max_score <= 0
    union all
    select filename, 'score', file_row_number, row_key, 'score_negative', cast(score as varchar)
    from keyed where score < 0
    union all
    select filename, 'score', file_row_number, row_key, 'score_above_max', cast(score as varchar)
    from keyed where score > max_score
),

duplicate_keys as (
    select filename, 'criterion' as column_name, file_row_number, row_key,
           'duplicate_key' as problem, cast(occurrences as varchar) as detail
    from (
        select *, count(*) over (partition by fiscal_year, agency_code, criterion) as occurrences
        from keyed
        where fiscal_year is not null and agency_code is not null and criterion is not null
    )
    where occurrences > 1
),

all_problems as (
    select * from row_problems
    union all
    select * from duplicate_keys
),

final as (
    select *, count(*) over () as total_problems
    from all_problems
)

select * from final
order by filename, file_row_number, column_name
limit $max_problems
