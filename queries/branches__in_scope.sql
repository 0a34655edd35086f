-- The branches inside the filters, one row each: the list behind the Overview's 支部数 and 党员数 cards.
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    branch_code,
    branch_name,
    unit_name,
    member_count,
    secretary
from scoped_branches($units, $sectors, $tiers, $date_from, $date_to)
order by unit_name, branch_code
