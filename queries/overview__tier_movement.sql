-- Tier movement of each branch rated in both $period_before and $period_after:
-- promoted (better tier now), demoted or unchanged; 帮扶转化 = worst tier before, better now.
-- params: $period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to
select
    b.branch_code,
    b.branch_name,
    b.unit_name,
    before.tier as tier_before,
    after.tier as tier_after,
    case
        when rank_after.tier_rank < rank_before.tier_rank then 'promoted'
        when rank_after.tier_rank > rank_before.tier_rank then 'demoted'
        else 'unchanged'
    end as movement,
    coalesce(rank_before.is_worst, false) and not coalesce(rank_after.is_worst, false) as lifted_from_worst
from tier_ratings as before
join tier_ratings as after
    on after.branch_code = before.branch_code
   and after.period = $period_after
join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = before.branch_code
left join tier_order as rank_before on rank_before.tier = before.tier
left join tier_order as rank_after on rank_after.tier = after.tier
where before.period = $period_before
order by movement, b.unit_name, b.branch_code
