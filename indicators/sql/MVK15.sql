-- MVK15: persons found guilty with gross violation of a woman's integrity as principal offence (all).
select year, value, flag, illustrative, provenance
from staging.persons_found_guilty
where offence = 'gross_violation_of_a_womans_integrity' and sex = 'T'
order by year
