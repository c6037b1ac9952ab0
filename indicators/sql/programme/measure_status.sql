-- The status of every measure for report year $year as of $as_of: the status the agency reported, the
-- status the evidence supports, and the follow-up state, which is never blank: completed, discontinued,
-- late (past its deadline, not completed), not_due, or no_report.
-- The assessed status comes only from an analyst's decision in a review workbook (evidence.decisions,
-- issue 10), never from the report itself (which made it a copy of the reported status): per measure,
-- document and page the latest decision counts (received_at), and of those that support a status
-- (neither ingen_evidens nor okand) the latest one. It cites the document and page
-- (assessed_source "polisen_arsredovisning_2025.pdf, s. 14"), and without one it is 'okand'.
-- assessment_state compares the two: agrees | differs | reported_completed_no_evidence (reported
-- genomford, no decision supports a status) | no_evidence | no_report.
-- Flags say what is invented: measure_illustrative (the register entry), status_illustrative (the
-- reported status comes from an illustrative agency report, also for a real measure),
-- assessed_illustrative (the decision or the document it cites is illustrative), and illustrative (any).
-- The evidence tables may be empty (no documents yet), but they must exist (indicators/sql/evidence/schema.sql).
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
), current_decisions as (
    -- a later review of the same measure, document and page supersedes an earlier one
    select d.*, try_cast(regexp_extract(d.location, '(\d+)$', 1) as integer) as row_number_in_review
    from evidence.decisions d
    where d.year = $year
    qualify row_number() over (partition by d.measure_id, coalesce(d.document_sha256, ''), coalesce(d.page, -1)
                               order by d.received_at desc, d.location) = 1
), supporting as (
    -- only a decision whose document is in the warehouse: a citation a reader can open
    select d.measure_id, d.decision, d.document_sha256, d.page, d.received_at,
           doc.original_name as document_name, d.illustrative or doc.illustrative as illustrative
    from current_decisions d
    join evidence.documents doc on doc.document_sha256 = d.document_sha256
    where d.decision not in ('ingen_evidens', 'okand') and d.document_sha256 is not null
    qualify row_number() over (partition by d.measure_id
                               order by d.received_at desc, d.row_number_in_review, d.location) = 1
), reviewed as (
    -- the measures with any current decision, also "no evidence" (reviewed, nothing found)
    select distinct measure_id from current_decisions
)
select
    m.measure_id, m.title_sv, m.title_en, m.programme_objective, m.priority_area, m.measure_type,
    m.start_date, m.deadline, m.collaboration_assignment,
    m.illustrative or coalesce(c.illustrative, false) or coalesce(e.illustrative, false) as illustrative,
    m.illustrative as measure_illustrative,
    coalesce(c.illustrative, false) as status_illustrative,
    coalesce(e.illustrative, false) as assessed_illustrative,
    l.lead_agency,
    c.agency_id as reporting_agency,
    c.reported_status,
    c.status_date,
    c.narrative,
    coalesce(c.perspectives, '') as reported_perspectives,
    coalesce(e.decision, 'okand') as assessed_status,
    case when e.measure_id is not null then e.document_name || ', s. ' || e.page end as assessed_source,
    e.document_sha256 as assessed_document_sha256,
    e.document_name as assessed_document,
    e.page as assessed_page,
    case
        when c.measure_id is null then 'no_report'
        when e.measure_id is null and c.reported_status = 'genomford' then 'reported_completed_no_evidence'
        when e.measure_id is null then 'no_evidence'
        when e.decision = c.reported_status then 'agrees'
        else 'differs'
    end as assessment_state,
    r.measure_id is not null as reviewed,
    c.location as reported_location,
    c.evidence as reported_evidence,
    case when coalesce(c.evidence, '') <> '' then coalesce(c.evidence_location, c.location) end
        as reported_evidence_location,
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
left join supporting e using (measure_id)
left join reviewed r using (measure_id)
order by m.measure_id;
