-- pair_sums(years, agency_types, groups, agency_codes, categories): per fiscal year, agency type (the
-- latest, as every filter uses it) and pair of criteria, a before b in code order, after the shared
-- filters: the sums over the agencies assessed on both that give the pair's correlation
-- (macros/criterion_pair_r.sql). The one definition of those sums: the kept table of every
-- agency's (kept/criterion_pair_sums.sql) and a filter on groups or agencies both read it.
create macro pair_sums(years, agency_types, groups, agency_codes, categories) as table
with assessed as (
    select
        f.fiscal_year,
        s.agency_type,
        f.agency_code,
        f.category,
        f.criterion,
        score_pct(f.score, f.max_score)::double as pct
    from filtered_scores(years, agency_types, groups, agency_codes, categories) as f
    inner join agencies as s using (agency_code)
    where f.score is not null
),

-- small integer keys: the self-join and its grouping cost a fraction of what text keys cost
row_ids as (
    select fiscal_year, agency_code, (row_number() over ())::integer as row_id
    from (select distinct fiscal_year, agency_code from assessed)
),

criterion_ids as (
    select category, criterion, (row_number() over (order by criterion))::integer as criterion_id
    from (select distinct category, criterion from assessed)
),

group_ids as (
    select fiscal_year, agency_type, (row_number() over ())::integer as group_id
    from (select distinct fiscal_year, agency_type from assessed)
),

keyed as (
    select g.group_id, r.row_id, c.criterion_id, a.pct
    from assessed as a
    inner join row_ids as r using (fiscal_year, agency_code)
    inner join criterion_ids as c using (category, criterion)
    inner join group_ids as g using (fiscal_year, agency_type)
),

-- grouped by the three integer keys: a year at a time (db._keep_by_year) a tenth less time than one
-- bigint packing them, which was a quarter faster over every year at once, when the join spilled
sums as (
    select
        a.group_id,
        a.criterion_id as a_id,
        b.criterion_id as b_id,
        count(*) as n,
        sum(a.pct) as sa,
        sum(b.pct) as sb,
        sum(a.pct * b.pct) as sab,
        sum(a.pct * a.pct) as saa,
        sum(b.pct * b.pct) as sbb
    from keyed as a
    inner join keyed as b on a.row_id = b.row_id and a.criterion_id < b.criterion_id
    group by a.group_id, a.criterion_id, b.criterion_id
)

select
    g.fiscal_year,
    g.agency_type,
    ca.category as a_category,
    ca.criterion as a,
    cb.category as b_category,
    cb.criterion as b,
    s.n,
    s.sa,
    s.sb,
    s.sab,
    s.saa,
    s.sbb
from sums as s
inner join group_ids as g on g.group_id = s.group_id
inner join criterion_ids as ca on ca.criterion_id = s.a_id
inner join criterion_ids as cb on cb.criterion_id = s.b_id
