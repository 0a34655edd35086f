-- Units no branch belongs to any more leave the filters (after units__archive_empty kept them).
-- params: none
delete from units as t
where not exists (
    select 1 from branches as b
    where b.unit_name = t.unit_name
)
