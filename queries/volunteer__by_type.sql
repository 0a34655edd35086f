-- Volunteer service per activity type inside the filters and the date range (activity_type null when the
-- record has none). Most hours first.
-- From the daily pre-aggregate (derived.sql): `activities` counts an activity under each of its types.
-- params: $units, $sectors, $tiers, $date_from, $date_to
select
    v.activity_type,
    sum(v.hours) as hours,
    sum(v.person_times) as person_times,
    cast(sum(v.activities) as bigint) as activities
from volunteer_daily as v
inner join scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
    on b.branch_code = v.branch_code
where in_date_range(v.activity_date, $date_from, $date_to)
group by v.activity_type
order by hours desc, v.activity_type asc nulls last
