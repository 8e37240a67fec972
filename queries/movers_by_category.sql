-- The largest rises and falls per category between a base and a compare year: at most $top agencies
-- each way (rank 1 = the largest), among agencies with the category in both years. Only the rows a
-- page shows leave the database, however many agencies there are.
with changes as (
    select * from agency_category_change($base_year, $compare_year, $agency_types, $groups, $agency_codes, $categories)
),

ranked as (
    select
        *,
        row_number() over (partition by category order by delta_pts desc, agency_code) as rise_rank,
        row_number() over (partition by category order by delta_pts asc, agency_code) as fall_rank
    from changes
),

final as (
    select 'rise' as direction, rise_rank as mover_rank, * exclude (rise_rank, fall_rank)
    from ranked where rise_rank <= $top and delta_pts > 0
    union all
    select 'fall', fall_rank, * exclude (rise_rank, fall_rank)
    from ranked where fall_rank <= $top and delta_pts < 0
)

select * from final
order by category, direction desc, mover_rank
