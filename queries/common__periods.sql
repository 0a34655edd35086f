-- Every period that has assessment scores or tier ratings, with what it holds, for the period filter.
-- params: none
with labelled as (
    select distinct
        period,
        'assessment' as source
    from assessment_scores
    union all
    select distinct
        period,
        'tier' as source
    from tier_ratings
)

select
    period,
    bool_or(source = 'assessment') as has_assessment,
    bool_or(source = 'tier') as has_tiers,
    period_start(period) as starts_on,
    period_end(period) as ends_on
from labelled
group by period
order by ends_on, starts_on
