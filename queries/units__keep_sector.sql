-- A roster's units (the registered frame incoming_units) with their sector: the file's, else the one stored.
-- params: none
select
    i.unit_name,
    coalesce(i.sector, u.sector) as sector
from incoming_units as i
left join units as u on i.unit_name = u.unit_name
