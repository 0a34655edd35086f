-- Units and their sector (所属系统), for the filter options.
-- params: none
select
    unit_name,
    sector
from units
order by unit_name
