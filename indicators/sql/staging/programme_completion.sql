-- Kriminalvården: share (%) of clients needing a treatment programme who completed one, by year and sanction.
create or replace table staging.programme_completion as
select year, sanction, programme, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'kriminalvarden_programme_completion' and measure = 'completion_pct'
order by year, sanction, programme;
