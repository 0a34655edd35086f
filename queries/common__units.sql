-- Units and their sector (所属系统), for the filter options: a unit link's ($scope) units only.
-- params: $scope
select
    unit_name,
    sector
from units
where $scope is null or list_contains($scope, unit_name)
order by unit_name
