-- Brå reported offences by year, region (crime location) and offence.
create or replace table staging.reported_offences as
select year, region, offence, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_reported_gross_violation' and measure = 'reported_offences'
order by year, offence, region;
