-- Reported offences per year: riket and county by victim's sex and relation, kommun by sex, from
-- md_cells of every loaded file (view md_loaded), with the totals T and every combination present,
-- zeros included (the grid of the code lists in md_codes), so that each total is the sum of its parts.
with regions as (
    select '00' as county, 'T' as municipality
    union all select code, 'T' from md_codes where role = 'county'
    union all select left(code, 2), code from md_codes where role = 'municipality'
),
sexes as (select 'T' as sex union all select code from md_codes where role = 'sex'),
relations as (select 'T' as relation union all select code from md_codes where role = 'relation'),
md_grid as (
    select y.year, r.county, r.municipality, s.sex, rel.relation
    from (select distinct year from md_loaded) y, regions r, sexes s, relations rel
    where r.municipality = 'T' or rel.relation = 'T'   -- kommun by sex only: by relation too sparse to show
),
counts as (
    select year,
           coalesce(county, '00') as county,
           coalesce(municipality, 'T') as municipality,
           coalesce(sex, 'T') as sex,
           coalesce(relation, 'T') as relation,
           sum(n) as value
    from md_loaded
    group by grouping sets (
        (year, county, municipality, sex, relation), (year, county, municipality, sex), (year, county, municipality, relation), (year, county, municipality),
        (year, county, sex, relation), (year, county, sex), (year, county, relation), (year, county),
        (year, sex, relation), (year, sex), (year, relation), (year)
    )
)
select g.year, g.county, g.municipality, g.sex, g.relation,
       coalesce(c.value, 0)::double as value
from md_grid g left join counts c using (year, county, municipality, sex, relation)
order by all;
