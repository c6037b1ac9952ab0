-- MVK06: women killed by a (former) partner as a percentage of all female victims of lethal violence.
-- A year whose denominator is missing or zero gets no value and the flag of the missing part (or z).
with partner as (
    select * from staging.lethal_violence where sex = 'K' and relation = 'partner'
), all_women as (
    select * from staging.lethal_violence where sex = 'K' and relation = 'T'
)
select
    a.year,
    case when a.value > 0 and p.value is not null then 100.0 * p.value / a.value end as value,
    case
        when p.value is null then coalesce(nullif(p.flag, ''), 'x')
        when a.value is null then coalesce(nullif(a.flag, ''), 'x')
        when a.value = 0 then 'z'
        else coalesce(nullif(p.flag, ''), a.flag)
    end as flag,
    coalesce(p.illustrative, false) or a.illustrative as illustrative,
    concat_ws('; ', p.provenance, a.provenance) as provenance
from all_women a
left join partner p using (year)
order by a.year
