-- 换届提醒: branches inside the filters whose next election (last_election_on + term_years) is overdue
-- or due within 6 months of $today. Most urgent first.
-- params: $today, $units, $sectors, $tiers, $date_from, $date_to
with election_dates as (
    select
        b.branch_code,
        b.branch_name,
        b.unit_name,
        b.last_election_on,
        b.term_years,
        election_due(b.last_election_on, b.term_years) as next_due
    from scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    where b.last_election_on is not null
)

select
    branch_code,
    branch_name,
    unit_name,
    last_election_on,
    term_years,
    next_due,
    term_status(next_due, $today) as term_status,
    date_diff('day', $today, next_due) as days_left
from election_dates
where term_status(next_due, $today) in ('overdue', 'due_3m', 'due_6m')
order by next_due, branch_code
