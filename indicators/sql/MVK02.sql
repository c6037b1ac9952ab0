-- MVK02: share (%) of the population 16–84 exposed to assault, by sex (Brå NTU).
select year, sex, value, flag, illustrative, reliability, source_url, provenance
from staging.ntu_assault_threats
where offence = 'assault' and age_group = '16-84' and sex in ('K', 'M', 'T')
order by year, sex
