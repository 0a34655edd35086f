-- The checklist as it stands, for the standards and assessment templates.
-- params: none
select
    item_code,
    dimension,
    item_name,
    max_score,
    veto
from standards
order by item_code
