-- One branch ($branch): its register entry and term status (换届) against $today. Nothing for a branch outside
-- a unit link's units ($scope): the branch page shows nothing of it.
-- params: $branch, $today, $scope
with profile as (
    select
        b.*,
        u.sector,
        election_due(b.last_election_on, b.term_years) as next_due
    from branches as b
    left join units as u
        on u.unit_name = b.unit_name
    where
        b.branch_code = $branch
        and ($scope is null or list_contains($scope, b.unit_name))
)

select
    branch_code,
    branch_name,
    unit_name,
    sector,
    member_count,
    secretary,
    founded_on,
    last_election_on,
    term_years,
    next_due,
    term_status(next_due, $today) as term_status,
    date_diff('day', $today, next_due) as days_left
from profile
