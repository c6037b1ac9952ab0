-- MVK10: reported assault on victims aged 18+, by relation to the offender and sex of the victim (Brå).
select year, relation, sex, value, flag, illustrative, reliability, source_url, provenance
from staging.reported_offences_victims
where offence = 'assault' and age_group = '18+' and sex in ('K', 'M', 'T')
order by year, relation, sex
