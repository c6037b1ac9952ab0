-- MVK25: share (%) of the population 16–84 exposed to physical violence or threats, by sex (HLV).
select year, sex, value, flag, illustrative, reliability, source_url, provenance
from staging.hlv_violence_threats
where sex in ('K', 'M', 'T')
order by year, sex
