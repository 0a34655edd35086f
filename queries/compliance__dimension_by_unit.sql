-- Dimension score per unit in $period: the dimension's sum of scores / its sum of max scores over the
-- unit's assessed branches (0..1). Dimensions in checklist order (the dimension_order view).
-- params: $period, $units, $sectors, $tiers, $date_from, $date_to
select
    b.unit_name,
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
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = s.branch_code
where s.period = $period
group by b.unit_name, st.dimension, d.first_item
order by b.unit_name, d.first_item
