-- Brå reported offences with the victim's sex, age group and relation to the offender (riket): assault on
-- victims 18+, grov fridskränkning + grov kvinnofridskränkning in partner relationships, breaches of contact bans.
create or replace table staging.reported_offences_victims as
select year, offence, sex, age_group, relation, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id = 'bra_reported_offences_victims' and measure = 'reported_offences'
order by year, offence, sex, relation;
