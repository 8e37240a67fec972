-- The criteria of $year with their category and maximum (the most common maximum of the year,
-- kept/criterion_year.sql): the scheme a revision scenario starts from (issue 18). The structure
-- is no agency's data; a scope sees the criteria its agencies were assessed on.
select category, criterion, max_score
from criterion_year
where fiscal_year = $year and agencies_assessed + agencies_not_assessed > 0
order by category, criterion
