-- The years some agency has reported for (the default report year is the latest).
select distinct year from programme.submissions order by year
