-- How consistently each category's criteria of $year measure one thing (issue 17): Cronbach's alpha
-- on criterion %, k/(k-1) * (1 - sum of the criteria's sample variances / sample variance of the
-- agencies' sums), over the agencies assessed on all k criteria, after the shared filters. Null for
-- k < 2, or with fewer than two such agencies or no variance in their sums. A null score is "not
-- assessed" and left out first, so the category's criteria are those someone was assessed on.
with assessed_rows as (
    select agency_code, category, criterion, score_pct(score, max_score) as pct
    from filtered_scores([$year], $agency_types, $groups, $agency_codes, $categories)
    where score is not null
),

category_criteria as (
    select category, count(distinct criterion) as criteria
    from assessed_rows
    group by category
),

-- alpha compares variances over the same agencies: only those assessed on every criterion
complete_agencies as (
    select r.category, r.agency_code, sum(r.pct) as sum_pct
    from assessed_rows as r
    inner join category_criteria as c using (category)
    group by r.category, r.agency_code, c.criteria
    having count(*) = c.criteria
),

criterion_variance as (
    select r.category, r.criterion, var_samp(r.pct) as variance
    from assessed_rows as r
    inner join complete_agencies as a using (category, agency_code)
    group by r.category, r.criterion
),

sum_variance as (
    select category, var_samp(sum_pct) as variance, count(*) as agencies
    from complete_agencies
    group by category
),

final as (
    select
        c.category,
        case
            when c.criteria >= 2
                then c.criteria / (c.criteria - 1) * (1 - i.variance / nullif(s.variance, 0))
        end as alpha,
        coalesce(s.agencies, 0) as agencies,
        c.criteria
    from category_criteria as c
    left join sum_variance as s using (category)
    left join (select category, sum(variance) as variance from criterion_variance group by category) as i
        using (category)
)

select * from final
order by category
