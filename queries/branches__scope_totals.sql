-- Branches and members inside the filters.
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    count(*) as branches,
    coalesce(sum(member_count), 0) as members,
    count(distinct unit_name) as units
from scoped_branches($units, $sectors, $tiers, $date_from, $date_to)
