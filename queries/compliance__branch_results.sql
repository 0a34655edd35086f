-- Every assessed branch inside the filters in $period: total score, pass, veto failure, how far below the
-- pass line, how many items are not met (score < item_pass_ratio x max) and its three weakest items
-- (lowest score / max score, ties by item code). Lowest total first.
-- params: $period, $units, $sectors, $tiers, $date_from, $date_to
with item_scores as (
    select
        s.branch_code,
        s.item_code,
        st.item_name,
        s.score >= setting_number('item_pass_ratio') * st.max_score as met,
        row_number() over (partition by s.branch_code order by s.score / st.max_score, s.item_code) as weakness_rank
    from assessment_scores as s
    inner join standards as st
        on st.item_code = s.item_code
    inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
        on b.branch_code = s.branch_code
    where s.period = $period
),

branch_weakness as (
    select
        branch_code,
        count(*) filter (where not met) as items_not_met,
        string_agg(item_code || ' ' || item_name, '、' order by weakness_rank)
        filter (where weakness_rank <= 3) as weakest_items,
        -- the same items by code, for English mode to name them by the checklist's English names
        list(item_code order by weakness_rank) filter (where weakness_rank <= 3) as weakest_item_codes
    from item_scores
    group by branch_code
)

select
    b.branch_code,
    b.branch_name,
    b.unit_name,
    r.total_score,
    greatest(setting_number('pass_score') - r.total_score, 0) as gap_to_pass,
    r.veto_failed,
    r.passed,
    w.items_not_met,
    w.weakest_items,
    w.weakest_item_codes
from assessment_results as r
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = r.branch_code
inner join branch_weakness as w
    on w.branch_code = r.branch_code
where r.period = $period
order by r.total_score, b.branch_code
