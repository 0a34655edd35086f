-- A new link for one or more units (branchboard.links.create).
-- params: $link_id, $label, $units, $start_page, $start_query, $created_at, $created_by, $expires_at
insert into share_links (link_id, label, units, start_page, start_query, created_at, created_by, expires_at)
values ($link_id, $label, $units, $start_page, $start_query, $created_at, $created_by, $expires_at)
