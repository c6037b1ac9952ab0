-- MVK19: share (%) of clients in need who completed a treatment programme, by sanction (all programmes: the source has no programme dimension).
select year, sanction, value, flag, illustrative, reliability, source_url, provenance
from staging.programme_completion
order by year, sanction
