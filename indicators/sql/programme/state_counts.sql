-- Measures per follow-up state (the status asset's metadata).
select follow_up_state, count(*) from programme.measure_status group by follow_up_state order by 1
