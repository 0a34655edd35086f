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
        when tier_rank(after.tier) < tier_rank(before.tier) then 'promoted'
        when tier_rank(after.tier) > tier_rank(before.tier) then 'demoted'
        else 'unchanged'
    end as movement,
    before.tier = worst_tier() and after.tier <> worst_tier() as lifted_from_worst
from tier_ratings as before
join tier_ratings as after
    on after.branch_code = before.branch_code
   and after.period = $period_after
join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = before.branch_code
where before.period = $period_before
order by movement, b.unit_name, b.branch_code
