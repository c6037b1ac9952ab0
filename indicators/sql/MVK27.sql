-- MVK27: the share (%) of the action programme's measures completed with evidence: assessed status
-- genomford (programme.measure_status.assessed_status, from analysts' evidence decisions), of all the
-- register's measures (132), for the report year, in total, by programme objective and by responsible
-- agency. A value is illustrative when any measure it counts is illustrative or has an illustrative
-- status (reported or assessed): programme.measure_status.illustrative.
with report as (
    select year from programme.report_date
), keyed as (
    select 'T' as programme_objective, 'T' as agency, s.* from programme.measure_status s
    union all
    select s.programme_objective, 'T', s.* from programme.measure_status s
    union all
    select 'T', a.agency_id, s.*
    from programme.measure_status s join programme.measure_agencies a using (measure_id)
    where a.role = 'responsible'
), shares as (
    select programme_objective, agency,
           100.0 * count(*) filter (where assessed_status = 'genomford') / count(*) as value,
           bool_or(illustrative) as illustrative,
           count(*) filter (where assessed_status = 'genomford') as completed, count(*) as measures
    from keyed
    group by programme_objective, agency
)
select r.year, programme_objective, agency, value, '' as flag, illustrative,
       case when illustrative then 'illustrative' else 'official' end as reliability,
       '' as source_url,
       'programme.measure_status:' || completed || '/' || measures as provenance
from shares, report r
order by programme_objective, agency
