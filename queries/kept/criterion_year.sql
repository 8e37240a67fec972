-- Per criterion and fiscal year: the structure (the most common maximum of the year, as agencies
-- may differ by mistake; its names where the data gives them, the most common, as a name may be
-- mistyped in a few rows), and how many agencies were assessed on it and how many not.
-- The counts are taken over the kept criterion rows and years (criterion_score, year_stats), so a
-- scope's cursor counts its own agencies with this same select (access/scoped_aggregate.sql): there
-- a year has a row when the scope has an agency in it, and a criterion none of its agencies has
-- rows for counts 0. The structure is no agency's data: a scope reads it from this table's rows.
with structure as (
    select
        fiscal_year,
        category,
        criterion,
        mode(max_score) as max_score,
        mode(criterion_name_th) as criterion_name_th,
        mode(criterion_name_en) as criterion_name_en
    from scores
    group by fiscal_year, category, criterion
),

counted as (
    select
        fiscal_year,
        criterion,
        count(score) as agencies_assessed,
        count(*) - count(score) as agencies_not_assessed
    from criterion_score
    group by fiscal_year, criterion
),

final as (
    select
        s.fiscal_year,
        s.category,
        s.criterion,
        s.max_score,
        coalesce(c.agencies_assessed, 0) as agencies_assessed,
        coalesce(c.agencies_not_assessed, 0) as agencies_not_assessed,
        s.criterion_name_th,
        s.criterion_name_en
    from structure as s
    left join counted as c using (fiscal_year, criterion)
    where s.fiscal_year in (select fiscal_year from year_stats)
)

select * from final
order by fiscal_year, category, criterion
