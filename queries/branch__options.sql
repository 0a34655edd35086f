-- Every branch for the branch picker, with whether it is inside the filters (the picker offers those,
-- plus the branch already open).
-- A unit link ($scope) lists its own units' branches only.
-- params: $units, $sectors, $tiers, $date_from, $date_to, $scope
select
    b.branch_code,
    b.branch_name,
    b.unit_name,
    b.branch_code in (
        select branch_code from scoped_branches($units, $sectors, $tiers, $date_from, $date_to)
    ) as in_scope
from branches as b
where $scope is null or list_contains($scope, b.unit_name)
order by b.unit_name, b.branch_code
