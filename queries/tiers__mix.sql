-- Branches per tier in every tier period (in_range marks those inside the period filter).
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    t.period,
    period_in_range(t.period, $date_from, $date_to) as in_range,
    t.tier,
    any_value(o.tier_rank) as tier_rank,
    count(*) as branches
from tier_ratings as t
left join tier_order as o on o.tier = t.tier
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = t.branch_code
group by t.period, t.tier
order by period_end(t.period), period_start(t.period), tier_rank
