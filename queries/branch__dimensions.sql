-- Six-dimension radar of one branch ($branch) in $period: its dimension score (sum of scores / sum of max
-- scores), the mean of that over its unit's assessed branches, and over all assessed branches.
-- params: $branch, $period
with branch_dimensions as (
    select
        s.branch_code,
        b.unit_name,
        st.dimension,
        min(st.item_code) as first_item,
        sum(s.score) / sum(st.max_score) as dimension_rate
    from assessment_scores as s
    inner join standards as st
        on st.item_code = s.item_code
    inner join branches as b
        on b.branch_code = s.branch_code
    where s.period = $period
    group by s.branch_code, b.unit_name, st.dimension
),

own_unit as (
    select unit_name from branches
    where branch_code = $branch
)

select
    d.dimension,
    min(d.first_item) as first_item,
    max(d.dimension_rate) filter (where d.branch_code = $branch) as branch_rate,
    avg(d.dimension_rate) filter (where d.unit_name = (select unit_name from own_unit)) as unit_rate,
    avg(d.dimension_rate) as committee_rate
from branch_dimensions as d
group by d.dimension
having count(*) filter (where d.branch_code = $branch) > 0
order by first_item
