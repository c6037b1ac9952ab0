-- The hashes of every loaded submission, in a fixed order (the submissions asset's data version).
select snapshot_sha256 from programme.submissions order by 1
