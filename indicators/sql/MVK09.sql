-- MVK09: reported gross violation of a woman's integrity per 100 000 inhabitants of the same region
-- and year (all inhabitants, as Kolada N07402). No population, no rate: the row gets flag x. Flags,
-- reliability and URLs of count and population combine by the one rule (flags.sql), so a rate built on
-- SCB's Cell Key Method population (from 2025) carries the population's b.
with rates as (
    select o.year, o.region,
           case when p.value > 0 then o.value * 100000.0 / p.value end as value,
           case when p.value = 0 then 'z' else 'x' end as missing,
           [o.flag, p.flag] as flags, [o.reliability, p.reliability] as reliabilities,
           [o.source_url, p.source_url] as urls,
           o.illustrative or coalesce(p.illustrative, false) as illustrative,
           concat_ws('; ', o.provenance, p.provenance) as provenance
    from staging.reported_offences o
    left join staging.population p on p.year = o.year and p.region = o.region and p.sex = 'T'
    where o.offence = 'gross_violation_of_a_womans_integrity'
)
select year, region, value, mvk_flag(value, flags, missing) as flag, illustrative,
       mvk_reliability(reliabilities) as reliability, mvk_urls(urls) as source_url, provenance
from rates
order by year, region
