-- Every branch code, for checking a `branch=` value in a shared link.
-- params: none
select branch_code
from branches
order by branch_code
