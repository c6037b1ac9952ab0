-- MVK06: women killed by a (former) partner as a percentage of all female victims of lethal violence.
-- Flags, reliability and URLs of the two inputs combine by the one rule (flags.sql): a year whose
-- numerator or denominator is missing gets no value and the missing part's flag (x if absent, z if zero).
with partner as (
    select * from staging.lethal_violence where sex = 'K' and relation = 'partner'
), all_women as (
    select * from staging.lethal_violence where sex = 'K' and relation = 'T'
), shares as (
    select a.year, case when a.value > 0 then 100.0 * p.value / a.value end as value,
           case when a.value = 0 then 'z' else 'x' end as missing,
           [p.flag, a.flag] as flags, [p.reliability, a.reliability] as reliabilities,
           [p.source_url, a.source_url] as urls,
           coalesce(p.illustrative, false) or a.illustrative as illustrative,
           concat_ws('; ', p.provenance, a.provenance) as provenance
    from all_women a
    left join partner p using (year)
)
select year, value, mvk_flag(value, flags, missing) as flag, illustrative,
       mvk_reliability(reliabilities) as reliability, mvk_urls(urls) as source_url, provenance
from shares
order by year
