-- The criterion rows as the build reads them, the view `scores` (a staging file makes the view it is
-- named after): the only place that reads the raw rows (raw_scores, which dashboard/data/validation.py
-- registers over the Parquet files or the store's version). A view, never a copy in memory; the build
-- streams it into the kept tables (queries/kept/). It only casts (codes were checked to be written
-- exactly), so that files that differ in physical types (int16 or int64 years) read as one.
with source as (
    select * from raw_scores
),

final as (
    select
        cast(fiscal_year as integer) as fiscal_year,
        cast(agency_code as varchar) as agency_code,
        cast(agency_name_th as varchar) as agency_name_th,
        cast(agency_name_en as varchar) as agency_name_en,
        cast(agency_type as varchar) as agency_type,
        cast(agency_group_th as varchar) as agency_group_th,
        cast(agency_group_en as varchar) as agency_group_en,
        cast(category as integer) as category,
        cast(criterion as varchar) as criterion,
        cast(score as double) as score,
        cast(max_score as double) as max_score,
        nullif(trim(cast(criterion_name_th as varchar)), '') as criterion_name_th,
        nullif(trim(cast(criterion_name_en as varchar)), '') as criterion_name_en
    from source
)

select * from final
