-- Brå NTU: share (%) of the population 16–84 exposed to an offence, by reference year, sex and offence.
create or replace table staging.ntu_exposure as
select year, sex, age_group, offence, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_ntu_sexual_offences' and measure = 'share_pct'
order by year, offence, sex;
