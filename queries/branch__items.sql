-- One branch's ($branch) score on every checklist item in $period, whether it is met
-- (score >= item_pass_ratio x max) and the item's pass rate over all branches assessed in that period.
-- params: $branch, $period
with item_pass as (
    select
        s.item_code,
        avg(case when s.score >= setting_number('item_pass_ratio') * st.max_score then 1.0 else 0.0 end) as committee_pass_rate
    from assessment_scores as s
    inner join standards as st
        on st.item_code = s.item_code
    where s.period = $period
    group by s.item_code
)

select
    st.item_code,
    st.dimension,
    st.item_name,
    s.score,
    st.max_score,
    st.veto,
    s.score >= setting_number('item_pass_ratio') * st.max_score as met,
    p.committee_pass_rate
from assessment_scores as s
inner join standards as st
    on st.item_code = s.item_code
left join item_pass as p
    on p.item_code = s.item_code
where
    s.branch_code = $branch
    and s.period = $period
order by st.item_code
