-- score_pct(score, max_score): a score as a percentage of its maximum, 100 * score / max_score, the
-- one definition of every percentage: a criterion's (of its own score), an agency-category's and an
-- agency total's (of the sums of its assessed criteria, where a null score leaves both sums).
create macro score_pct(score, max_score) as 100 * score / max_score
