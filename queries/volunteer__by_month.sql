-- Volunteer hours and 人次 per calendar month inside the filters and the date range.
-- From the daily pre-aggregate (derived.sql); activities = distinct (date, branch, activity).
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    date_trunc('month', v.activity_date) as month,
    sum(v.hours) as hours,
    sum(v.person_times) as person_times,
    cast(sum(v.activities_counted) as bigint) as activities
from volunteer_daily as v
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = v.branch_code
where in_date_range(v.activity_date, $date_from, $date_to)
group by month
order by month
