-- Every revoked link and when (a restore keeps them revoked, branchboard.backup).
-- params: none
select
    link_id,
    revoked_at
from share_links
where revoked_at is not null
