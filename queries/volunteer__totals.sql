-- Volunteer service inside the filters and the date range: hours, 人次, activities
-- (distinct date, branch, activity) and hours per member (members of the branches in the filters).
-- Read from the daily pre-aggregate (derived.sql), where sum(activities_counted) is that distinct count.
-- params: $units, $sectors, $tiers, $date_from, $date_to
with scoped as (
    select * from scoped_branches($units, $sectors, $tiers, $date_from, $date_to)
),

records as (
    select v.*
    from volunteer_daily as v
    inner join scoped as b on b.branch_code = v.branch_code
    where in_date_range(v.activity_date, $date_from, $date_to)
)

select
    coalesce(sum(hours), 0) as hours,
    coalesce(sum(person_times), 0) as person_times,
    coalesce(cast(sum(activities_counted) as bigint), 0) as activities,
    coalesce(sum(hours), 0) / nullif((select sum(member_count) from scoped), 0) as hours_per_member
from records
