-- MVK04: share (%) exposed to intimate-partner violence, by sex and type of violence (Brå 2022 survey).
select year, sex, violence_type, value, flag, illustrative, reliability, source_url, provenance
from staging.intimate_partner_violence_survey
where relation = 'partner' and age_group = '16-84'
order by year, sex, violence_type
