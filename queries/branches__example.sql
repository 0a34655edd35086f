-- The first branch of the register, to fill the upload templates' example row with a real code and name.
-- params: none
select
    branch_code,
    branch_name,
    unit_name
from branches
order by branch_code
limit 1
