-- The branches inside the filters rated $tier in $period: the list behind the Overview's 后进支部 card (the same
-- branches its count is of, tiers__mix).
-- params: $period, $tier, $units, $sectors, $tiers, $date_from, $date_to
select
    b.branch_code,
    b.branch_name,
    b.unit_name,
    t.tier,
    t.honors
from tier_ratings as t
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = t.branch_code
where t.period = $period and t.tier = $tier
order by b.unit_name, b.branch_code
