-- criterion_pair_r(years, agency_types, groups, agency_codes, categories): every pair of criteria of
-- the years after the shared filters, a before b in code order, with r, the correlation of their
-- criterion % across the agencies assessed on both (a null score is "not assessed"). No r among fewer
-- than 10 agencies or without variance in either criterion (the rule of discrimination in
-- criterion_item_stats_by_year.sql). The one definition of a pair's r: the workbench's redundant
-- flag and its list of redundant pairs both read it.
-- Written with plain sums rather than corr() (macros/pair_sums.sql): sums add up, so without a filter
-- on groups or agencies they come from the kept sums per year and type (kept/criterion_pair_sums.sql);
-- with one, from the filtered rows' own (DuckDB skips the branch whose condition is false).
-- r = (nΣab − ΣaΣb) / √((nΣa² − (Σa)²)(nΣb² − (Σb)²)); a variance term within rounding of zero
-- (≤ 1e-9·n²: a criterion % is at most 100) counts as none.
create macro criterion_pair_r(years, agency_types, groups, agency_codes, categories) as table
with kept_sums as (
    select a, b, sum(n) as n, sum(sa) as sa, sum(sb) as sb, sum(sab) as sab, sum(saa) as saa, sum(sbb) as sbb
    from criterion_pair_sums
    where len(groups) = 0 and len(agency_codes) = 0
      and in_filter(years, fiscal_year)
      and in_filter(agency_types, agency_type)
      and in_filter(categories, a_category)
      and in_filter(categories, b_category)
    group by a, b
),

-- a filter on groups or agencies: the sums of its own rows (DuckDB skips this branch without one)
joined_sums as (
    select a, b, sum(n) as n, sum(sa) as sa, sum(sb) as sb, sum(sab) as sab, sum(saa) as saa, sum(sbb) as sbb
    from pair_sums(years, agency_types, groups, agency_codes, categories)
    where len(groups) > 0 or len(agency_codes) > 0
    group by a, b
),

sums as (
    select * from kept_sums
    union all
    select * from joined_sums
)

select
    a,
    b,
    case
        when n >= 10 and n * saa - sa * sa > 1e-9 * n * n and n * sbb - sb * sb > 1e-9 * n * n
            -- within [-1, 1]: rounding can take a perfect correlation a hair beyond 1
            then greatest(-1, least(1, (n * sab - sa * sb) / sqrt((n * saa - sa * sa) * (n * sbb - sb * sb))))
    end as r
from sums
