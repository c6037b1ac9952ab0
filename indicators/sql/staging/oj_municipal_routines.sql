-- Socialstyrelsen Öppna jämförelser – våld i nära relationer: share (%) of responding municipalities that
-- fulfil an indicator, by year and region (00 = riket, län). One source per indicator; `measure` says which.
create or replace table staging.oj_municipal_routines as
select year, region, measure, value, flag, illustrative, reliability,
       left(snapshot_sha256, 12) || ':' || location as provenance
from raw.observations
where source_id in ('socialstyrelsen_oj_perpetrator_support_talks', 'socialstyrelsen_oj_schooling_routine',
                    'socialstyrelsen_oj_systematic_follow_up', 'socialstyrelsen_oj_police_agreement')
  and measure in ('pct_offering_perpetrator_support_talks', 'pct_schooling_routine_protected_housing',
                  'pct_systematic_follow_up_victim_support', 'pct_written_agreement_police')
order by measure, year, region;
