-- Saved views, newest first.
-- params: none
select
    name,
    page,
    query,
    created_at,
    created_by
from saved_views
order by created_at desc, name asc
