-- Pre-aggregated tables (issue 6: fast at province scale). Each block names a table, the fact table it is built
-- from (`source`) and the key of that table it is grouped by (`keys`), a
-- fingerprint query over its sources and the query that builds its rows. branchboard.db.refresh_derived runs the
-- fingerprint inside every write transaction and, in that same transaction, when it changed, either rebuilds
-- the rows of the keys the write marked (issue 17: an import of a million records does not re-aggregate the
-- millions already stored) or, when nothing was marked, the whole table. `{records}` in the build is where that
-- choice goes: the fact table itself, or the records of the marked keys. A reader never sees facts and aggregates
-- that disagree. Metric definitions are those of docs/design.md.

-- derived: volunteer_daily
-- One row per date, branch and activity type: hours, 人次 and activity counts, so the pages never count
-- distinct (date, branch, activity) over every record. An activity (date, branch, activity name) may carry
-- records of several types: `activities` counts it under each of its types (for figures by type), while
-- `activities_counted` counts it once, under its first type, so sum(activities_counted) over any set of whole
-- days and branches is exactly count(distinct (activity_date, branch_code, activity)).
-- source: volunteer_records
-- keys: activity_date, branch_code
-- fingerprint
-- Every write of records adds or removes whole batches (and marks their keys); the fingerprint only has to notice a
-- write that marked nothing (a migration's), which changes the count or these sums. Narrow columns, not a hash of
-- every value: it runs in every write transaction, over every record (30 ms for two million hashed, 7 ms this
-- way). A write changing only names or dates would go unnoticed; none does, and a migration calls mark_all.
select
    count(*)
    || ':' || coalesce(sum(batch_id), 0)
    || ':' || coalesce(sum(hours), 0)
    || ':' || coalesce(sum(person_times), 0)
from volunteer_records;
-- build
with per_activity as (
    select
        activity_date,
        branch_code,
        activity,
        activity_type,
        sum(hours) as hours,
        sum(person_times) as person_times
    from {records} as r
    group by activity_date, branch_code, activity, activity_type
),
first_type as (
    select
        *,
        row_number() over (
            partition by activity_date, branch_code, activity order by activity_type nulls first
        ) = 1 as counted
    from per_activity
)
select
    activity_date,
    branch_code,
    activity_type,
    sum(hours) as hours,
    sum(person_times) as person_times,
    count(*) as activities,
    count(*) filter (where counted) as activities_counted
from first_type
group by activity_date, branch_code, activity_type;

-- derived: assessment_totals
-- One row per assessed branch and period: total score and whether a veto item is below its max. Pass/fail
-- depends on the pass_score setting and is worked out in the assessment_results view (macros.sql), so a
-- settings change needs no rebuild. The fingerprint's first part is the source's, its second the checklist's: a
-- changed checklist changes every total, so the table is then rebuilt whole whatever was marked.
-- source: assessment_scores
-- keys: period, branch_code
-- fingerprint
select
    (select count(*) || ':' || coalesce(sum(hash(period, branch_code, item_code, score)), 0) from assessment_scores)
    || '|'
    || (select count(*) || ':' || coalesce(sum(hash(item_code, max_score, veto)), 0) from standards);
-- build
select
    s.period,
    s.branch_code,
    sum(s.score) as total_score,
    bool_or(st.veto and s.score < st.max_score) as veto_failed
from {records} as s
join standards as st
    on st.item_code = s.item_code
group by s.period, s.branch_code;
