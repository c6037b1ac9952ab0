-- One pass over a microdata file (the view md_source, columns renamed to their roles): counts per
-- year and every coded column. The checks (checks.sql) and the indicators (reported_offences.sql)
-- read this small table, never the file again; only a refused file is scanned once more, to name
-- the first bad row.
create or replace temp table md_cells as
select year(date) as year, offence, county, municipality, sex, age_group, relation, count(*) as n
from md_source
group by all;
