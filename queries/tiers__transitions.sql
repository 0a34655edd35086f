-- Branches moving from each tier in $period_before to each tier in $period_after (branches inside the
-- filters rated in both periods), for the Sankey. Tier ranks: 1 = best.
-- params: $period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to
select
    tier_before,
    tier_after,
    any_value(rank_before) as rank_before,
    any_value(rank_after) as rank_after,
    count(*) as branches
from tier_pairs($period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to)
group by tier_before, tier_after
order by rank_before, rank_after
