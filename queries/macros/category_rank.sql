-- category_rank(fiscal_year, mean_pct, category): a category's rank in its year by the mean agency
-- percentage, 1 = the highest mean, ties to the lower category number. A window: use it in a select
-- with one row per category and year.
create macro category_rank(fiscal_year, mean_pct, category) as
row_number() over (partition by fiscal_year order by mean_pct desc, category)
