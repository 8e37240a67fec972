-- How the criteria differ between a base and a compare year: criteria added, removed, or whose
-- maximum changed (the most common maximum of the year, as agencies may differ by mistake).
-- Any row here means the two years' category percentages are not measured on the same scale.
with structure as (
    select fiscal_year, category, criterion, max_score
    from criterion_year
    where fiscal_year = $base_year or fiscal_year = $compare_year
),

paired as (
    select
        coalesce(b.category, c.category) as category,
        coalesce(b.criterion, c.criterion) as criterion,
        b.max_score as base_max_score,
        c.max_score as compare_max_score
    from (select * from structure where fiscal_year = $base_year) as b
    full outer join (select * from structure where fiscal_year = $compare_year) as c using (criterion)
),

final as (
    select
        category,
        criterion,
        base_max_score,
        compare_max_score,
        case
            when base_max_score is null then 'added'
            when compare_max_score is null then 'removed'
            else 'max_changed'
        end as change
    from paired
    where base_max_score is distinct from compare_max_score
)

select * from final
order by category, criterion
