-- Per year and criterion: the mean and quartiles of agencies' percentage of the criterion's
-- maximum, how many agencies were assessed on it and how many not, and the share of assessed
-- agencies below $threshold percent: what agencies still cannot meet.
with filtered as (
    select * from filtered_scores($years, $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        fiscal_year,
        category,
        criterion,
        avg(score_pct(score, max_score)) as mean_pct,
        quantile_cont(score_pct(score, max_score), 0.25) as q1_pct,
        median(score_pct(score, max_score)) as median_pct,
        quantile_cont(score_pct(score, max_score), 0.75) as q3_pct,
        count(score) as agencies_assessed,
        count(*) - count(score) as agencies_not_assessed,
        100.0 * count(*) filter (where score_pct(score, max_score) < $threshold) / nullif(count(score), 0)
            as share_below_pct
    from filtered
    group by fiscal_year, category, criterion
)

select * from final
order by fiscal_year, category, criterion
