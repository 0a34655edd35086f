-- Assessment periods of one branch ($branch) inside the range, latest last: the choices for its item table.
-- params: $branch, $date_from, $date_to
select distinct
    s.period,
    period_end(s.period) as ends_on,
    period_start(s.period) as starts_on
from assessment_scores as s
where
    s.branch_code = $branch
    and period_in_range(s.period, $date_from, $date_to)
order by ends_on, starts_on
