-- One unit link by its id: what it may show and whether it still opens (branchboard.links.check).
-- params: $link_id
select
    link_id,
    label,
    units,
    expires_at,
    revoked_at
from share_links
where link_id = $link_id
