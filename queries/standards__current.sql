-- The checklist as stored, item by item: what an import's scores are checked against, what a new checklist is
-- compared with before it replaces this one, the names shown in English mode, and the rows of the standards and
-- assessment templates.
-- params: none
select
    item_code,
    dimension,
    item_name,
    max_score,
    veto,
    dimension_en,
    item_name_en
from standards
order by item_code
