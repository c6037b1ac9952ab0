-- What is wrong in a scanned file (scan.sql): one row per (role, found value) with how many offences
-- carry it, and the problem (year, code, county). $1, $2: the source's first and last year.
-- md_codes(role, code) holds every code list; md_cells the counts by the published dimensions,
-- md_scan also the offence codes (part 1) and age groups (part 2) found in the file.
with coded as (
    select role, code, n
    from md_cells unpivot include nulls (code for role in (county, municipality, sex, relation))
    union all
    select 'offence', offence, n from md_scan where part = 1
    union all
    select 'age_group', age_group, n from md_scan where part = 2
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
