-- What is wrong in md_cells, worst first: one row per (role, found value), with how many offences
-- carry it. $1, $2: the source's first and last year. md_codes(role, code) holds every code list.
with coded as (
    select * from md_cells
    unpivot include nulls (code for role in (offence, county, municipality, sex, age_group, relation))
)
select 'date' as role, cast(year as varchar) as found, sum(n) as n, 'year' as problem
from md_cells where year is null or year not between $1 and $2 group by all
union all
select role, code, sum(n), 'code'
from coded where code is null or not exists (select 1 from md_codes c where c.role = coded.role and c.code = coded.code)
group by all
union all
select 'municipality', municipality || ' / ' || county, sum(n), 'county'
from md_cells where left(municipality, 2) <> county group by all
order by role, found;
