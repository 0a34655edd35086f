-- Volunteer hours, 人次 and activities of one branch ($branch) per calendar month inside the date range.
-- From the daily pre-aggregate (derived.sql); activities = distinct (date, activity).
-- params: $branch, $date_from, $date_to
select
    date_trunc('month', v.activity_date) as month,
    sum(v.hours) as hours,
    sum(v.person_times) as person_times,
    cast(sum(v.activities_counted) as bigint) as activities
from volunteer_daily as v
where
    v.branch_code = $branch
    and in_date_range(v.activity_date, $date_from, $date_to)
group by month
order by month
