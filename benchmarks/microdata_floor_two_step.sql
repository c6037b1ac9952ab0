-- A second, stricter floor for benchmarks/microdata_scale.py: the same table as microdata_floor.sql,
-- but counted as indicators/microdata.py counts it, in two steps: once per year and published
-- dimension straight from the file (29 000 groups at 15 M rows), then the grouping sets over those
-- counts instead of over every row. Nothing checked, snapshotted or kept. {file} is replaced by the script.
create or replace table result as
with cells as (
    select year(anmalningsdatum) as year, lan, kommun, offer_kon, relation, count(*) as n
    from read_parquet('{file}')
    group by all
)
select year,
       coalesce(lan, '00') as county,
       coalesce(kommun, 'T') as municipality,
       coalesce(offer_kon, 'T') as sex,
       coalesce(relation, 'T') as relation,
       sum(n) as value
from cells
group by grouping sets (
    (year, lan, kommun, offer_kon), (year, lan, kommun),
    (year, lan, offer_kon, relation), (year, lan, offer_kon), (year, lan, relation), (year, lan),
    (year, offer_kon, relation), (year, offer_kon), (year, relation), (year)
);
