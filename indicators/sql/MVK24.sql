-- MVK24: share (%) of responding municipalities fulfilling the indicator, by county (Socialstyrelsen ÖJ).
select year, region, value, flag, illustrative, reliability, source_url, provenance
from staging.oj_municipal_routines
where measure = 'pct_written_agreement_police'
order by year, region
