-- The agencies' current key figures as disclosure control takes them: one row per agency, year and
-- figure, the value as a number, no flag yet, and whether the report it comes from is illustrative.
select k.agency_id, k.year, k.key_figure_id, k.value::double as value, '' as flag,
       coalesce(k.illustrative, s.illustrative, false) as illustrative
from programme.key_figures k
left join programme.submissions s using (snapshot_sha256)
order by k.agency_id, k.year, k.key_figure_id
