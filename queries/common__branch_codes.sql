-- Every branch code, for checking a `branch=` value in a shared link: a unit link's ($scope) branches only.
-- params: $scope
select branch_code
from branches
where $scope is null or list_contains($scope, unit_name)
order by branch_code
