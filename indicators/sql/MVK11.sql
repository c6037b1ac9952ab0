-- MVK11: share (%) of reported assault on victims 18+ committed by a known person (partner, family or
-- other known), by sex of the victim. No share where the total or a part is missing. The flags,
-- reliability and URLs of the three parts and the total combine by the one rule (flags.sql).
with assault as (
    select * from staging.reported_offences_victims where offence = 'assault' and age_group = '18+'
), known as (
    select year, sex, sum(value) as value, count(value) as parts, bool_or(illustrative) as illustrative,
           list(flag order by relation) as flags, list(reliability order by relation) as reliabilities,
           list(source_url order by relation) as urls,
           string_agg(provenance, '; ' order by relation) as provenance
    from assault where relation in ('partner', 'family', 'known')
    group by year, sex
), shares as (
    select t.year, t.sex,
           case when t.value > 0 and k.parts = 3 then 100.0 * k.value / t.value end as value,
           case when t.value = 0 and k.parts = 3 then 'z' else 'x' end as missing,
           list_concat(coalesce(k.flags, []), [t.flag]) as flags,
           list_concat(coalesce(k.reliabilities, []), [t.reliability]) as reliabilities,
           list_concat(coalesce(k.urls, []), [t.source_url]) as urls,
           t.illustrative or coalesce(k.illustrative, false) as illustrative,
           concat_ws('; ', k.provenance, t.provenance) as provenance
    from assault t
    left join known k using (year, sex)
    where t.relation = 'T' and t.sex in ('K', 'M', 'T')
)
select year, sex, value, mvk_flag(value, flags, missing) as flag, illustrative,
       mvk_reliability(reliabilities) as reliability, mvk_urls(urls) as source_url, provenance
from shares
order by year, sex
