-- SCB population on 31 December by year, region and sex: the denominators of every rate.
create or replace table staging.population as
select year, region, sex, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'scb_population_county_sex' and measure = 'population'
order by year, region, sex;
