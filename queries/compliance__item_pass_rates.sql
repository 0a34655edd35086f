-- Item pass rate in one period: branches meeting the item (score >= item_pass_ratio x max_score)
-- over branches assessed in that period. Weakest items (短板) first: pass rate ascending, then item code.
-- params: $period, $units, $sectors, $tiers, $date_from, $date_to
with assessed as (
    select distinct s.branch_code
    from assessment_scores as s
    inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
        on b.branch_code = s.branch_code
    where s.period = $period
),

item_met as (
    select
        s.item_code,
        count(*) filter (where s.score >= setting_number('item_pass_ratio') * st.max_score) as met
    from assessment_scores as s
    inner join assessed as a on a.branch_code = s.branch_code
    inner join standards as st on st.item_code = s.item_code
    where s.period = $period
    group by s.item_code
)

select
    st.item_code,
    st.dimension,
    st.item_name,
    st.max_score,
    (select count(*) from assessed) as assessed,
    coalesce(m.met, 0) as met,
    coalesce(m.met, 0) / nullif((select count(*) from assessed), 0) as pass_rate
from standards as st
left join item_met as m on m.item_code = st.item_code
where (select count(*) from assessed) > 0
order by pass_rate asc, st.item_code asc
