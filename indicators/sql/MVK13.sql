-- MVK13: person-based clearance (%) by police region (T = Sweden) (Brå handled offences).
select year, police_region, value, flag, illustrative, reliability, source_url, provenance
from staging.clearance_rates
where offence = 'gross_violation_of_a_womans_integrity'
order by year, police_region
