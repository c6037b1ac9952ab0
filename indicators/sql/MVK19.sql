-- MVK19: share (%) of clients in need who completed a treatment programme, by sanction (all programmes).
select year, sanction, value, flag, illustrative, provenance
from staging.programme_completion
where programme = 'T'
order by year, sanction
