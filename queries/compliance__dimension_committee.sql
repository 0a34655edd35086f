-- Dimension score over every assessed branch of the committee in $period (the 全委平均 row a unit link's heatmap
-- shows beside its own units): sum of scores / sum of max scores per dimension, in checklist order.
-- params: $period
select
    st.dimension,
    d.first_item,
    count(distinct s.branch_code) as assessed,
    sum(s.score) as score_sum,
    sum(st.max_score) as max_sum,
    sum(s.score) / sum(st.max_score) as dimension_rate
from assessment_scores as s
inner join standards as st
    on st.item_code = s.item_code
inner join dimension_order as d
    on d.dimension = st.dimension
where s.period = $period
group by st.dimension, d.first_item
order by d.first_item
