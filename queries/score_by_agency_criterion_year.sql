-- The criterion-level table: every criterion row after the filters, with the agency's latest
-- name, type and group; pct is null where the criterion was not assessed.
with filtered as (
    select * from filtered_scores($years, $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        s.fiscal_year,
        s.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        a.agency_group_en,
        s.category,
        s.criterion,
        s.score,
        s.max_score,
        score_pct(s.score, s.max_score) as pct
    from filtered as s
    inner join agencies as a using (agency_code)
)

select * from final
order by fiscal_year, agency_code, category, criterion
