-- Graviditetsregistret via SCB: share (%) of women asked about violence in maternity care, by year and region.
create or replace table staging.maternity_care_violence_asked as
select year, region, sex, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'scb_maternity_care_asked_about_violence' and measure = 'asked_pct'
order by year, region;
