-- MVK07: victims of lethal violence in partner relationships, by sex of the victim (Brå).
select year, sex, value, flag, illustrative, reliability, source_url, provenance
from staging.lethal_violence
where relation = 'partner' and sex in ('K', 'M', 'T')
order by year, sex
