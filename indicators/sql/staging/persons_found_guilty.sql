-- SCB Tema615 (Brå data): persons found guilty by year, principal offence and sex.
create or replace table staging.persons_found_guilty as
select year, offence, sex, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'scb_persons_found_guilty_gross_violation' and measure = 'persons_found_guilty'
order by year, offence, sex;
