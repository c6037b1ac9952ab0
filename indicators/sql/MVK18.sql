-- MVK18: share (%) reconvicted to a new Kriminalvård sanction within three years, by sanction.
select year, sanction, value, flag, illustrative, reliability, source_url, provenance
from staging.reconviction
order by year, sanction
