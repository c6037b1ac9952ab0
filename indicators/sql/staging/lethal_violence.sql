-- Brå confirmed cases of lethal violence: victims by year, sex of the victim and relation.
create or replace table staging.lethal_violence as
select year, sex, relation, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_lethal_violence' and measure = 'victims'
order by year, sex, relation;
