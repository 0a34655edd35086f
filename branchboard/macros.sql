-- Shared SQL building blocks used by queries/*.sql. Recreated on every open (create or replace), so
-- a changed definition here takes effect without a migration. Metric definitions follow docs/design.md.

-- Canonical periods: '2023', '2023-H1', '2023-Q3'. First and last day of a period.
create or replace macro period_start(p) as
    case
        when length(p) = 4 then make_date(cast(p as integer), 1, 1)
        when p[6] = 'H' then make_date(cast(p[1:4] as integer), (cast(p[7] as integer) - 1) * 6 + 1, 1)
        else make_date(cast(p[1:4] as integer), (cast(p[7] as integer) - 1) * 3 + 1, 1)
    end;

create or replace macro period_end(p) as
    cast(period_start(p)
         + to_months(case when length(p) = 4 then 12 when p[6] = 'H' then 6 else 3 end)
         - interval 1 day as date);

-- A period is inside a range when it lies wholly inside it; a null bound is open.
create or replace macro period_in_range(p, date_from, date_to) as
    (date_from is null or period_start(p) >= date_from)
    and (date_to is null or period_end(p) <= date_to);

-- A date inside the filters' range (either end open when null): every volunteer query's window, written once.
create or replace macro in_date_range(d, date_from, date_to) as
    (date_from is null or d >= date_from) and (date_to is null or d <= date_to);

-- A numeric setting (pass_score, item_pass_ratio, compliance_target) as an exact decimal with four places, so that
-- `score >= item_pass_ratio * max_score` and `total >= pass_score` compare decimals, never floats (issue 11).
create or replace macro setting_number(k) as
    (select cast(value as decimal(18, 4)) from settings where key = k);

-- The configured tiers (settings.tiers, best first): tier_rank 1 = best, is_worst for the last one. Queries join
-- this view; a macro reading settings inside every row's expression cost ~20 ms on 5,000 branches.
drop macro if exists tier_rank;
drop macro if exists worst_tier;
create or replace view tier_order as
    select
        unnest(tiers) as tier,
        generate_subscripts(tiers, 1) as tier_rank,
        generate_subscripts(tiers, 1) = len(tiers) as is_worst
    from (select string_split(value, ',') as tiers from settings where key = 'tiers');

-- The checklist's dimensions in checklist order: a dimension sorts by its first item code (the six 化 of the
-- default checklist come out in their published order, an uploaded checklist in its own).
create or replace view dimension_order as
    select
        dimension,
        min(item_code) as first_item
    from standards
    group by dimension;

-- The latest tier period inside the range: the one the tier filter applies to.
create or replace macro latest_tier_period(date_from, date_to) as (
    select period
    from (select distinct period from tier_ratings) as tier_periods
    where period_in_range(period, date_from, date_to)
    order by period_end(period) desc, period_start(period) asc
    limit 1
);

-- The branches the sidebar filters select. Tier filter: the branch's tier in the latest tier period in range.
create or replace macro scoped_branches(units, sectors, tiers, date_from, date_to) as table
    select
        b.branch_code,
        b.branch_name,
        b.unit_name,
        b.member_count,
        b.secretary,
        b.founded_on,
        b.last_election_on,
        b.term_years,
        u.sector
    from branches as b
    left join units as u on u.unit_name = b.unit_name
    where (units is null or list_contains(units, b.unit_name))
      and (sectors is null or list_contains(sectors, u.sector))
      and (tiers is null or b.branch_code in (
            select t.branch_code
            from tier_ratings as t
            where t.period = latest_tier_period(date_from, date_to)
              and list_contains(tiers, t.tier)));

-- Every branch inside the filters rated in both periods, with its tier and tier rank in each (1 = best); the
-- ground of the tier movement lists and of the Sankey.
create or replace macro tier_pairs(period_before, period_after, units, sectors, tiers, date_from, date_to) as table
    select
        b.branch_code,
        b.branch_name,
        b.unit_name,
        before.tier as tier_before,
        after.tier as tier_after,
        rank_before.tier_rank as rank_before,
        rank_after.tier_rank as rank_after,
        coalesce(rank_before.is_worst, false) as worst_before,
        coalesce(rank_after.is_worst, false) as worst_after
    from tier_ratings as before
    join tier_ratings as after
        on after.branch_code = before.branch_code
       and after.period = period_after
    join scoped_branches(units, sectors, tiers, date_from, date_to) as b
        on b.branch_code = before.branch_code
    left join tier_order as rank_before on rank_before.tier = before.tier
    left join tier_order as rank_after on rank_after.tier = after.tier
    where before.period = period_before;

-- One row per assessed branch and period: total score, veto failure and pass (docs/design.md "Metrics").
-- Totals come pre-aggregated (assessment_totals, derived.sql: sum of item scores, a veto item below its max);
-- pass follows the current pass_score setting here, so changing it needs no rebuild.
create or replace view assessment_results as
    select
        t.period,
        t.branch_code,
        t.total_score,
        t.veto_failed,
        t.total_score >= setting_number('pass_score') and not t.veto_failed as passed
    from assessment_totals as t;

-- 换届 (docs/design.md "Metrics"): the next election is due term_years after the last one.
create or replace macro election_due(last_election_on, term_years) as
    cast(last_election_on + to_years(coalesce(term_years, 3)) as date);

-- overdue / due_3m / due_6m / ok against $today; unknown when the last election date is missing.
create or replace macro term_status(due, today) as
    case
        when due is null then 'unknown'
        when due < today then 'overdue'
        when due <= today + to_months(3) then 'due_3m'
        when due <= today + to_months(6) then 'due_6m'
        else 'ok'
    end;
