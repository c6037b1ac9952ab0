-- The action programme's follow-up: what agencies reported, kept as history (BRIEF.md §5, ANCHORS §3).
create schema if not exists programme;

-- Every accepted submission file; a resubmission for the same agency and year supersedes the earlier one.
create table if not exists programme.submissions (
    agency_id        varchar not null,
    year             integer not null,
    snapshot_sha256  varchar not null,
    original_name    varchar not null,
    format           varchar not null,
    received_at      timestamp not null,
    superseded_by    varchar,             -- sha256 of the resubmission that replaced it, else null
    reliability      varchar,             -- official | V | V2 | D | illustrative (the file's .provenance.yaml)
    illustrative     boolean              -- reliability = 'illustrative': an invented report
);

-- Append-only: one row each time a measure's reported status changes. Never updated, never deleted.
create table if not exists programme.status_events (
    measure_id       varchar not null,
    agency_id        varchar not null,
    year             integer not null,
    reported_status  varchar not null,
    status_date      date,
    evidence         varchar,
    location         varchar not null,    -- sheet and cell of the status in the submission
    snapshot_sha256  varchar not null,
    recorded_at      timestamp not null,
    illustrative     boolean              -- from an illustrative report (programme.submissions.illustrative)
);

-- The current report per agency, year and measure (replaced by a resubmission; history is in status_events).
create table if not exists programme.measure_reports (
    measure_id       varchar not null,
    agency_id        varchar not null,
    year             integer not null,
    reported_status  varchar not null,
    status_date      date,
    perspectives     varchar not null,    -- comma-separated perspective codes
    evidence         varchar,
    evidence_location varchar,
    narrative        varchar,
    location         varchar not null,
    snapshot_sha256  varchar not null,
    illustrative     boolean
);

create table if not exists programme.key_figures (
    agency_id        varchar not null,
    year             integer not null,
    key_figure_id    varchar not null,
    value            bigint not null,
    location         varchar not null,
    snapshot_sha256  varchar not null,
    illustrative     boolean
);

create table if not exists programme.obstacles (
    agency_id        varchar not null,
    year             integer not null,
    category         varchar not null,
    description      varchar not null,
    proposed_solution varchar not null,
    location         varchar not null,
    snapshot_sha256  varchar not null,
    illustrative     boolean
);

-- Files that were refused: which file, which rule, where; the message never holds a personal number.
create table if not exists programme.rejected_submissions (
    snapshot_sha256  varchar not null,
    original_name    varchar not null,
    message_key      varchar not null,
    location         varchar not null,
    message_sv       varchar not null,
    message_en       varchar not null,
    recorded_at      timestamp not null
);

-- Warehouses built before reports carried their reliability get the columns; store.backfill_reliability
-- fills them once from the reports' sidecars (a value once set is never changed).
alter table programme.submissions add column if not exists reliability varchar;
alter table programme.submissions add column if not exists illustrative boolean;
alter table programme.status_events add column if not exists illustrative boolean;
alter table programme.measure_reports add column if not exists illustrative boolean;
alter table programme.key_figures add column if not exists illustrative boolean;
alter table programme.obstacles add column if not exists illustrative boolean;

-- The status each agency of the 2024 collaboration assignment reports per part of it (template
-- version 2, sheet Samverkansuppdrag), replaced by a resubmission like measure_reports; and who should
-- act on an obstacle's proposed solution (an agency id, 'regeringen' or 'alla'; null: not stated).
create table if not exists programme.collaboration_reports (
    agency_id        varchar not null,
    year             integer not null,
    part_id          varchar not null,
    reported_status  varchar not null,
    evidence         varchar,
    evidence_location varchar,
    narrative        varchar,
    location         varchar not null,    -- sheet and cell of the part's status
    snapshot_sha256  varchar not null,
    illustrative     boolean
);
alter table programme.obstacles add column if not exists actor varchar;

-- The register as tables (rebuilt from data/programme/*.yaml on every run).
create or replace table programme.measures (
    measure_id varchar, title_sv varchar, title_en varchar, programme_objective varchar,
    priority_area integer, measure_type varchar, start_date date, deadline date,
    collaboration_assignment boolean, illustrative boolean, reliability varchar, source_url varchar,
    reference varchar
);
create or replace table programme.measure_agencies (measure_id varchar, agency_id varchar, role varchar, position integer);
create or replace table programme.measure_strategy_objectives (measure_id varchar, strategy_objective integer);
create or replace table programme.measure_perspectives (measure_id varchar, perspective varchar);
create or replace table programme.measure_indicators (measure_id varchar, indicator_id varchar);
create or replace table programme.agencies (agency_id varchar, name_sv varchar, name_en varchar, position integer);
create or replace table programme.key_figure_definitions (
    key_figure_id varchar, agency_id varchar, label_sv varchar, label_en varchar, indicator_id varchar,
    perpetrator_focused boolean
);
-- Relations between key figures (key_figures.yaml): kind sum (position 0 the total) or order (a chain, ≥).
create or replace table programme.key_figure_relations (
    relation_id varchar, kind varchar, position integer, key_figure_id varchar
);
create or replace table programme.collaboration_agencies (agency_id varchar, position integer);
-- The follow-up dates of register.yaml: the status of every measure is kept as at each (status_at_dates.sql).
create or replace table programme.follow_up_dates (
    follow_up_date date, year integer, annual boolean, in_depth boolean, label_sv varchar, label_en varchar,
    position integer
);
create or replace table programme.collaboration_tasks (task_id varchar, task_sv varchar, task_en varchar, position integer);
