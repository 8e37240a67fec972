-- criterion_pair_r(years, agency_types, groups, agency_codes, categories): every pair of criteria of
-- the years after the shared filters, a before b in code order, with r, the correlation of their
-- criterion % across the agencies assessed on both (a null score is "not assessed"). No r among fewer
-- than 10 agencies or without variance in either criterion (the rule of discrimination in
-- criterion_item_stats_by_year.sql). The one definition of a pair's r: the workbench's redundant
-- flag and its list of redundant pairs both read it.
-- Written with plain sums rather than corr(): every agency pairs with itself over its ~42 criteria
-- (millions of rows at national scale), and six sums over small integer keys cost a fraction of
-- DuckDB's statistical aggregates over text keys. r = (nΣab − ΣaΣb) / √((nΣa² − (Σa)²)(nΣb² − (Σb)²));
-- a variance term within rounding of zero (≤ 1e-9·n²: a criterion % is at most 100) counts as none.
create macro criterion_pair_r(years, agency_types, groups, agency_codes, categories) as table
with assessed as (
    select agency_code, criterion, score_pct(score, max_score)::double as pct
    from filtered_scores(years, agency_types, groups, agency_codes, categories)
    where score is not null
),

agency_ids as (
    select agency_code, (row_number() over ())::integer as agency_id
    from (select distinct agency_code from assessed)
),

criterion_ids as (
    select criterion, (row_number() over (order by criterion))::integer as criterion_id
    from (select distinct criterion from assessed)
),

keyed as (
    select g.agency_id, c.criterion_id, r.pct
    from assessed as r
    inner join agency_ids as g using (agency_code)
    inner join criterion_ids as c using (criterion)
),

sums as (
    select
        a.criterion_id as a_id,
        b.criterion_id as b_id,
        count(*) as n,
        sum(a.pct) as sa,
        sum(b.pct) as sb,
        sum(a.pct * b.pct) as sab,
        sum(a.pct * a.pct) as saa,
        sum(b.pct * b.pct) as sbb
    from keyed as a
    inner join keyed as b on a.agency_id = b.agency_id and a.criterion_id < b.criterion_id
    group by a.criterion_id, b.criterion_id
)

select
    ca.criterion as a,
    cb.criterion as b,
    case
        when s.n >= 10 and s.n * s.saa - s.sa * s.sa > 1e-9 * s.n * s.n and s.n * s.sbb - s.sb * s.sb > 1e-9 * s.n * s.n
            -- within [-1, 1]: rounding can take a perfect correlation a hair beyond 1
            then greatest(-1, least(1, (s.n * s.sab - s.sa * s.sb) / sqrt((s.n * s.saa - s.sa * s.sa) * (s.n * s.sbb - s.sb * s.sb))))
    end as r
from sums as s
inner join criterion_ids as ca on ca.criterion_id = s.a_id
inner join criterion_ids as cb on cb.criterion_id = s.b_id
