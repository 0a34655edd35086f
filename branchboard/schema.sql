-- Canonical tables of docs/design.md. Applied by branchboard.db.migrate(); every statement is idempotent.
-- Migration 1: the tables.
-- Scores, maxima and hours are DECIMAL with two places (issue 11): every sum and every comparison with a threshold
-- is exact, so 80 made of 3.3 + 2.7 + … passes at 80 whatever the order of summation. Files from before were
-- DOUBLE; branchboard.db.migrate converts them on open.

create sequence if not exists batch_seq start 1;

create table if not exists import_batches (
    batch_id     integer primary key default nextval('batch_seq'),
    kind         varchar not null,
    file_name    varchar,
    sha256       varchar,
    rows         integer not null default 0,
    imported_at  timestamp not null default current_timestamp,
    imported_by  varchar,
    status       varchar not null default 'active'  -- active | undone
);

create table if not exists units (
    unit_name  varchar primary key,
    sector     varchar,
    batch_id   integer
);

create table if not exists branches (
    branch_code       varchar primary key,
    branch_name       varchar not null,
    unit_name         varchar not null,
    member_count      integer not null check (member_count >= 0),
    secretary         varchar,
    founded_on        date,
    last_election_on  date,
    term_years        integer not null default 3 check (term_years > 0),
    batch_id          integer
);

create table if not exists standards (
    item_code  varchar primary key,
    dimension  varchar not null,
    item_name  varchar not null,
    max_score  decimal(9, 2) not null check (max_score > 0),
    veto       boolean not null default false,
    batch_id   integer
);

create table if not exists assessment_scores (
    period       varchar not null,
    branch_code  varchar not null,
    item_code    varchar not null,
    score        decimal(9, 2) not null check (score >= 0),
    batch_id     integer,
    primary key (period, branch_code, item_code)
);

create table if not exists tier_ratings (
    period       varchar not null,
    branch_code  varchar not null,
    tier         varchar not null,
    honors       varchar,
    batch_id     integer,
    primary key (period, branch_code)
);

create table if not exists volunteer_records (
    activity_date  date not null,
    branch_code    varchar not null,
    member_code    varchar using compression uncompressed,
    activity       varchar not null,
    activity_type  varchar,
    hours          decimal(12, 2) not null check (hours > 0),
    person_times   integer not null default 1 check (person_times >= 1),
    partner        varchar,
    batch_id       integer
);

create table if not exists settings (
    key    varchar primary key,
    value  varchar not null
);

-- data_version is bumped by every write so that cached query results are recomputed.
create table if not exists meta (
    key    varchar primary key,
    value  bigint not null
);
insert into meta values ('data_version', 1) on conflict do nothing;
insert into meta values ('schema_version', 1) on conflict do nothing;

insert into settings values ('pass_score', '80') on conflict do nothing;
insert into settings values ('item_pass_ratio', '0.6') on conflict do nothing;
insert into settings values ('compliance_target', '0.7') on conflict do nothing;
insert into settings values ('tiers', '先进,较好,一般,后进') on conflict do nothing;

-- Migration 2: saved views (a name for a link, listed for everyone).
create table if not exists saved_views (
    name        varchar primary key,
    page        varchar not null,   -- the page's url path, e.g. 'overview'
    query       varchar not null,   -- the URL query string of the view
    created_at  timestamp not null default current_timestamp,
    created_by  varchar
);

-- Migration 3 (import pipeline, issue 3): what a batch replaced, so that undoing it brings the old rows back.
-- A re-import deletes the rows it supersedes from the live table and keeps them here with `replaced_by`;
-- undoing that batch moves them back (branchboard.ingest.load). No keys: several versions may wait here.
alter table import_batches add column if not exists replaced integer default 0;
alter table import_batches add column if not exists undone_at timestamp;
alter table import_batches add column if not exists undone_by varchar;

create table if not exists replaced_units (
    unit_name varchar, sector varchar, batch_id integer, replaced_by integer
);
create table if not exists replaced_branches (
    branch_code varchar, branch_name varchar, unit_name varchar, member_count integer, secretary varchar,
    founded_on date, last_election_on date, term_years integer, batch_id integer, replaced_by integer
);
create table if not exists replaced_standards (
    item_code varchar, dimension varchar, item_name varchar, max_score decimal(9, 2), veto boolean, batch_id integer,
    replaced_by integer
);
create table if not exists replaced_assessment_scores (
    period varchar, branch_code varchar, item_code varchar, score decimal(9, 2), batch_id integer, replaced_by integer
);
create table if not exists replaced_tier_ratings (
    period varchar, branch_code varchar, tier varchar, honors varchar, batch_id integer, replaced_by integer
);

-- Migration 4 (performance, issue 6): pre-aggregated tables, derived from the facts and refreshed by
-- branchboard.db.refresh_derived inside every write transaction (and on open), never written otherwise.
-- See branchboard/derived.sql for what each holds and how it is built.
create table if not exists volunteer_daily (
    activity_date       date not null,
    branch_code         varchar not null,
    activity_type       varchar,
    hours               decimal(18, 2) not null,
    person_times        hugeint not null,
    activities          bigint not null,  -- distinct activities of this date, branch and type
    activities_counted  bigint not null   -- of those, the ones counted here when types are not told apart
);
create table if not exists assessment_totals (
    period       varchar not null,
    branch_code  varchar not null,
    total_score  decimal(18, 2) not null,
    veto_failed  boolean not null
);
-- What each derived table was last built from (a fingerprint of its sources), so a write that did not touch
-- its sources does not rebuild it.
create table if not exists derived_state (
    name         varchar primary key,
    fingerprint  varchar not null
);

-- Migration 5: a hash of what a batch stored (kind and rows after parsing), so the same content sent again
-- in another encoding or format (GBK CSV after the XLSX) is refused like the same file.
alter table import_batches add column if not exists content_hash varchar;

-- Migration 6 (issue 11): the parts of a batch — each sheet of a workbook it took, or the whole text file — with
-- their own identity (the file's sha256 and the sheet's name) and content hash. A second sheet of a workbook is then
-- not refused as a repeat of the first, and the same sheet twice still is. Batches from before have no parts; their
-- sha256 and content_hash on import_batches still count.
create table if not exists import_parts (
    batch_id      integer not null,
    sheet         varchar,
    part_sha      varchar not null,
    content_hash  varchar,
    rows          integer not null
);

-- Migration 7 (issue 14): links for one unit. A link's token is signed with the server's secret and names a row
-- here, which says what it may show (units), until when, and whether it was revoked. The token itself is never
-- stored; its use is (share_link_events: created, opened, refused, revoked).
create table if not exists share_links (
    link_id     varchar primary key,   -- random, shown in lists and used to revoke
    label       varchar,
    units       varchar[] not null,    -- the scope: every figure the link shows is of these units' branches
    start_page  varchar not null default 'overview',
    start_query varchar not null default '',  -- the starting view's filters (inside the scope)
    created_at  timestamp not null,
    created_by  varchar,
    expires_at  timestamp,             -- null: never
    revoked_at  timestamp
);
create table if not exists share_link_events (
    link_id varchar not null,
    event   varchar not null,          -- created, opened, refused (expired or revoked), revoked
    happened_at timestamp not null
);

-- Migration 8 (issue 13): English names, for English mode. A checklist item's dimension and name (the default
-- checklist ships them; an imported one may give them, else the Chinese name is shown) and the tiers' names, in
-- the order of the tiers setting (given only for the default tiers; an admin sets them with their own).
alter table standards add column if not exists dimension_en varchar;
alter table standards add column if not exists item_name_en varchar;
alter table replaced_standards add column if not exists dimension_en varchar;
alter table replaced_standards add column if not exists item_name_en varchar;
insert into settings
select 'tiers_en', 'Advanced,Good,Average,Lagging'
where exists (select 1 from settings where key = 'tiers' and value = '先进,较好,一般,后进')
on conflict do nothing;
