-- Volunteer hours, 人次 and activities of one branch ($branch) per calendar month inside the date range.
-- params: $branch, $date_from, $date_to
select
    date_trunc('month', v.activity_date) as month,
    sum(v.hours) as hours,
    sum(v.person_times) as person_times,
    count(distinct (v.activity_date, v.activity)) as activities
from volunteer_records as v
where v.branch_code = $branch
  and ($date_from is null or v.activity_date >= $date_from)
  and ($date_to is null or v.activity_date <= $date_to)
group by month
order by month
