-- Brå handled offences: person-based clearance (%) by year, offence and police region (T = Hela landet).
create or replace table staging.clearance_rates as
select year, offence, police_region, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_handled_offences_clearance' and measure = 'clearance_pct'
order by year, offence, police_region;
