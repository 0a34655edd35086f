-- One use of a link: created, opened, refused or revoked (written through Store.append_log).
-- params: $link_id, $event, $happened_at
insert into share_link_events (link_id, event, happened_at)
values ($link_id, $event, $happened_at)
