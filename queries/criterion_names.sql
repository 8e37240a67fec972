-- The criterion names the data gives (optional columns criterion_name_th / criterion_name_en), the
-- latest year's for each criterion: they replace the scoring scheme's names where present.
-- kept: asked for unfiltered by every session, so the build computes it once per data version.
with named as (
    select criterion, criterion_name_th, criterion_name_en, fiscal_year
    from criterion_year
    where criterion_name_th is not null or criterion_name_en is not null
),

final as (
    select criterion, criterion_name_th, criterion_name_en
    from named
    qualify row_number() over (partition by criterion order by fiscal_year desc) = 1
)

select * from final
order by criterion
