-- Kriminalvården: share (%) reconvicted to a new Kriminalvård sanction within three years, by cohort year and
-- sanction (prison, probation, T = all clients).
create or replace table staging.reconviction as
select year, sanction, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'kriminalvarden_reconviction' and measure = 'reconviction_pct'
order by year, sanction;
