-- Roll-ups of programme.measure_status by programme objective, strategy objective, priority area and
-- responsible agency, in one long table: dimension, code, and the counts a reader compares.
-- illustrative_statuses counts the measures whose status comes from an illustrative report, and a roll-up
-- that counts one (or an illustrative measure) is itself illustrative.
-- completed_evidenced counts the measures a reviewer's decision assesses as genomford, citing a document
-- page (evidence.decisions via measure_status), whatever the agency reported. A roll-up counting an
-- illustrative decision or document is illustrative too (measure_status.illustrative includes it).
create or replace table programme.rollups as
with keyed as (
    select 'programme_objective' as dimension, programme_objective as code, s.* from programme.measure_status s
    union all
    select 'strategy_objective', cast(o.strategy_objective as varchar), s.*
    from programme.measure_status s join programme.measure_strategy_objectives o using (measure_id)
    union all
    select 'priority_area', cast(priority_area as varchar), s.* from programme.measure_status s
    where priority_area is not null
    union all
    select 'agency', a.agency_id, s.*
    from programme.measure_status s join programme.measure_agencies a using (measure_id)
    where a.role = 'responsible'
)
select
    dimension, code,
    count(*) as measures,
    count(*) filter (where follow_up_state <> 'no_report') as reported,
    count(*) filter (where follow_up_state = 'no_report') as no_report,
    count(*) filter (where follow_up_state = 'completed') as completed,
    count(*) filter (where assessed_status = 'genomford' and assessed_document_sha256 is not null)
        as completed_evidenced,
    count(*) filter (where assessment_state = 'reported_completed_no_evidence') as completed_no_evidence,
    count(*) filter (where is_due) as due,
    count(*) filter (where is_due and follow_up_state = 'completed') as completed_of_due,
    count(*) filter (where is_late) as late,
    count(*) filter (where follow_up_state = 'not_due') as not_due,
    count(*) filter (where follow_up_state = 'discontinued') as discontinued,
    count(*) filter (where status_illustrative) as illustrative_statuses,
    bool_or(illustrative) as illustrative
from keyed
group by dimension, code
order by dimension, code;

-- Which perspectives the measures plan (register) and which the agencies report having applied,
-- illustrative when a planned measure is illustrative or a report counted is.
create or replace table programme.perspective_coverage as
with planned as (
    select s.programme_objective, p.perspective, count(*) as planned,
           bool_or(s.measure_illustrative) as planned_illustrative
    from programme.measure_status s join programme.measure_perspectives p using (measure_id)
    group by all
), reported as (
    select s.programme_objective, trim(p.perspective) as perspective, count(*) as reported,
           bool_or(s.status_illustrative) as reported_illustrative
    from programme.measure_status s, unnest(string_split(s.reported_perspectives, ',')) as p(perspective)
    where trim(p.perspective) <> ''
    group by all
)
select coalesce(planned.programme_objective, reported.programme_objective) as programme_objective,
       coalesce(planned.perspective, reported.perspective) as perspective,
       coalesce(planned, 0) as planned, coalesce(reported, 0) as reported,
       coalesce(planned_illustrative, false) or coalesce(reported_illustrative, false) as illustrative
from planned full outer join reported
  on planned.programme_objective = reported.programme_objective and planned.perspective = reported.perspective
order by 1, 2;

-- Obstacles to collaboration by category and agency, for the report year, with the proposed solutions.
create or replace table programme.obstacles_by_category as
select category, agency_id, count(*) as obstacles, bool_or(coalesce(illustrative, false)) as illustrative
from programme.obstacles
where year = $year
group by all
order by category, agency_id;

-- The 2024 collaboration assignment as its own view: per agency of the assignment, whether it reported
-- for the year, its measures in the assignment with their states, and how many obstacles it reported.
create or replace table programme.collaboration_status as
select
    c.agency_id,
    exists (select 1 from programme.submissions s
            where s.agency_id = c.agency_id and s.year = $year and s.superseded_by is null) as reported,
    count(distinct m.measure_id) as assignment_measures,
    count(distinct m.measure_id) filter (where m.follow_up_state = 'completed') as completed,
    count(distinct m.measure_id) filter (where m.is_late) as late,
    (select count(*) from programme.obstacles o where o.agency_id = c.agency_id and o.year = $year) as obstacles,
    coalesce((select bool_or(coalesce(s.illustrative, false)) from programme.submissions s
              where s.agency_id = c.agency_id and s.year = $year and s.superseded_by is null), false)
        or coalesce(bool_or(m.illustrative), false) as illustrative
from programme.collaboration_agencies c
left join programme.measure_agencies a on a.agency_id = c.agency_id
left join programme.measure_status m on m.measure_id = a.measure_id and m.collaboration_assignment
group by c.agency_id, c.position
order by c.position;
