-- MVK01: share (%) of the population 16–84 exposed to sexual offences, by sex (Brå NTU).
select year, sex, value, flag, illustrative, reliability, source_url, provenance
from staging.ntu_exposure
where offence = 'sexual_offence' and age_group = '16-84' and sex in ('K', 'M', 'T')
order by year, sex
