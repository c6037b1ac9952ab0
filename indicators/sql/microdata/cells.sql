-- One pass over a microdata file (the view md_source, columns renamed to their roles): counts per
-- year and published dimension (county, kommun, sex, relation), and per group how many rows carry an
-- offence code ($1) or age group ($2) outside its code list. Grouping by those two as well would make
-- the hash table 25 times larger (742 000 groups instead of 29 000 at 15 M rows) and the pass 3 times
-- slower, so they are checked, not kept. The checks (checks.sql) and the indicators
-- (reported_offences.sql) read this small table, never the file again; only a refused file is
-- scanned once more, to name the first bad row.
create or replace temp table md_cells as
select year(date) as year, county, municipality, sex, relation, count(*) as n,
       count(*) filter (where offence is null or not list_contains($1::varchar[], offence)) as bad_offence,
       count(*) filter (where age_group is null or not list_contains($2::varchar[], age_group)) as bad_age_group
from md_source
group by all;
