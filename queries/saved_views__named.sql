-- Whether a saved view of this name exists (a name is never overwritten).
-- params: $name
select name
from saved_views
where name = $name
