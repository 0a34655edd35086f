-- How many checklist items are stored (none: a new database, which gets the default 24 standards).
-- params: none
select count(*) as items
from standards
