-- MVK21: share (%) of responding municipalities fulfilling the indicator, by county (Socialstyrelsen ÖJ).
select year, region, value, flag, illustrative, reliability, source_url, provenance
from staging.oj_municipal_routines
where measure = 'pct_offering_perpetrator_support_talks'
order by year, region
