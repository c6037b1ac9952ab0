-- Give a report loaded before reports carried a reliability ($sha) its tag from its sidecar, once.
-- Only NULL flags are filled: a reliability already recorded is never changed by a later run.
update programme.submissions set reliability = $reliability, illustrative = $illustrative
where snapshot_sha256 = $sha and reliability is null;
update programme.measure_reports set illustrative = $illustrative
where snapshot_sha256 = $sha and illustrative is null;
update programme.status_events set illustrative = $illustrative
where snapshot_sha256 = $sha and illustrative is null;
update programme.key_figures set illustrative = $illustrative
where snapshot_sha256 = $sha and illustrative is null;
update programme.obstacles set illustrative = $illustrative
where snapshot_sha256 = $sha and illustrative is null;
