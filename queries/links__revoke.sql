-- Revoke a link that is not revoked yet; returns its id when it was (none: no such link, or revoked already).
-- params: $link_id, $revoked_at
update share_links
set revoked_at = $revoked_at
where
    link_id = $link_id
    and revoked_at is null
returning link_id
