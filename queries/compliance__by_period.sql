-- 达标率 and mean total score per assessment period, for the branches inside the filters.
-- Every period in the data is returned (in_range marks those inside the period filter), so the
-- page can compare the latest period in range with the one before it even when that lies outside.
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    r.period,
    period_in_range(r.period, $date_from, $date_to) as in_range,
    count(*) as assessed,
    count(*) filter (where r.passed) as passed,
    count(*) filter (where r.passed) / count(*) as compliance_rate,
    avg(r.total_score) as mean_score
from assessment_results as r
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = r.branch_code
group by r.period
order by period_end(r.period), period_start(r.period)
