-- Branches moving from each tier in $period_before to each tier in $period_after (branches inside the
-- filters rated in both periods), for the Sankey. Tier ranks: 1 = best.
-- params: $period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to
select
    before.tier as tier_before,
    after.tier as tier_after,
    any_value(rank_before.tier_rank) as rank_before,
    any_value(rank_after.tier_rank) as rank_after,
    count(*) as branches
from tier_ratings as before
join tier_ratings as after
    on after.branch_code = before.branch_code
   and after.period = $period_after
join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = before.branch_code
left join tier_order as rank_before on rank_before.tier = before.tier
left join tier_order as rank_after on rank_after.tier = after.tier
where before.period = $period_before
group by before.tier, after.tier
order by rank_before, rank_after
