-- The status of every measure for report year $year as of $as_of: the status the agency reported, the
-- status the evidence supports (citing the submission's cell), and the follow-up state, which is never
-- blank: completed, discontinued, late (past its deadline, not completed), not_due, or no_report.
-- Three flags say what is invented: measure_illustrative (the register entry is illustrative),
-- status_illustrative (the status comes from an illustrative agency report, also for a real measure),
-- and illustrative (either: the row holds an illustrative value).
create or replace table programme.measure_status as
with lead as (
    select measure_id, agency_id as lead_agency from programme.measure_agencies where position = 0
), ranked as (
    -- a measure with several agencies takes the report of the first one in the register that reported
    select r.*, row_number() over (partition by r.measure_id order by a.position) as rank
    from programme.measure_reports r
    join programme.measure_agencies a on a.measure_id = r.measure_id and a.agency_id = r.agency_id
    where r.year = $year
), chosen as (
    select * from ranked where rank = 1
)
select
    m.measure_id, m.title_sv, m.title_en, m.programme_objective, m.priority_area, m.measure_type,
    m.start_date, m.deadline, m.collaboration_assignment,
    m.illustrative or coalesce(c.illustrative, false) as illustrative,
    m.illustrative as measure_illustrative,
    coalesce(c.illustrative, false) as status_illustrative,
    l.lead_agency,
    c.agency_id as reporting_agency,
    c.reported_status,
    c.status_date,
    c.narrative,
    coalesce(c.perspectives, '') as reported_perspectives,
    case
        when c.measure_id is null then 'okand'
        when c.reported_status = 'ej_paborjad' or coalesce(c.evidence, '') <> '' then c.reported_status
        else 'okand'
    end as assessed_status,
    case
        when c.measure_id is null then null
        when coalesce(c.evidence, '') <> '' then coalesce(c.evidence_location, c.location)
        else c.location
    end as assessed_source,
    case
        when c.reported_status = 'genomford' then 'completed'
        when c.reported_status = 'utgatt' then 'discontinued'
        when c.measure_id is null then 'no_report'
        when m.deadline is not null and m.deadline < $as_of then 'late'
        else 'not_due'
    end as follow_up_state,
    coalesce(m.deadline < $as_of, false)
        and coalesce(c.reported_status, '') not in ('genomford', 'utgatt') as is_late,
    coalesce(m.deadline <= $as_of, false) as is_due
from programme.measures m
left join lead l using (measure_id)
left join chosen c using (measure_id)
order by m.measure_id;
