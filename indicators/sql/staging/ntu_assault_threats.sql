-- Brå NTU: share (%) of the population 16–84 exposed to assault or threats, by reference year, sex and offence.
create or replace table staging.ntu_assault_threats as
select year, sex, age_group, offence, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_ntu_assault_threats' and measure = 'share_pct'
order by year, offence, sex;
