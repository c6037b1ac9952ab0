-- Folkhälsomyndigheten HLV: share (%) of the population 16–84 exposed to physical violence or threats, by
-- survey year and sex.
create or replace table staging.hlv_violence_threats as
select year, sex, age_group, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'folkhalsomyndigheten_hlv_violence_threats' and measure = 'share_pct'
order by year, sex;
