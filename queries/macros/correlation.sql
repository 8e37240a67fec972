-- correlation(x, y): Pearson r of an aggregate's x and y over the rows where both are present, or
-- null with fewer than 10 such rows or no variance in either (DuckDB's corr gives NaN there). The
-- workbench's discrimination and a candidate indicator's correlations share this rule; 10 is also
-- the smallest peer set a scoped person sees quartiles of.
create macro correlation(x, y) as
case
    when regr_count(x, y) >= 10 and regr_sxx(x, y) > 0 and regr_syy(x, y) > 0
        then corr(x, y)
end
