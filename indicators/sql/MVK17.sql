-- MVK17: reported breaches of contact bans (Brå).
select year, value, flag, illustrative, reliability, source_url, provenance
from staging.reported_offences_victims
where offence = 'breach_of_contact_ban' and sex = 'T' and relation = 'T' and age_group = 'T'
order by year
