-- The floor for benchmarks/microdata_scale.py: the reported-offence counts straight from the file, the
-- same grouping sets as indicators/sql/microdata/reported_offences.sql (riket and county by sex and
-- relation, kommun by sex), with nothing checked, snapshotted or kept. {file} is replaced by the script.
create or replace table result as
select year(anmalningsdatum) as year,
       coalesce(lan, '00') as county,
       coalesce(kommun, 'T') as municipality,
       coalesce(offer_kon, 'T') as sex,
       coalesce(relation, 'T') as relation,
       count(*) as value
from read_parquet('{file}')
group by grouping sets (
    (year, lan, kommun, offer_kon), (year, lan, kommun),
    (year, lan, offer_kon, relation), (year, lan, offer_kon), (year, lan, relation), (year, lan),
    (year, offer_kon, relation), (year, offer_kon), (year, relation), (year)
);
