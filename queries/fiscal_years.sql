-- The fiscal years (B.E.) the data holds, with how many agencies and rows each has.
with final as (
    select
        fiscal_year,
        count(distinct agency_code) as agencies,
        count(*) as criterion_rows
    from scores
    group by fiscal_year
)

select * from final
order by fiscal_year
