-- MVK11: share (%) of reported assault on victims 18+ committed by a known person (partner, family or
-- other known), by sex of the victim. No share where the total or a part is missing.
with assault as (
    select * from staging.reported_offences_victims where offence = 'assault' and age_group = '18+'
), known as (
    select year, sex, sum(value) as value, count(value) as parts, bool_or(illustrative) as illustrative,
           string_agg(provenance, '; ' order by relation) as provenance
    from assault where relation in ('partner', 'family', 'known')
    group by year, sex
)
select t.year, t.sex,
       case when t.value > 0 and k.parts = 3 then 100.0 * k.value / t.value end as value,
       case when t.value is null or k.parts is distinct from 3 then 'x' when t.value = 0 then 'z' else '' end as flag,
       t.illustrative or coalesce(k.illustrative, false) as illustrative,
       concat_ws('; ', k.provenance, t.provenance) as provenance
from assault t
left join known k using (year, sex)
where t.relation = 'T' and t.sex in ('K', 'M', 'T')
order by t.year, t.sex
