-- What replacing the checklist would do to each assessment period: branches assessed, passed now and passed under
-- the new checklist (total of the items it keeps, veto items at their new maxima). Only periods whose pass count
-- changes are returned.
-- params: $codes, $maxima, $vetoes (the new checklist, as three lists in the same order)
with new_standards as (
    select
        unnest($codes) as item_code,
        cast(unnest($maxima) as decimal(9, 2)) as max_score,
        unnest($vetoes) as veto
),

new_totals as (
    select
        s.period,
        s.branch_code,
        sum(s.score) as total_score,
        bool_or(n.veto and s.score < n.max_score) as veto_failed
    from assessment_scores as s
    inner join new_standards as n
        on n.item_code = s.item_code
    group by s.period, s.branch_code
),

after as (
    select
        period,
        count(*) filter (where total_score >= setting_number('pass_score') and not veto_failed) as passed_after
    from new_totals
    group by period
),

before as (
    select
        period,
        count(*) as assessed,
        count(*) filter (where passed) as passed_before
    from assessment_results
    group by period
)

select
    b.period,
    b.assessed,
    b.passed_before,
    coalesce(a.passed_after, 0) as passed_after,
    b.passed_before / b.assessed as rate_before,
    coalesce(a.passed_after, 0) / b.assessed as rate_after
from before as b
left join after as a
    on a.period = b.period
where b.passed_before <> coalesce(a.passed_after, 0)
order by period_end(b.period), period_start(b.period)
