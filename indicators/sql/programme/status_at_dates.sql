-- The report year and date the status tables are judged at, for SQL that has no parameters (MVK27).
create or replace table programme.report_date as select cast($year as integer) as year, cast($as_of as date) as as_of;

-- The status of every measure as it stood at each follow-up date of register.yaml (BRIEF.md §4: the
-- annual runs and the biennial in-depth follow-ups) up to the report date $as_of, from the append-only
-- programme.status_events. A date is judged on the agencies' reports for its year: an agency's status
-- then is its last status event for that year (a resubmission corrects it, the current file wins a
-- tie). A measure is in force at a date when it has started by then, so a date before the programme
-- (2022) has no rows. One row per measure, agency and date, and `counted` marks the row the measure's
-- status at that date is taken from, by the rule of measure_status.sql (the first agency in the
-- register's order that reported, else the lead agency with no report).
create or replace table programme.status_at_dates as
with dates as (
    select follow_up_date, year, annual, in_depth from programme.follow_up_dates where follow_up_date <= $as_of
), in_force as (
    select d.follow_up_date, d.year, d.annual, d.in_depth, m.measure_id, m.deadline,
           m.illustrative as measure_illustrative, a.agency_id, a.role, a.position
    from dates d
    join programme.measures m on m.start_date <= d.follow_up_date
    join programme.measure_agencies a using (measure_id)
), ranked_events as (
    select e.measure_id, e.agency_id, e.year, e.reported_status, e.status_date, e.location, s.original_name,
           coalesce(e.illustrative, s.illustrative, false) as illustrative,
           row_number() over (partition by e.measure_id, e.agency_id, e.year
                              order by e.recorded_at desc, (s.superseded_by is null) desc, s.original_name) as rank
    from programme.status_events e
    join programme.submissions s using (snapshot_sha256)
), latest as (
    select * exclude (rank) from ranked_events where rank = 1
), joined as (
    select f.*, e.reported_status, e.status_date, e.location, e.original_name,
           coalesce(e.illustrative, false) as status_illustrative
    from in_force f
    left join latest e on e.measure_id = f.measure_id and e.agency_id = f.agency_id and e.year = f.year
)
select
    follow_up_date, year, annual, in_depth, measure_id, agency_id, role,
    reported_status, status_date, original_name as source_file, location as source,
    case
        when reported_status = 'genomford' then 'completed'
        when reported_status = 'utgatt' then 'discontinued'
        when reported_status is null then 'no_report'
        when deadline is not null and deadline < follow_up_date then 'late'
        else 'not_due'
    end as follow_up_state,
    row_number() over (partition by follow_up_date, measure_id
                       order by (reported_status is null), position) = 1 as counted,
    measure_illustrative, status_illustrative, measure_illustrative or status_illustrative as illustrative
from joined
order by follow_up_date, measure_id, position;

-- Counts per follow-up date: for the whole programme, by programme objective and by responsible agency,
-- of the measures in force by reported status (no_report: none) and by follow-up state (kind says which).
-- Illustrative when a count rests on an illustrative report or measure.
create or replace table programme.rollups_at_dates as
with measure_level as (
    select s.*, m.programme_objective from programme.status_at_dates s join programme.measures m using (measure_id)
    where s.counted
), keyed as (
    select 'programme' as dimension, 'all' as code, follow_up_date, reported_status, follow_up_state,
           status_illustrative, illustrative
    from measure_level
    union all
    select 'programme_objective', programme_objective, follow_up_date, reported_status, follow_up_state,
           status_illustrative, illustrative
    from measure_level
    union all
    select 'agency', a.agency_id, s.follow_up_date, s.reported_status, s.follow_up_state, s.status_illustrative,
           s.illustrative
    from measure_level s join programme.measure_agencies a on a.measure_id = s.measure_id and a.role = 'responsible'
), counted as (
    select follow_up_date, dimension, code, 'reported_status' as kind, coalesce(reported_status, 'no_report') as value,
           status_illustrative, illustrative
    from keyed
    union all
    select follow_up_date, dimension, code, 'follow_up_state', follow_up_state, status_illustrative, illustrative
    from keyed
)
select follow_up_date, dimension, code, kind, value, count(*) as measures,
       count(*) filter (where status_illustrative) as illustrative_statuses, bool_or(illustrative) as illustrative
from counted
group by all
order by follow_up_date, dimension, code, kind, value;

-- What moved since the last follow-up: per measure and agency, the reported status at the two latest
-- follow-up dates that have any report, where it differs. change: changed (both dates have a report),
-- first_report (none at the earlier date, or not yet in force), no_longer_reported (none at the later).
create or replace table programme.status_moves as
with reported_dates as (
    select follow_up_date from programme.status_at_dates group by follow_up_date having count(reported_status) > 0
), pair as (
    select max(follow_up_date) as later,
           (select max(follow_up_date) from reported_dates r
            where r.follow_up_date < (select max(follow_up_date) from reported_dates)) as earlier
    from reported_dates
), before as (
    select s.* from programme.status_at_dates s, pair where s.follow_up_date = pair.earlier
), after as (
    select s.* from programme.status_at_dates s, pair where s.follow_up_date = pair.later
)
select
    pair.earlier as from_date, pair.later as to_date, a.measure_id, a.agency_id,
    b.reported_status as status_before, a.reported_status as status_after,
    b.follow_up_state as state_before, a.follow_up_state as state_after,
    b.source_file as source_file_before, b.source as source_before,
    a.source_file as source_file_after, a.source as source_after,
    case
        when b.reported_status is not null and a.reported_status is not null then 'changed'
        when a.reported_status is not null then 'first_report'
        else 'no_longer_reported'
    end as change,
    a.measure_illustrative,
    coalesce(b.status_illustrative, false) as illustrative_before, a.status_illustrative as illustrative_after,
    coalesce(b.status_illustrative, false) or a.status_illustrative as status_illustrative,
    a.measure_illustrative or coalesce(b.status_illustrative, false) or a.status_illustrative as illustrative
from after a
cross join pair
left join before b on b.measure_id = a.measure_id and b.agency_id = a.agency_id
where pair.earlier is not null and b.reported_status is distinct from a.reported_status
order by change, a.measure_id, a.agency_id;
