-- Delete a saved view (an admin's action).
-- params: $name
delete from saved_views
where name = $name
