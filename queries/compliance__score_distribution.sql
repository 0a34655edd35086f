-- Total scores of the assessed branches inside the filters in $period, counted in 5-point bins
-- [bin_start, bin_start + 5); a total of 100 falls in the top bin. Only non-empty bins.
-- params: $period, $units, $sectors, $tiers, $date_from, $date_to
with branch_totals as (
    select r.total_score
    from assessment_results as r
    inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
        on b.branch_code = r.branch_code
    where r.period = $period
),

binned as (
    select least(floor(total_score / 5) * 5, 95) as bin_start
    from branch_totals
)

select
    bin_start,
    bin_start + 5 as bin_end,
    count(*) as branches,
    bin_start >= setting_number('pass_score') as at_or_above_pass
from binned
group by bin_start
order by bin_start
