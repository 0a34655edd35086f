-- Every branch inside the filters with its volunteer service in the date range (zeros when none):
-- hours, 人次, activities and hours per member (hours / member_count). Highest hours per member first.
-- From the daily pre-aggregate (derived.sql).
-- params: $units, $sectors, $tiers, $date_from, $date_to
with branch_service as (
    select
        v.branch_code,
        sum(v.hours) as hours,
        sum(v.person_times) as person_times,
        cast(sum(v.activities_counted) as bigint) as activities,
        max(v.activity_date) as last_activity_on
    from volunteer_daily as v
    where in_date_range(v.activity_date, $date_from, $date_to)
    group by v.branch_code
)

select
    b.branch_code,
    b.branch_name,
    b.unit_name,
    b.member_count,
    coalesce(s.hours, 0) as hours,
    coalesce(s.person_times, 0) as person_times,
    coalesce(s.activities, 0) as activities,
    coalesce(s.hours, 0) / nullif(b.member_count, 0) as hours_per_member,
    s.last_activity_on
from scoped_branches($units, $sectors, $tiers, $date_from, $date_to) as b
left join branch_service as s
    on s.branch_code = b.branch_code
order by hours_per_member desc nulls last, hours desc, b.branch_code asc
