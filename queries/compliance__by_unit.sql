-- 达标率 and mean total score per unit in one assessment period ($period), branches inside the filters.
-- params: $period, $units, $sectors, $tiers, $date_from, $date_to
select
    b.unit_name,
    count(*) as assessed,
    count(*) filter (where r.passed) as passed,
    count(*) filter (where r.passed) / count(*) as compliance_rate,
    avg(r.total_score) as mean_score
from assessment_results as r
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = r.branch_code
where r.period = $period
group by b.unit_name
order by compliance_rate desc, b.unit_name asc
