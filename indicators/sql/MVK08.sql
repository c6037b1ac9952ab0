-- MVK08: reported offences of gross violation of a woman's integrity, by county (Brå).
select year, region, value, flag, illustrative, reliability, source_url, provenance
from staging.reported_offences
where offence = 'gross_violation_of_a_womans_integrity'
order by year, region
