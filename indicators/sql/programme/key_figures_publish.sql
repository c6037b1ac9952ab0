-- The key figures after disclosure control (registered frames protected_published, protected_log and
-- protected_counts from indicators.programme.key_figures): what may be published, the log of every
-- hidden cell (cell, relation, kind, reason, the cell it protects, the rule; never the value), and the
-- log's counts by year, kind and reason, which the site publishes.
create or replace table programme.key_figures_published as
select agency_id::varchar as agency_id, year::integer as year, key_figure_id::varchar as key_figure_id,
       value::double as value, flag::varchar as flag, illustrative::boolean as illustrative
from protected_published
order by agency_id, year, key_figure_id;

create or replace table programme.key_figure_suppression_log as
select agency_id::varchar as agency_id, year::integer as year, key_figure_id::varchar as key_figure_id,
       relation::varchar as relation, kind::varchar as kind, reason::varchar as reason,
       protects::varchar as protects, rule::varchar as rule
from protected_log
order by agency_id, year, key_figure_id;

create or replace table programme.key_figure_suppression_counts as
select year::integer as year, kind::varchar as kind, reason::varchar as reason, cells::integer as cells
from protected_counts
order by year, kind, reason;
