-- Tier movement of each branch rated in both $period_before and $period_after:
-- promoted (better tier now), demoted or unchanged; 帮扶转化 = worst tier before, better now.
-- params: $period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to
select
    branch_code,
    branch_name,
    unit_name,
    tier_before,
    tier_after,
    case
        when rank_after < rank_before then 'promoted'
        when rank_after > rank_before then 'demoted'
        else 'unchanged'
    end as movement,
    worst_before and not worst_after as lifted_from_worst
from tier_pairs($period_before, $period_after, $units, $sectors, $tiers, $date_from, $date_to)
order by movement, unit_name, branch_code
