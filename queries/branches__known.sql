-- Every branch with its name and unit: what an import's rows are checked against (branchboard.ingest.pipeline).
-- params: none
select
    branch_code,
    branch_name,
    unit_name
from branches
order by branch_code
