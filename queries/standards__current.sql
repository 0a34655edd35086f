-- The checklist as stored, item by item: what an import's scores are checked against, what a new checklist is
-- compared with before it replaces this one, and the rows of the standards and assessment templates.
-- params: none
select
    item_code,
    dimension,
    item_name,
    max_score,
    veto
from standards
order by item_code
