-- Tier (and honours) of one branch ($branch) in every tier period inside the range; tier_rank 1 = best.
-- params: $branch, $date_from, $date_to
select
    t.period,
    t.tier,
    o.tier_rank,
    t.honors
from tier_ratings as t
left join tier_order as o on o.tier = t.tier
where
    t.branch_code = $branch
    and period_in_range(t.period, $date_from, $date_to)
order by period_end(t.period), period_start(t.period)
