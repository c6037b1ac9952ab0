-- MVK09: reported gross violation of a woman's integrity per 100 000 inhabitants of the same region
-- and year (all inhabitants, as Kolada N07402). No population, no rate: the row keeps flag x.
select
    o.year,
    o.region,
    case when p.value > 0 and o.value is not null then o.value * 100000.0 / p.value end as value,
    case
        when o.value is null then coalesce(nullif(o.flag, ''), 'x')
        when p.value is null then coalesce(nullif(p.flag, ''), 'x')
        when p.value = 0 then 'z'
        else coalesce(nullif(o.flag, ''), p.flag)
    end as flag,
    o.illustrative or coalesce(p.illustrative, false) as illustrative,
    concat_ws('; ', o.provenance, p.provenance) as provenance
from staging.reported_offences o
left join staging.population p on p.year = o.year and p.region = o.region and p.sex = 'T'
where o.offence = 'gross_violation_of_a_womans_integrity'
order by o.year, o.region
