-- The agency-level table: each agency's points, maximum and percentage per category and year,
-- with its latest name, type and group. What `export --level agency` and the Explore page show.
with agency_pct as (
    select * from agency_category_pct($years, $agency_types, $groups, $agency_codes, $categories)
),

final as (
    select
        p.fiscal_year,
        p.agency_code,
        a.agency_name_th,
        a.agency_name_en,
        a.agency_type,
        a.agency_group_th,
        a.agency_group_en,
        p.category,
        p.score,
        p.max_score,
        p.pct
    from agency_pct as p
    inner join agencies as a using (agency_code)
)

select * from final
order by fiscal_year, agency_code, category
