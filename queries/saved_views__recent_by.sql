-- How many views one client saved in the last hour (at most branchboard.views.MAX_PER_HOUR).
-- params: $created_by
select count(*) as views
from saved_views
where
    created_by = $created_by
    and created_at > now()::timestamp - interval 1 hour
