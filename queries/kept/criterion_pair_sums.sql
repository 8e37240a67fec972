-- Per fiscal year, agency type (the latest, as every filter uses it) and pair of criteria, a before
-- b in code order: the sums over the agencies assessed on both that give the pair's correlation
-- (macros/criterion_pair_r.sql). Sums add up across types, so the workbench's pairs for any year,
-- type and category filter are a few thousand rows summed instead of a self-join of the year's
-- rows (~7 M rows at 8,000 agencies) on every cleared page cache; a filter on groups or agencies
-- (small by nature) joins its own rows.
with assessed as (
    select
        fiscal_year,
        agency_type,
        agency_code,
        category,
        criterion,
        score_pct(score, max_score)::double as pct
    from criterion_score
    where score is not null
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

keyed as (
    select r.fiscal_year, r.agency_type, g.row_id, c.criterion_id, r.pct
    from assessed as r
    inner join row_ids as g using (fiscal_year, agency_code)
    inner join criterion_ids as c using (category, criterion)
),

sums as (
    select
        a.fiscal_year,
        a.agency_type,
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
    group by a.fiscal_year, a.agency_type, a.criterion_id, b.criterion_id
)

select
    s.fiscal_year,
    s.agency_type,
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
inner join criterion_ids as ca on ca.criterion_id = s.a_id
inner join criterion_ids as cb on cb.criterion_id = s.b_id
order by s.fiscal_year, a, b
