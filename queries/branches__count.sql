-- How many branches the database holds (none: a new database, which the app fills with the demo committee).
-- params: none
select count(*) as branches
from branches
