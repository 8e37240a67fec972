-- One agency's category percentages in $year against three peer sets: its group (ministry or
-- cluster), its agency type, and all agencies; for each, the median and the middle half (quartiles).
-- Peers are taken from all the data, whatever the sidebar filters.
-- A person who may see every agency ($scoped false) gets the whole set's median and quartiles. For
-- a scoped person (the query layer sets the parameters, dashboard/data/access.py) no statistic may
-- give another agency's value away:
-- - they leave the agency itself out: a value between its own and one other's (an interpolated
--   quartile, a median of two) would tell that other's exactly;
-- - the median needs $min_peers agencies in the set and is the mean of the others' middle two
--   values (middle three when their number is odd), so it is never one agency's score;
-- - the quartiles need $min_quartile_peers agencies and are, likewise, the mean of the two of the
--   others' values around the quartile's place (where an interpolated quartile lands on one value);
-- a smaller set shows its count only.
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
        count(*) as agencies,
        quantile_cont(pct, 0.25) as q1,
        quantile_cont(pct, 0.75) as q3,
        median(pct) as whole_median,
        list_sort(list(pct) filter (where agency_code <> $agency_code)) as others
    from peers
    group by peer_set, category
),

middle as (
    select
        *,
        len(others) // 2 as m,
        case
            when len(others) < 2 then null
            when len(others) % 2 = 0 then (others[m] + others[m + 1]) / 2
            else (others[m] + others[m + 1] + others[m + 2]) / 3
        end as middle_mean,
        -- the k-th and (k+1)-th of the sorted others, k the whole part of the quartile's place
        floor(1 + (len(others) - 1) * 0.25)::integer as k1,
        floor(1 + (len(others) - 1) * 0.75)::integer as k3,
        case when len(others) >= 2 then (others[k1] + others[k1 + 1]) / 2 end as q1_mean,
        case when len(others) >= 2 then (others[k3] + others[k3 + 1]) / 2 end as q3_mean
    from peer_stats
),

shown as (
    select
        peer_set,
        category,
        case when agencies >= $min_quartile_peers then (case when $scoped then q1_mean else q1 end) end as q1_pct,
        case when agencies >= $min_peers then (case when $scoped then middle_mean else whole_median end) end
            as median_pct,
        case when agencies >= $min_quartile_peers then (case when $scoped then q3_mean else q3 end) end as q3_pct,
        agencies
    from middle
),

final as (
    select s.*, p.pct as agency_pct
    from shown as s
    left join agency_pct as p on p.agency_code = $agency_code and p.category = s.category
)

select * from final
order by category, peer_set
