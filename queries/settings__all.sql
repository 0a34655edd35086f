-- Every setting as key and value (branchboard.db.Store.settings reads it once per data version).
-- params: none
select
    key,
    value
from settings
