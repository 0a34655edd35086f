-- Time of the latest import still in effect: the "data as of" stamp.
-- params: none
select max(imported_at) as data_as_of
from import_batches
where status = 'active'
