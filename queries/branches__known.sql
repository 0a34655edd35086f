-- Every branch with its name and unit: what an import's rows are checked against (branchboard.ingest.pipeline); the
-- first fills the upload templates' example row with a real code and name.
-- params: none
select
    branch_code,
    branch_name,
    unit_name
from branches
order by branch_code
