-- The number of current (not superseded) agency submissions.
select count(*) from programme.submissions where superseded_by is null
