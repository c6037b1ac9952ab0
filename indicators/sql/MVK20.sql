-- MVK20: share (%) of women in maternity care asked about violence, by region (Graviditetsregistret via SCB).
select year, region, value, flag, illustrative, reliability, source_url, provenance
from staging.maternity_care_violence_asked
order by year, region
