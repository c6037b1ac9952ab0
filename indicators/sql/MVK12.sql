-- MVK12: reported gross violation of (a woman's) integrity against adults by a partner, by sex (Brå).
select year, sex, value, flag, illustrative, provenance
from staging.reported_offences_victims
where offence = 'gross_violation_of_integrity_and_womans_integrity' and relation = 'partner'
  and age_group = '18+' and sex in ('K', 'M', 'T')
order by year, sex
