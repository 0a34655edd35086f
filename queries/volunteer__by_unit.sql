-- Volunteer service per unit inside the filters and the date range: hours, 人次, activities (distinct date,
-- branch, activity), branches with any service, and hours per member (hours / the unit's members in scope).
-- Units without service are listed with zeros. Most hours first.
-- From the daily pre-aggregate (derived.sql).
-- params: $units, $sectors, $tiers, $date_from, $date_to
with scoped as (
    select * from scoped_branches($units, $sectors, $tiers, $date_from, $date_to)
),

unit_members as (
    select
        unit_name,
        count(*) as branches,
        sum(member_count) as members
    from scoped
    group by unit_name
),

unit_service as (
    select
        b.unit_name,
        sum(v.hours) as hours,
        sum(v.person_times) as person_times,
        cast(sum(v.activities_counted) as bigint) as activities,
        count(distinct v.branch_code) as active_branches
    from volunteer_daily as v
    inner join scoped as b
        on b.branch_code = v.branch_code
    where in_date_range(v.activity_date, $date_from, $date_to)
    group by b.unit_name
)

select
    m.unit_name,
    m.branches,
    m.members,
    coalesce(s.active_branches, 0) as active_branches,
    coalesce(s.hours, 0) as hours,
    coalesce(s.person_times, 0) as person_times,
    coalesce(s.activities, 0) as activities,
    coalesce(s.hours, 0) / nullif(m.members, 0) as hours_per_member
from unit_members as m
left join unit_service as s
    on s.unit_name = m.unit_name
order by hours desc, m.unit_name asc
