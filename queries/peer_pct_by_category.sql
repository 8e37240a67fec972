-- One agency's category percentages in $year against three peer sets: its group (ministry or
-- cluster), its agency type, and all agencies; for each, the median and the middle half (quartiles).
-- Peers are taken from all the data, whatever the sidebar filters. A peer set smaller than
-- $min_peers shows its count only: the quartiles of two or three agencies would give their values
-- away to a person whose scope does not include them (the query layer sets it, dashboard/data/access.py).
with agency_pct as (
    select p.*, a.agency_type, a.agency_group_th
    from agency_category_pct([$year], [], [], [], []) as p
    inner join agencies as a using (agency_code)
),

me as (
    select * from agencies where agency_code = $agency_code
),

peers as (
    select 'group' as peer_set, p.* from agency_pct as p, me where p.agency_group_th = me.agency_group_th
    union all
    select 'type', p.* from agency_pct as p, me where p.agency_type = me.agency_type
    union all
    select 'all', p.* from agency_pct as p
),

peer_stats as (
    select
        peer_set,
        category,
        case when count(*) >= $min_peers then quantile_cont(pct, 0.25) end as q1_pct,
        case when count(*) >= $min_peers then median(pct) end as median_pct,
        case when count(*) >= $min_peers then quantile_cont(pct, 0.75) end as q3_pct,
        count(*) as agencies
    from peers
    group by peer_set, category
),

final as (
    select s.*, p.pct as agency_pct
    from peer_stats as s
    left join agency_pct as p on p.agency_code = $agency_code and p.category = s.category
)

select * from final
order by category, peer_set
