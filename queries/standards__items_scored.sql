-- The checklist items that stored scores refer to (a new checklist without one of them is warned about).
-- params: none
select distinct item_code
from assessment_scores
order by item_code
