-- Total score of one branch ($branch) in every assessment period inside the range, with its unit's
-- mean and the committee's mean (all assessed branches) in the same period.
-- params: $branch, $date_from, $date_to
with own_unit as (
    select unit_name from branches
    where branch_code = $branch
),

period_means as (
    select
        r.period,
        avg(r.total_score) as committee_mean,
        avg(r.total_score) filter (where b.unit_name = (select unit_name from own_unit)) as unit_mean
    from assessment_results as r
    inner join branches as b
        on b.branch_code = r.branch_code
    group by r.period
)

select
    r.period,
    r.total_score,
    r.passed,
    r.veto_failed,
    m.unit_mean,
    m.committee_mean
from assessment_results as r
inner join period_means as m
    on m.period = r.period
where
    r.branch_code = $branch
    and period_in_range(r.period, $date_from, $date_to)
order by period_end(r.period), period_start(r.period)
