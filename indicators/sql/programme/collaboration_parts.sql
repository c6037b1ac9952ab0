-- The 2024 collaboration assignment part by part: every part × every agency of the assignment × every
-- year from the assignment's year $first_year to the report year $year, with the status the agency
-- reported for the part (template version 2, sheet Samverkansuppdrag, null: not reported), the status
-- the evidence supports (the reported one when the report cites a document, or for not started,
-- otherwise okand, as measure statuses were judged before analysts' evidence decisions), the sheet and
-- cell it comes from, and whether it is illustrative (from an illustrative report).
create or replace table programme.collaboration_parts as
with years as (
    select unnest(range(cast($first_year as integer), cast($year as integer) + 1)) as year
), grid as (
    select t.task_id as part_id, t.position as part_position, a.agency_id, a.position as agency_position, y.year
    from programme.collaboration_tasks t cross join programme.collaboration_agencies a cross join years y
), current_reports as (
    select r.*, s.original_name
    from programme.collaboration_reports r join programme.submissions s using (snapshot_sha256)
    where s.superseded_by is null
)
select
    g.part_id, g.agency_id, g.year,
    r.reported_status,
    case
        when r.part_id is null then 'okand'
        when r.reported_status = 'ej_paborjad' or coalesce(r.evidence, '') <> '' then r.reported_status
        else 'okand'
    end as assessed_status,
    r.original_name as source_file,
    r.location as source,
    r.evidence, r.evidence_location, r.narrative,
    r.part_id is not null as reported,
    exists (select 1 from programme.submissions s
            where s.agency_id = g.agency_id and s.year = g.year and s.superseded_by is null) as report_received,
    coalesce(r.illustrative, false) as illustrative
from grid g
left join current_reports r on r.part_id = g.part_id and r.agency_id = g.agency_id and r.year = g.year
order by g.year, g.part_position, g.agency_position;
