-- MVK05: women killed by a current or former partner (count of female victims, Brå).
select year, value, flag, illustrative, reliability, source_url, provenance
from staging.lethal_violence
where sex = 'K' and relation = 'partner'
order by year
