-- Save a view: a page and its query string under a name.
-- params: $name, $page, $query, $created_by
insert into saved_views (name, page, query, created_by)
values ($name, $page, $query, $created_by)
