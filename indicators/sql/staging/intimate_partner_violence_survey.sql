-- Brå Brott i nära relation 2022: share (%) of the population 16–84 exposed to violence by a (former)
-- partner in the last 12 months, by sex and type of violence (T = any violence).
create or replace table staging.intimate_partner_violence_survey as
select year, sex, age_group, relation, violence_type, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_intimate_partner_violence_survey' and measure = 'share_pct'
order by year, violence_type, sex;
