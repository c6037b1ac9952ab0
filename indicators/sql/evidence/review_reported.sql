-- The status each measure's agencies reported for report year $year (the first agency in the register's
-- order that reported, as programme.measure_status takes it), and whether that report is illustrative.
select r.measure_id, r.reported_status, coalesce(r.illustrative, false) as illustrative
from programme.measure_reports r
join programme.measure_agencies a on a.measure_id = r.measure_id and a.agency_id = r.agency_id
where r.year = $year
qualify row_number() over (partition by r.measure_id order by a.position) = 1
order by r.measure_id
