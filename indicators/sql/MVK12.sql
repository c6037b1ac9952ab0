-- MVK12: reported gross violation of (a woman's) integrity against adults by a partner, by sex (Brå),
-- nationally (police_region T, Brå's published table) and by police region 2020–2024 (a Brå custom
-- order, not public: compute.py suppresses its small counts before anything is published).
select year, sex, 'T' as police_region, value, flag, illustrative, reliability, source_url, provenance
from staging.reported_offences_victims
where offence = 'gross_violation_of_integrity_and_womans_integrity' and relation = 'partner'
  and age_group = '18+' and sex in ('K', 'M', 'T')
union all
select year, sex, police_region, value, flag, illustrative, reliability, source_url, provenance
from staging.partner_integrity_police_region
where offence = 'gross_violation_of_integrity_and_womans_integrity' and relation = 'partner'
  and age_group = '18+' and sex in ('K', 'M', 'T') and police_region <> 'T'
order by year, sex, police_region
