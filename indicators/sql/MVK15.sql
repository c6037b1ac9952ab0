-- MVK15: persons found guilty with gross violation of a woman's integrity as principal offence (all), and
-- the same persons per 100 reported offences of the same year (MVK08, riket): the ratio is the main
-- series, because more persons found guilty is progress only if it is not just more reports. The
-- ratio's flags, reliability and URLs combine count and reports by the one rule (flags.sql).
with guilty as (
    select * from staging.persons_found_guilty
    where offence = 'gross_violation_of_a_womans_integrity' and sex = 'T'
), reported as (
    select * from staging.reported_offences
    where offence = 'gross_violation_of_a_womans_integrity' and region = '00'
), ratios as (
    select g.year, case when r.value > 0 then 100.0 * g.value / r.value end as value,
           case when r.value = 0 then 'z' else 'x' end as missing,
           [g.flag, r.flag] as flags, [g.reliability, r.reliability] as reliabilities,
           [g.source_url, r.source_url] as urls,
           g.illustrative or coalesce(r.illustrative, false) as illustrative,
           concat_ws('; ', g.provenance, r.provenance) as provenance
    from guilty g
    left join reported r using (year)
)
select year, 'count' as measure, value, flag, illustrative, reliability, source_url, provenance
from guilty
union all
select year, 'per_100_reported' as measure, value, mvk_flag(value, flags, missing) as flag, illustrative,
       mvk_reliability(reliabilities) as reliability, mvk_urls(urls) as source_url, provenance
from ratios
order by year, measure
