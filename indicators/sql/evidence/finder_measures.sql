-- The measures the evidence finder looks for: title, reference number and responsible agencies in order.
select m.measure_id, m.title_sv, m.reference,
       list(a.agency_id order by a.position) filter (where a.agency_id is not null) as agencies
from programme.measures m
left join programme.measure_agencies a using (measure_id)
group by all
order by m.measure_id
