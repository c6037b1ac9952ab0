-- What is wrong in md_cells: one row per (role, found value) with how many offences carry it, and the
-- problem (year, code, county). $1, $2: the source's first and last year. md_codes(role, code) holds
-- every code list; offence and age group were checked during the scan (cells.sql).
with coded as (
    select * from md_cells
    unpivot include nulls (code for role in (county, municipality, sex, relation))
)
select 'date' as role, cast(year as varchar) as found, sum(n) as n, 'year' as problem
from md_cells where year is null or year not between $1 and $2 group by all
union all
select role, code, sum(n), 'code'
from coded where code is null or not exists (select 1 from md_codes c where c.role = coded.role and c.code = coded.code)
group by all
union all
select 'offence', null, sum(bad_offence), 'code' from md_cells having sum(bad_offence) > 0
union all
select 'age_group', null, sum(bad_age_group), 'code' from md_cells having sum(bad_age_group) > 0
union all
select 'municipality', municipality || ' / ' || county, sum(n), 'county'
from md_cells where left(municipality, 2) <> county group by all
order by role, found;
